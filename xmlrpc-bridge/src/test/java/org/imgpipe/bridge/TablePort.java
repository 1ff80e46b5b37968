package org.imgpipe.bridge;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;

/**
 * A method table of test methods served on a real port of 127.0.0.1 (one the OS picks) the way a node's
 * bridge serves its tables, in a local actor system: for tests of the HTTP edge.
 */
final class TablePort implements AutoCloseable {

  final int port;
  private final ActorTestKit kit;
  private final BridgeBinding binding;

  private TablePort(ActorTestKit kit, BridgeBinding binding) {
    this.kit = kit;
    this.binding = binding;
    this.port = binding.port(Role.RESIZE);
  }

  /** {@code extraConfig}: HOCON lines over the defaults, e.g. limits. */
  static TablePort start(String name, String extraConfig, MethodTable table, BooleanSupplier ready,
      PrometheusMeterRegistry registry) throws Exception {
    var config = ConfigFactory.parseString("imgpipe.node.host = \"127.0.0.1\"\n"
        + "imgpipe.ports { resize = 0, filter = 0, watermark = 0, orchestrator = 0, format = 0 }\n"
        + extraConfig + "\n"
        + org.imgpipe.bridge.testing.LiveNode.TOLERANT_STARTUP)
        .withFallback(ImgpipeSettings.load());
    ImgpipeSettings settings = new ImgpipeSettings(config);
    ActorTestKit kit = ActorTestKit.create(name, ConfigFactory.parseString("akka.actor.provider = local")
        .withFallback(config));
    BridgeBinding binding = XmlRpcBridge.bindTables(kit.system(), Map.of(Role.RESIZE, table), ready, settings, registry)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new TablePort(kit, binding);
  }

  @Override
  public void close() throws Exception {
    try {
      binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      kit.shutdownTestKit();
    }
  }
}

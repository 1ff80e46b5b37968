package org.imgpipe.bridge.testing;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.imgpipe.bridge.BridgeBinding;
import org.imgpipe.bridge.XmlRpcBridge;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.pipeline.ClusterConfig;
import org.imgpipe.pipeline.PipelineNode;
import org.imgpipe.xmlrpc.client.ImgpipeClient;

/**
 * A real imgpipe node in this JVM for tests: an ActorSystem in its own one-node cluster on a loopback
 * address, the pipeline, and the XML-RPC bridge, every port (cluster and service) chosen by the OS.
 * Start it, wait until it is ready, talk to it over HTTP, close it.
 */
public final class LiveNode implements AutoCloseable {

  /**
   * Start-up deadlines for a machine shared by many builds: Akka's defaults (3 s to bind Artery, 5 s for
   * the logger, 20 s to create the cluster extension) fail under heavy load although nothing is wrong.
   */
  public static final String TOLERANT_STARTUP = "akka.remote.artery.bind.bind-timeout = 30s\n"
      + "akka.logger-startup-timeout = 30s\n"
      + "akka.actor.creation-timeout = 60s\n"
      + "akka.http.server.bind-timeout = 30s\n";

  private final ActorSystem<Void> system;
  private final PipelineNode pipeline;
  private final BridgeBinding binding;
  private final ImgpipeSettings settings;
  private final String host;

  private LiveNode(ActorSystem<Void> system, PipelineNode pipeline, BridgeBinding binding, ImgpipeSettings settings,
      String host) {
    this.system = system;
    this.pipeline = pipeline;
    this.binding = binding;
    this.settings = settings;
    this.host = host;
  }

  private static LiveNode shared;

  /**
   * One all-roles node on 127.0.0.1 shared by the test classes of this JVM, so that each does not pay for
   * a cluster start; do not close it (Akka's shutdown hook stops it when the JVM exits).
   */
  public static synchronized LiveNode shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /** A node with every role on 127.0.0.1. */
  public static LiveNode start() {
    return start("127.0.0.1", ConfigFactory.empty());
  }

  /**
   * A node on a loopback address ({@code host}), every port chosen at run time; {@code overrides} may set
   * any imgpipe or akka key (roles, limits, pools, ...). Waits until the node is ready.
   */
  public static LiveNode start(String host, Config overrides) {
    Config base = overrides
        .withFallback(ConfigFactory.parseString(
            "imgpipe.node.host = \"" + host + "\"\n"
                + "imgpipe.node.cluster-port = 0\n"
                + "imgpipe.node.serve-all-ports = true\n"
                + "imgpipe.ports { resize = 0, filter = 0, watermark = 0, orchestrator = 0, format = 0 }\n"
                + "akka.coordinated-shutdown.exit-jvm = off\n"
                + "akka.coordinated-shutdown.terminate-actor-system = on\n"
                + "akka.cluster.jmx.multi-mbeans-in-same-jvm = on\n"
                + TOLERANT_STARTUP))
        .withFallback(ImgpipeSettings.load())
        .resolve();
    ImgpipeSettings settings = new ImgpipeSettings(base);
    String name = "imgpipe-test";
    Config config = ClusterConfig.of(settings, name).withFallback(base);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), name, config);
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      PipelineNode pipeline = PipelineNode.start(system, settings, registry);
      BridgeBinding binding = XmlRpcBridge.bind(system, pipeline, settings, registry)
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
      LiveNode node = new LiveNode(system, pipeline, binding, settings, host);
      node.awaitReady(Duration.ofSeconds(30));
      return node;
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("the test node did not start: " + e, e);
    }
  }

  private void awaitReady(Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!pipeline.ready()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("the test node was not ready within " + max.toSeconds() + " s");
      }
      Thread.sleep(50);
    }
  }

  public String host() {
    return host;
  }

  /** The port the OS chose for a role's service. */
  public int port(Role role) {
    return binding.port(role);
  }

  public BridgeBinding binding() {
    return binding;
  }

  public ImgpipeSettings settings() {
    return settings;
  }

  public PipelineNode pipeline() {
    return pipeline;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** A Java client for a role's port. */
  public ImgpipeClient client(Role role) {
    return new ImgpipeClient(host, port(role), Duration.ofSeconds(60));
  }

  /** http://host:port for a role's service. */
  public String url(Role role) {
    return "http://" + host + ":" + port(role);
  }

  @Override
  public void close() {
    try {
      binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the test node did not stop in time", e);
    }
  }
}

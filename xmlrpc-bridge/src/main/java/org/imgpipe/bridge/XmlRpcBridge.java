package org.imgpipe.bridge;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.http.javadsl.settings.ServerSettings;
import akka.stream.Materializer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.pipeline.PipelineNode;
import org.imgpipe.xmlrpc.XmlRpcCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.duration.FiniteDuration;

/**
 * Opens a node's XML-RPC service ports: one per role of the node (all five on a gateway), each serving its
 * service's method table with the hardened codec, and /health, /ready and /metrics.
 */
public final class XmlRpcBridge {

  private static final Logger log = LoggerFactory.getLogger(XmlRpcBridge.class);

  /** Akka HTTP's own request deadline sits this far behind ours, so our answer always wins the race. */
  private static final Duration HTTP_DEADLINE_SLACK = Duration.ofSeconds(10);

  private XmlRpcBridge() {}

  /**
   * Opens the service ports of the node's roles (every port when {@code serve-all-ports}); a configured
   * port 0 takes a free port, which {@link BridgeBinding#port} then tells.
   */
  public static CompletionStage<BridgeBinding> bind(ActorSystem<?> system, PipelineNode node, ImgpipeSettings settings,
      PrometheusMeterRegistry registry) {
    Duration deadline = settings.timeouts().request();
    StageCalls calls = new StageCalls(system, node, deadline);
    Map<Role, MethodTable> tables = new EnumMap<>(Role.class);
    for (Role role : portsToOpen(settings)) {
      tables.put(role, switch (role) {
        case RESIZE -> ResizeService.table(calls);
        case FILTER -> FilterService.table(calls, settings.limits().maxFiltersPerRequest());
        case WATERMARK -> WatermarkService.table(calls, settings.limits().maxWatermarkTextChars());
        case FORMAT -> FormatService.table(calls);
        case ORCHESTRATOR -> OrchestratorService.table(system, node, deadline, settings.jobs().lookupTimeout());
      });
    }
    return bindTables(system, tables, node::ready, settings, registry);
  }

  /** The roles whose ports a node opens. */
  static Set<Role> portsToOpen(ImgpipeSettings settings) {
    return settings.node().serveAllPorts() ? Set.of(Role.values()) : settings.node().roles();
  }

  static CompletionStage<BridgeBinding> bindTables(ActorSystem<?> system, Map<Role, MethodTable> tables,
      BooleanSupplier ready, ImgpipeSettings settings, PrometheusMeterRegistry registry) {
    // One budget for the request bodies of all of the node's ports.
    RequestMemory bodies = new RequestMemory(settings.requestMemoryBytes(), settings.requestMemoryPerClientBytes());
    bodies.register(registry, "imgpipe.request.memory");
    XmlRpcCodec codec = new XmlRpcCodec(XmlRpcCodec.Limits.from(settings.limits()));
    BridgeMetrics metrics = new BridgeMetrics(registry);
    Executor codecExecutor = system.dispatchers().lookup(DispatcherSelector.blocking());
    Materializer materializer = Materializer.matFromSystem(system);
    long maxBytes = settings.limits().maxRequestBytes();
    Duration request = settings.timeouts().request();
    FiniteDuration httpDeadline = FiniteDuration.create(request.plus(HTTP_DEADLINE_SLACK).toMillis(), TimeUnit.MILLISECONDS);
    String host = settings.node().host();

    ServerSettings base = ServerSettings.create(system.classicSystem());
    ServerSettings http = base
        .withParserSettings(base.getParserSettings().withMaxContentLength(maxBytes))
        .withRemoteAddressAttribute(true)
        .withTimeouts(base.getTimeouts().withRequestTimeout(httpDeadline));

    Map<Role, CompletableFuture<ServiceListener>> pending = new EnumMap<>(Role.class);
    for (Role role : new TreeSet<>(tables.keySet())) {
      tables.get(role).withMulticallLimits(MethodTable.MulticallLimits.of(settings));
      ServicePort port = new ServicePort(tables.get(role), codec, maxBytes, metrics, registry, ready, codecExecutor,
          materializer, request, settings.httpEdge().bodyTimeout(), settings.gzipAnswers(), bodies);
      pending.put(role, ServiceListener.bind(system, host, settings.ports().of(role), port, http, settings.httpEdge(),
          metrics).toCompletableFuture());
    }
    return CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new))
        .handle((v, error) -> {
          Map<Role, ServiceListener> bound = new EnumMap<>(Role.class);
          List<String> failures = new ArrayList<>();
          pending.forEach((role, f) -> {
            if (f.isCompletedExceptionally()) {
              failures.add(role.configName() + " port " + settings.ports().of(role) + ": "
                  + f.handle((b, e) -> String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e)).join());
            } else {
              bound.put(role, f.join());
            }
          });
          if (!failures.isEmpty()) {
            bound.values().forEach(l -> l.terminate(Duration.ZERO));
            throw new IllegalStateException("cannot open the XML-RPC ports on " + host + ": " + String.join("; ", failures));
          }
          bound.forEach((role, b) -> log.info("{} serving XML-RPC on {}", tables.get(role).service(), b.localAddress()));
          return new BridgeBinding(bound, settings.timeouts().request());
        });
  }
}

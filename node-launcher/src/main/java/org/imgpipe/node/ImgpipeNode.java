package org.imgpipe.node;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.bridge.BridgeBinding;
import org.imgpipe.bridge.XmlRpcBridge;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.pipeline.PipelineNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running imgpipe node: the actor system with its cluster roles, joined to the cluster, the stage
 * pools and orchestrator of the pipeline, and the XML-RPC ports of its roles. {@link #close()} leaves the
 * cluster gracefully (Akka's coordinated shutdown: stop accepting, let requests finish, hand shards
 * over, leave) and stops everything in order.
 */
public final class ImgpipeNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ImgpipeNode.class);

  /** The order the XML-RPC services are listed in banners (the original's port order). */
  public static final List<Role> SERVICE_ORDER =
      List.of(Role.RESIZE, Role.FILTER, Role.WATERMARK, Role.ORCHESTRATOR, Role.FORMAT);

  private final ActorSystem<Void> system;
  private final ImgpipeSettings settings;
  private final Map<Role, Integer> openPorts;
  private final String clusterAddress;
  private final String clusterTls;

  private final PrometheusMeterRegistry registry;

  private ImgpipeNode(ActorSystem<Void> system, ImgpipeSettings settings, Map<Role, Integer> openPorts,
      String clusterAddress, String clusterTls, PrometheusMeterRegistry registry) {
    this.system = system;
    this.clusterTls = clusterTls;
    this.registry = registry;
    this.settings = settings;
    this.openPorts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(openPorts));
    this.clusterAddress = clusterAddress;
  }

  /**
   * Starts a node and returns once it is a cluster member and its ports answer.
   *
   * @throws NodeConfigException with a one-line message when the configuration is bad, a port is in
   *     use or no seed node answers within the join timeout
   */
  public static ImgpipeNode start(NodeOptions options) {
    Config config = options.toConfig();
    ImgpipeSettings settings = NodeOptions.settingsOf(config);
    Duration joinTimeout = config.getDuration("imgpipe.launcher.join-timeout");
    Map<Role, Integer> ports = servicePorts(settings);
    checkFree(settings.node().host(), settings.node().clusterPort(), "cluster port");
    ports.forEach((role, port) -> checkFree(settings.node().host(), port, label(role) + " port"));
    String transport = config.getString("akka.remote.artery.transport");
    String clusterTls = settings.tls().enabled()
        ? ClusterTls.check(settings.tls(), settings.node().advertisedHost()).describe()
        : "tls-tcp".equals(transport) ? "on (akka.remote.artery.ssl settings)" : "off (plain TCP)";
    ClusterTls.plainTcpWarning(settings.node(), transport).ifPresent(log::warn);

    ActorSystem<Void> system;
    try {
      system = ActorSystem.create(Behaviors.empty(), NodeOptions.SYSTEM_NAME, config);
    } catch (Exception e) { // Akka also throws checked exceptions here (a cluster-port bind that times out)
      throw startFailure(e, settings);
    }
    try {
      Cluster cluster = Cluster.get(system);
      system.systemActorOf(MembershipLog.create(), "imgpipe-membership-log", akka.actor.typed.Props.empty());
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      // Starts sharding for the node's stage roles and joins the cluster (itself when no seed is given).
      PipelineNode pipeline = PipelineNode.start(system, settings, registry);
      awaitUp(cluster, joinTimeout, settings, "tls-tcp".equals(transport));
      BridgeBinding binding = bind(system, pipeline, settings, registry);
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "imgpipe-unbind-xmlrpc",
          () -> {
            log.info("no longer accepting XML-RPC calls; finishing the calls in progress");
            return binding.unbind();
          });
      Map<Role, Integer> open = new LinkedHashMap<>();
      for (Role r : ports.keySet()) {
        open.put(r, binding.port(r));
      }
      String address = cluster.selfMember().address().toString();
      return new ImgpipeNode(system, settings, open, address, clusterTls, registry);
    } catch (RuntimeException e) {
      system.terminate();
      awaitQuietly(system, Duration.ofSeconds(10));
      throw e instanceof NodeConfigException ? e : startFailure(e, settings);
    }
  }

  private static BridgeBinding bind(ActorSystem<Void> system, PipelineNode pipeline, ImgpipeSettings settings,
      PrometheusMeterRegistry registry) {
    try {
      return XmlRpcBridge.bind(system, pipeline, settings, registry).toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeConfigException("interrupted while opening the XML-RPC ports");
    } catch (TimeoutException e) {
      throw new NodeConfigException("the XML-RPC ports did not open within 60 s");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
          ? c.getCause() : e.getCause();
      String m = NodeOptions.oneLine(String.valueOf(cause.getMessage()));
      if (m.contains("Bind failed") || m.contains("already in use")) {
        throw new NodeConfigException(m + " (a port already in use, or an address this machine does not have)", e);
      }
      throw new NodeConfigException(m, e);
    }
  }

  /** The XML-RPC services this node opens: its roles' ports, or all five for a gateway. */
  static Map<Role, Integer> servicePorts(ImgpipeSettings settings) {
    Map<Role, Integer> ports = new LinkedHashMap<>();
    for (Role r : SERVICE_ORDER) {
      if (settings.node().serveAllPorts() || settings.node().roles().contains(r)) {
        ports.put(r, settings.ports().of(r));
      }
    }
    return ports;
  }

  private static void awaitUp(Cluster cluster, Duration timeout, ImgpipeSettings settings, boolean tls) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (cluster.selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) {
        List<String> seeds = settings.node().seedNodes();
        throw new NodeConfigException("could not join the cluster within " + timeout.toSeconds() + " s: "
            + (seeds.isEmpty() ? "the node did not come up" : "no seed node answered at " + String.join(", ", seeds)
                + "; check --seed-nodes, that a seed node is running, that TCP "
                + clusterPortsOf(seeds) + " is open between the devices, and that "
                + (tls ? "the seed nodes run cluster TLS with certificates from the same CA"
                    : "cluster TLS is off on the seed nodes too")));
      }
      sleep(50);
    }
  }

  private static String clusterPortsOf(List<String> seeds) {
    List<String> ports = new ArrayList<>();
    for (String s : seeds) {
      String p = s.substring(s.lastIndexOf(':') + 1);
      if (!ports.contains(p)) {
        ports.add(p);
      }
    }
    return String.join(", ", ports);
  }

  /** Fails fast, before anything starts, when a port this node needs is taken. */
  private static void checkFree(String host, int port, String what) {
    if (port == 0) {
      return;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      throw portInUse(host, port, what);
    } catch (IOException e) {
      throw new NodeConfigException("cannot open " + what + " " + port + " on " + host + ": " + e.getMessage(), e);
    }
  }

  static NodeConfigException portInUse(String host, int port, String what) {
    return new NodeConfigException(what + " " + port + " on " + host + " is already in use (another imgpipe node "
        + "or program holds it); stop it, or choose other ports with the --*-port flags");
  }

  private static NodeConfigException startFailure(Throwable e, ImgpipeSettings settings) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NodeConfigException n) {
        return n;
      }
      if (t instanceof BindException) {
        return new NodeConfigException("cannot bind on " + settings.node().host() + ": "
            + NodeOptions.oneLine(t.getMessage()) + " (a port in use, or an address this machine does not have)", e);
      }
    }
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : NodeOptions.oneLine(e.getMessage());
    return new NodeConfigException("node failed to start: " + m, e);
  }

  public ImgpipeSettings settings() {
    return settings;
  }

  /** The actor system, for callers that add their own actors (tests, the panel). */
  public ActorSystem<Void> system() {
    return system;
  }

  /** The XML-RPC services this node opened, with their bound ports, in the original's port order. */
  public Map<Role, Integer> openPorts() {
    return openPorts;
  }

  /** The node's meters, as /metrics shows them. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** akka://imgpipe@host:port of this node. */
  public String clusterAddress() {
    return clusterAddress;
  }

  /** host:port clients use for a service of this node. */
  public String serviceAddress(Role role) {
    Integer port = openPorts.get(role);
    if (port == null) {
      throw new IllegalArgumentException("this node does not serve " + label(role));
    }
    return settings.node().advertisedHost() + ":" + port;
  }

  /** The start-up banner: roles, ports opened, cluster address and seed nodes. */
  public String banner() {
    StringBuilder b = new StringBuilder();
    String rule = "=".repeat(70);
    b.append(rule).append('\n');
    b.append("imgpipe node started\n");
    List<String> roles = new ArrayList<>();
    for (Role r : SERVICE_ORDER) {
      if (settings.node().roles().contains(r)) {
        roles.add(r.configName());
      }
    }
    b.append(String.format("  %-13s %s%n", "roles", String.join(", ", roles)));
    b.append(String.format("  %-13s%s%n", "XML-RPC", openPorts.isEmpty() ? " (none)" : ""));
    openPorts.forEach((role, port) -> b.append(String.format("    %-13s http://%s:%d/%s%n", label(role),
        settings.node().advertisedHost(), port,
        settings.node().roles().contains(role) ? "" : "   (gateway: pool on other nodes)")));
    b.append(String.format("  %-13s %s%n", "bound to", settings.node().host()));
    b.append(String.format("  %-13s %s%n", "cluster", clusterAddress));
    b.append(String.format("  %-13s %s%n", "cluster TLS", clusterTls));
    List<String> seeds = settings.node().seedNodes();
    b.append(String.format("  %-13s %s%n", "seed nodes", seeds.isEmpty() ? "(itself)" : String.join(", ", seeds)));
    if (!openPorts.isEmpty()) {
      int first = openPorts.values().iterator().next();
      b.append(String.format("  %-13s http://%s:%d/health%n", "health", settings.node().advertisedHost(), first));
    }
    b.append(rule);
    return b.toString();
  }

  static String label(Role role) {
    String n = role.configName();
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }

  /** Leaves the cluster gracefully and stops the node; returns when the actor system has terminated. */
  @Override
  public void close() {
    try {
      CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      log.warn("coordinated shutdown did not finish cleanly: {}", e.toString());
    }
    awaitQuietly(system, Duration.ofSeconds(30));
  }

  /** Completes when the node has stopped, whoever stopped it. */
  public java.util.concurrent.CompletionStage<Done> whenTerminated() {
    return system.getWhenTerminated();
  }

  private static void awaitQuietly(ActorSystem<?> system, Duration d) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception ignored) {
      // stopping anyway
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeConfigException("interrupted while starting");
    }
  }
}

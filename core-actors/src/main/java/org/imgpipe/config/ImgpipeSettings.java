package org.imgpipe.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Every imgpipe setting, read once from the {@code imgpipe} section of the configuration. */
public final class ImgpipeSettings {

  /** The cluster roles a node can have. */
  public enum Role {
    RESIZE, FILTER, WATERMARK, FORMAT, ORCHESTRATOR;

    /** The role's name in configuration and in Akka Cluster. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String name) {
      for (Role r : values()) {
        if (r.configName().equals(name.trim().toLowerCase(Locale.ROOT))) {
          return r;
        }
      }
      throw new IllegalArgumentException(
          "unknown role '" + name + "'; valid roles: resize, filter, watermark, format, orchestrator, all");
    }
  }

  /** Where this node lives and which roles it has. */
  public record Node(
      Set<Role> roles,
      String host,
      String canonicalHost,
      int clusterPort,
      List<String> seedNodes,
      boolean serveAllPorts) {

    /** The address other nodes and clients see: canonical-host if set, else host. */
    public String advertisedHost() {
      return canonicalHost.isEmpty() ? host : canonicalHost;
    }
  }

  /**
   * Cluster TLS (imgpipe.node.tls): this node's key store, the cluster CA's trust store, their
   * passwords, and whether a node checks the address in the certificate of the node it dials. Artery
   * always requires mutual authentication when it is on.
   */
  public record Tls(boolean enabled, String keyStore, Password keyStorePassword, String trustStore,
      Password trustStorePassword, boolean hostnameVerification) {}

  /**
   * A password given in the configuration itself or as a file whose first line it is. The file is read
   * when the password is needed, and the value never appears in {@link #toString()}.
   */
  public record Password(String key, String value, String file) {

    /** The password; throws IllegalArgumentException with a one-line message when it is missing. */
    public String reveal() {
      if (!file.isEmpty()) {
        try {
          String first = Files.readString(Path.of(file)).lines().findFirst().orElse("").stripTrailing();
          if (first.isEmpty()) {
            throw new IllegalArgumentException(key + "-file: " + file + " is empty");
          }
          return first;
        } catch (IOException e) {
          throw new IllegalArgumentException(key + "-file: cannot read " + file + " ("
              + e.getClass().getSimpleName() + ")", e);
        }
      }
      if (value.isEmpty()) {
        String store = key.substring(key.lastIndexOf('.') + 1).replace("-password", "");
        throw new IllegalArgumentException("cluster TLS needs the " + store.replace('-', ' ') + "'s password: set "
            + key + "-file (the launcher: --tls-" + store + "-password-file or IMGPIPE_TLS_"
            + store.toUpperCase(Locale.ROOT).replace('-', '_') + "_PASSWORD)");
      }
      return value;
    }

    @Override
    public String toString() {
      return file.isEmpty() ? (value.isEmpty() ? "(not set)" : "(set)") : "(from " + file + ")";
    }
  }

  /** The XML-RPC service ports. */
  public record Ports(int resize, int filter, int watermark, int orchestrator, int format) {
    public int of(Role role) {
      return switch (role) {
        case RESIZE -> resize;
        case FILTER -> filter;
        case WATERMARK -> watermark;
        case ORCHESTRATOR -> orchestrator;
        case FORMAT -> format;
      };
    }
  }

  /** Input and output limits enforced at the edge and in the imaging code. */
  public record Limits(
      long maxRequestBytes,
      long maxDecodedPixels,
      long maxOutputPixels,
      int maxFiltersPerRequest,
      int maxWatermarkTextChars,
      int xmlMaxDepth,
      int xmlMaxElements) {}

  /** Size of one stage's worker pool. */
  public record Pool(int slots, int queue) {}

  public record Timeouts(Duration request, Duration stageAttempt, int stageAttempts) {}

  /**
   * Finished jobs stay readable for {@code retention}, at most {@code maxFinished} of them per node;
   * a status lookup asks the other nodes for at most {@code lookupTimeout}.
   */
  public record Jobs(Duration retention, int maxFinished, Duration lookupTimeout) {
    public Jobs(Duration retention, int maxFinished) {
      this(retention, maxFinished, Duration.ofSeconds(2));
    }
  }

  /**
   * How a stage pool hands jobs to slots: a slot must take a job within {@code acceptTimeout}; a slot
   * busy for another node is not offered work again for {@code busyBackoff}; a slot that did not answer
   * is avoided for {@code suspectCooldown}; a job waits up to {@code remoteAfter} for a slot on its own
   * node (when the node holds slots of the stage) before it is offered to another node's slot.
   * {@code direct}: a stage's result stays on the node that made it and goes from there straight to the
   * next stage's slot (else every result travels back to the sending node, the hub); {@code compact}:
   * a decoded image crossing nodes travels losslessly compressed (else as raw pixels);
   * {@code reserveAboveBytes}: a job whose image is larger is sent only to a slot that has reserved itself
   * for it; smaller ones are sent to a slot the pool believes free, which may still turn them down.
   */
  public record Delivery(Duration acceptTimeout, Duration busyBackoff, Duration suspectCooldown,
      Duration remoteAfter, boolean direct, boolean compact, long reserveAboveBytes) {}

  /**
   * Poison jobs: a stage job is run again after the node running it was lost at most
   * {@code retriesAfterNodeLoss} times; a job that costs one more node is failed and its image refused
   * for {@code quarantine}.
   */
  public record Poison(int retriesAfterNodeLoss, Duration quarantine) {}

  /**
   * The HTTP edge's own guards (imgpipe.http): a request's head must arrive within {@code
   * requestHeadTimeout} and be at most {@code maxRequestHeadBytes}; a body that stops arriving for {@code
   * bodyTimeout} is dropped; a port serves at most {@code maxConnections} connections, {@code
   * maxConnectionsPerClient} of them from one client address.
   */
  public record HttpEdge(Duration requestHeadTimeout, long maxRequestHeadBytes, Duration bodyTimeout,
      int maxConnections, int maxConnectionsPerClient) {}

  private final Node node;
  private final Tls tls;
  private final Ports ports;
  private final Limits limits;
  private final Map<Role, Pool> pools;
  private final Timeouts timeouts;
  private final Jobs jobs;
  private final Delivery delivery;
  private final Poison poison;
  private final long imageMemoryBytes;
  private final long requestMemoryBytes;
  private final int imageThreads;
  private final GzipAnswers gzipAnswers;
  private final HttpEdge httpEdge;
  private final long requestMemoryPerClientBytes;
  private final int maxMulticallCalls;
  private final int maxMulticallImageCalls;

  /** When XML-RPC answers are gzipped (imgpipe.http.gzip-answers), for clients that accept gzip. */
  public enum GzipAnswers {
    /** Always. */
    ON,
    /** Only to clients that are not on a loopback address. */
    REMOTE,
    /** Never. */
    OFF;

    static GzipAnswers parse(String s) {
      return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "on", "true", "yes" -> ON;
        case "off", "false", "no" -> OFF;
        case "remote" -> REMOTE;
        default -> throw new IllegalArgumentException(
            "imgpipe.http.gzip-answers: \"" + s + "\" is not one of on, remote, off");
      };
    }
  }

  /**
   * The reference configuration of an imgpipe node: imgpipe-akka.conf layered above every library's
   * reference.conf. Akka's own reference.conf files set keys that imgpipe changes (provider,
   * serializers, downing, frame sizes), and which of two reference.conf files wins depends on the
   * classpath order, which a lib/* wildcard leaves undefined; an explicit layer always wins.
   */
  public static Config reference() {
    return ConfigFactory.parseResourcesAnySyntax(ImgpipeSettings.class.getClassLoader(), "imgpipe-akka")
        .withFallback(ConfigFactory.defaultReference(ImgpipeSettings.class.getClassLoader()));
  }

  /** Like {@link ConfigFactory#load()}: -D overrides, then application.conf, then {@link #reference()}. */
  public static Config load() {
    return ConfigFactory.defaultOverrides()
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(reference())
        .resolve();
  }

  public ImgpipeSettings(Config root) {
    Config c = root.getConfig("imgpipe");
    Config n = c.getConfig("node");
    Set<Role> roles = new TreeSet<>();
    for (String r : n.getStringList("roles")) {
      if (r.trim().equalsIgnoreCase("all")) {
        roles.addAll(List.of(Role.values()));
      } else {
        roles.add(Role.parse(r));
      }
    }
    this.node = new Node(
        Set.copyOf(roles),
        n.getString("host"),
        n.getString("canonical-host"),
        n.getInt("cluster-port"),
        List.copyOf(n.getStringList("seed-nodes")),
        n.getBoolean("serve-all-ports"));
    this.tls = readTls(n.getConfig("tls"));
    Config p = c.getConfig("ports");
    this.ports = new Ports(
        p.getInt("resize"), p.getInt("filter"), p.getInt("watermark"),
        p.getInt("orchestrator"), p.getInt("format"));
    Config l = c.getConfig("limits");
    this.limits = new Limits(
        l.getBytes("max-request-bytes"),
        l.getLong("max-decoded-pixels"),
        l.getLong("max-output-pixels"),
        l.getInt("max-filters-per-request"),
        l.getInt("max-watermark-text-chars"),
        l.getInt("xml-max-depth"),
        l.getInt("xml-max-elements"));
    Map<Role, Pool> pools = new EnumMap<>(Role.class);
    for (Role r : List.of(Role.RESIZE, Role.FILTER, Role.WATERMARK, Role.FORMAT)) {
      Config pc = c.getConfig("pools." + r.configName());
      pools.put(r, new Pool(pc.getInt("slots"), pc.getInt("queue")));
    }
    this.pools = Map.copyOf(pools);
    Config t = c.getConfig("timeouts");
    this.timeouts = new Timeouts(
        t.getDuration("request"), t.getDuration("stage-attempt"), t.getInt("stage-attempts"));
    Config j = c.getConfig("jobs");
    this.jobs = new Jobs(j.getDuration("retention"), j.getInt("max-finished"), j.getDuration("lookup-timeout"));
    Config d = c.getConfig("delivery");
    this.delivery = new Delivery(
        d.getDuration("accept-timeout"), d.getDuration("busy-backoff"), d.getDuration("suspect-cooldown"),
        d.getDuration("remote-after"), d.getBoolean("direct"), d.getBoolean("compact"),
        d.getBytes("reserve-above"));
    Config po = c.getConfig("poison");
    this.poison = new Poison(po.getInt("retries-after-node-loss"), po.getDuration("quarantine"));
    // "off" (Akka's own word) or 0 means: one thread per core.
    String fixed = c.getString("image-dispatcher.thread-pool-executor.fixed-pool-size").trim();
    int threads = fixed.equalsIgnoreCase("off") ? 0 : Integer.parseInt(fixed);
    this.imageThreads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    this.gzipAnswers = GzipAnswers.parse(c.getString("http.gzip-answers"));
    this.imageMemoryBytes = heapShare(l, "image-memory", Runtime.getRuntime().maxMemory());
    this.requestMemoryBytes = heapShare(l, "request-memory", Runtime.getRuntime().maxMemory());
    this.requestMemoryPerClientBytes = Math.min(requestMemoryBytes,
        share(l, "request-memory-per-client", requestMemoryBytes, 1L << 20));
    this.maxMulticallCalls = l.getInt("max-multicall-calls");
    this.maxMulticallImageCalls = l.getInt("max-multicall-image-calls");
    Config h = c.getConfig("http");
    this.httpEdge = new HttpEdge(h.getDuration("request-head-timeout"), h.getBytes("max-request-head-bytes"),
        h.getDuration("body-timeout"), h.getInt("max-connections"), h.getInt("max-connections-per-client"));
    validate();
  }

  private static Tls readTls(Config t) {
    String prefix = "imgpipe.node.tls.";
    Password key = password(t, prefix, "key-store-password");
    Password trust = password(t, prefix, "trust-store-password");
    Tls tls = new Tls(t.getBoolean("enabled"), t.getString("key-store").trim(), key,
        t.getString("trust-store").trim(), trust, t.getBoolean("hostname-verification"));
    if (tls.enabled()) {
      if (tls.keyStore().isEmpty() || tls.trustStore().isEmpty()) {
        throw new IllegalArgumentException("cluster TLS is on but " + prefix
            + (tls.keyStore().isEmpty() ? "key-store" : "trust-store") + " is not set (docs/cluster-security.md)");
      }
    }
    return tls;
  }

  private static Password password(Config t, String prefix, String name) {
    String value = t.getString(name);
    String file = t.getString(name + "-file").trim();
    if (!value.isEmpty() && !file.isEmpty()) {
      throw new IllegalArgumentException(prefix + name + " and " + prefix + name
          + "-file are both set; give one of them");
    }
    return new Password(prefix + name, value, file);
  }

  private void validate() {
    for (Role r : pools.keySet()) {
      Pool pool = pools.get(r);
      if (pool.slots() < 1 || pool.queue() < 0) {
        throw new IllegalArgumentException(
            "imgpipe.pools." + r.configName() + ": slots must be >= 1 and queue >= 0");
      }
    }
    if (poison.retriesAfterNodeLoss() < 0 || poison.quarantine().isNegative()) {
      throw new IllegalArgumentException(
          "imgpipe.poison: retries-after-node-loss and quarantine must not be negative");
    }
    if (timeouts.stageAttempts() < 1 || jobs.maxFinished() < 1 || jobs.retention().isNegative()) {
      throw new IllegalArgumentException(
          "imgpipe.timeouts.stage-attempts and imgpipe.jobs.max-finished must be >= 1, retention >= 0");
    }
    if (limits.maxRequestBytes() < 1024 || limits.maxDecodedPixels() < 1 || limits.maxOutputPixels() < 1) {
      throw new IllegalArgumentException("imgpipe.limits: request and pixel limits must be positive");
    }
    if (maxMulticallCalls < 1 || maxMulticallImageCalls < 0) {
      throw new IllegalArgumentException(
          "imgpipe.limits: max-multicall-calls must be >= 1 and max-multicall-image-calls >= 0");
    }
    if (httpEdge.maxConnections() < 1 || httpEdge.maxConnectionsPerClient() < 1
        || httpEdge.maxRequestHeadBytes() < 1024 || !positive(httpEdge.requestHeadTimeout())
        || !positive(httpEdge.bodyTimeout())) {
      throw new IllegalArgumentException("imgpipe.http: connection limits must be >= 1, max-request-head-bytes "
          + ">= 1 KiB, and request-head-timeout and body-timeout positive");
    }
    for (int port : List.of(ports.resize, ports.filter, ports.watermark, ports.orchestrator, ports.format)) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("imgpipe.ports: " + port + " is not a valid port");
      }
    }
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  public Node node() {
    return node;
  }

  /** Cluster TLS between the nodes. */
  public Tls tls() {
    return tls;
  }

  public Ports ports() {
    return ports;
  }

  public Limits limits() {
    return limits;
  }

  /** The pool of a stage role (resize, filter, watermark or format). */
  public Pool pool(Role stageRole) {
    Pool p = pools.get(stageRole);
    if (p == null) {
      throw new IllegalArgumentException(stageRole + " has no worker pool");
    }
    return p;
  }

  public Timeouts timeouts() {
    return timeouts;
  }

  public Jobs jobs() {
    return jobs;
  }

  public Delivery delivery() {
    return delivery;
  }

  public Poison poison() {
    return poison;
  }

  /** Bytes of heap the node's image work may hold at once (imgpipe.limits.image-memory, resolved). */
  public long imageMemoryBytes() {
    return imageMemoryBytes;
  }

  /** Bytes of heap the node's XML-RPC ports may hold in request bodies being read and decoded. */
  public long requestMemoryBytes() {
    return requestMemoryBytes;
  }

  /**
   * Bytes of request memory the bodies from one client address may hold at once
   * (imgpipe.limits.request-memory-per-client, resolved against request-memory).
   */
  public long requestMemoryPerClientBytes() {
    return requestMemoryPerClientBytes;
  }

  /** The most calls one system.multicall may hold (imgpipe.limits.max-multicall-calls). */
  public int maxMulticallCalls() {
    return maxMulticallCalls;
  }

  /** The most image calls (methods taking image data) one system.multicall may hold. */
  public int maxMulticallImageCalls() {
    return maxMulticallImageCalls;
  }

  /** The HTTP edge's guards (imgpipe.http). */
  public HttpEdge httpEdge() {
    return httpEdge;
  }

  /** limits.{@code key}: "N%" of {@code maxHeap}, or a size; at least 16 MiB either way. */
  static long heapShare(Config limits, String key, long maxHeap) {
    return share(limits, key, maxHeap, 16L << 20);
  }

  /** limits.{@code key}: "N%" of {@code whole}, or a size; at least {@code minimum} bytes either way. */
  static long share(Config limits, String key, long whole, long minimum) {
    String v = limits.getString(key).trim();
    long bytes;
    if (v.endsWith("%")) {
      double share;
      try {
        share = Double.parseDouble(v.substring(0, v.length() - 1).trim());
      } catch (NumberFormatException e) {
        share = -1;
      }
      if (!(share > 0 && share <= 100)) {
        throw new IllegalArgumentException("imgpipe.limits." + key + ": '" + v + "' is not a share from 1% to 100%");
      }
      bytes = (long) (whole * share / 100);
    } else {
      bytes = limits.getBytes(key);
    }
    if (bytes < minimum) {
      throw new IllegalArgumentException("imgpipe.limits." + key + ": " + (bytes >> 20)
          + " MiB is too little (at least " + (minimum >> 20) + " MiB)");
    }
    return bytes;
  }

  /** Threads of the image dispatcher: the configured size, or the number of cores. */
  public int imageThreads() {
    return imageThreads;
  }

  public GzipAnswers gzipAnswers() {
    return gzipAnswers;
  }

  /** host:port of this node's service for a role, as clients and host_map see it. */
  public String serviceAddress(Role role) {
    return node.advertisedHost() + ":" + ports.of(role);
  }
}

package org.imgpipe.node;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.imgpipe.config.ImgpipeSettings.Role;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code imgpipe node}: starts one node and runs it until SIGTERM or Ctrl-C, which leave the cluster
 * gracefully and exit 0. A start failure prints one line and exits 1.
 */
@Command(name = "node", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs an imgpipe node: the XML-RPC services of its roles, joined to the cluster. Every flag has an environment variable; flags win over it, and both win over the conf file.",
    footer = {"", "Examples:",
        "  imgpipe node                                   all roles on 127.0.0.1 (conf/all-in-one.conf)",
        "  imgpipe node --config conf/resize.conf --canonical-host 192.168.1.11 --seed-nodes 192.168.1.15:25520",
        "  imgpipe node --roles filter,watermark --host 127.0.0.2 --seed-nodes 127.0.0.1:25520",
        "  imgpipe node --config conf/five-devices/device1-resize.conf   (cluster TLS: docker/certs/resize.p12)"})
public final class NodeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Conf file (conf/all-in-one.conf, conf/resize.conf, ...). Env: IMGPIPE_CONFIG.")
  Path config;

  @Option(names = "--roles", split = ",", paramLabel = "ROLE",
      description = "resize, filter, watermark, format, orchestrator, or all. Env: IMGPIPE_ROLES.")
  List<String> roles;

  @Option(names = "--host", paramLabel = "ADDRESS",
      description = "Address XML-RPC and cluster remoting bind to and advertise. Env: IMGPIPE_HOST.")
  String host;

  @Option(names = "--canonical-host", paramLabel = "ADDRESS",
      description = "Address advertised to other nodes when it differs from --host (NAT, containers, 0.0.0.0)."
          + " Env: IMGPIPE_CANONICAL_HOST.")
  String canonicalHost;

  @Option(names = "--seed-nodes", split = ",", paramLabel = "HOST:PORT",
      description = "Cluster ports of the seed nodes; default: the node itself. Env: IMGPIPE_SEED_NODES.")
  List<String> seedNodes;

  @Option(names = "--serve-all-ports", arity = "0..1", paramLabel = "BOOL",
      description = "Open all five service ports, even for stages served by other nodes (a gateway)."
          + " Env: IMGPIPE_SERVE_ALL_PORTS.")
  Boolean serveAllPorts;

  @Option(names = "--cluster-port", paramLabel = "PORT",
      description = "Cluster remoting port (default 25520). Env: IMGPIPE_CLUSTER_PORT.")
  Integer clusterPort;

  @Option(names = "--resize-port", paramLabel = "PORT", description = "Default 50052. Env: IMGPIPE_RESIZE_PORT.")
  Integer resizePort;

  @Option(names = "--filter-port", paramLabel = "PORT", description = "Default 50053. Env: IMGPIPE_FILTER_PORT.")
  Integer filterPort;

  @Option(names = "--watermark-port", paramLabel = "PORT",
      description = "Default 50054. Env: IMGPIPE_WATERMARK_PORT.")
  Integer watermarkPort;

  @Option(names = "--orchestrator-port", paramLabel = "PORT",
      description = "Default 50055. Env: IMGPIPE_ORCHESTRATOR_PORT.")
  Integer orchestratorPort;

  @Option(names = "--format-port", paramLabel = "PORT", description = "Default 50056. Env: IMGPIPE_FORMAT_PORT.")
  Integer formatPort;

  @Option(names = "--join-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long to wait for a seed node (default 30s). Env: IMGPIPE_JOIN_TIMEOUT.")
  Duration joinTimeout;

  @Option(names = "--tls", arity = "0..1", paramLabel = "BOOL",
      description = "Cluster TLS: Artery over mutual TLS with the stores below (docs/cluster-security.md)."
          + " Env: IMGPIPE_TLS.")
  Boolean tls;

  @Option(names = "--tls-key-store", paramLabel = "FILE",
      description = "PKCS12 key store with this node's key and certificate. Env: IMGPIPE_TLS_KEY_STORE.")
  Path tlsKeyStore;

  // Passwords only as files here: a password on the command line is visible to every user in `ps`.
  @Option(names = "--tls-key-store-password-file", paramLabel = "FILE",
      description = "File whose first line is the key store's password. Env: IMGPIPE_TLS_KEY_STORE_PASSWORD_FILE,"
          + " or the password itself in IMGPIPE_TLS_KEY_STORE_PASSWORD.")
  Path tlsKeyStorePasswordFile;

  @Option(names = "--tls-trust-store", paramLabel = "FILE",
      description = "PKCS12 trust store with the cluster CA's certificate. Env: IMGPIPE_TLS_TRUST_STORE.")
  Path tlsTrustStore;

  @Option(names = "--tls-trust-store-password-file", paramLabel = "FILE",
      description = "File whose first line is the trust store's password. Env: IMGPIPE_TLS_TRUST_STORE_PASSWORD_FILE,"
          + " or the password itself in IMGPIPE_TLS_TRUST_STORE_PASSWORD.")
  Path tlsTrustStorePasswordFile;

  @Option(names = "--tls-hostname-verification", arity = "0..1", paramLabel = "BOOL",
      description = "Check that a dialled node's certificate names the address it was dialled at (default false)."
          + " Env: IMGPIPE_TLS_HOSTNAME_VERIFICATION.")
  Boolean tlsHostnameVerification;

  /** The flags given on the command line, nothing else. */
  public NodeOptions flags() {
    NodeOptions.Builder b = NodeOptions.builder();
    if (config != null) b.configFile(config);
    if (roles != null) b.roles(roles);
    if (host != null) b.host(host);
    if (canonicalHost != null) b.canonicalHost(canonicalHost);
    if (seedNodes != null) b.seedNodes(seedNodes);
    if (serveAllPorts != null) b.serveAllPorts(serveAllPorts);
    if (clusterPort != null) b.clusterPort(clusterPort);
    if (joinTimeout != null) b.joinTimeout(joinTimeout);
    if (resizePort != null) b.port(Role.RESIZE, resizePort);
    if (filterPort != null) b.port(Role.FILTER, filterPort);
    if (watermarkPort != null) b.port(Role.WATERMARK, watermarkPort);
    if (orchestratorPort != null) b.port(Role.ORCHESTRATOR, orchestratorPort);
    if (formatPort != null) b.port(Role.FORMAT, formatPort);
    if (tls != null) b.tls(tls);
    if (tlsKeyStore != null) b.tlsKeyStore(tlsKeyStore);
    if (tlsKeyStorePasswordFile != null) b.tlsKeyStorePasswordFile(tlsKeyStorePasswordFile);
    if (tlsTrustStore != null) b.tlsTrustStore(tlsTrustStore);
    if (tlsTrustStorePasswordFile != null) b.tlsTrustStorePasswordFile(tlsTrustStorePasswordFile);
    if (tlsHostnameVerification != null) b.tlsHostnameVerification(tlsHostnameVerification);
    return b.build();
  }

  /** Environment, then flags on top. */
  public NodeOptions options() {
    return NodeOptions.fromEnvironment(System.getenv()).overriddenBy(flags());
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopSignal = new CountDownLatch(1);
    // Handled here rather than by the JVM's shutdown hook, so a graceful stop exits 0, not 143. A signal
    // that arrives while the node is still starting stops it right after start-up.
    for (String sig : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(sig), s -> stopSignal.countDown());
      } catch (IllegalArgumentException unsupported) {
        // Not available on this platform: the JVM shutdown hook still runs coordinated shutdown.
      }
    }
    ImgpipeNode node;
    try {
      node = ImgpipeNode.start(options());
    } catch (NodeConfigException e) {
      err.println("imgpipe node: " + e.getMessage());
      err.flush();
      return 1;
    }
    out.println(node.banner());
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread leave = new Thread(() -> {
      try {
        stopSignal.await();
      } catch (InterruptedException e) {
        return;
      }
      out.println("imgpipe node: leaving the cluster ...");
      out.flush();
      node.close();
      stopped.countDown();
    }, "imgpipe-leave");
    leave.setDaemon(true);
    leave.start();
    node.whenTerminated().thenRun(stopped::countDown);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.println("imgpipe node: stopped");
    out.flush();
    return 0;
  }

  /** "30s", "500ms", "2m" or a bare number of seconds. */
  public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim();
      if (v.matches("\\d+")) {
        return Duration.ofSeconds(Long.parseLong(v));
      }
      try {
        return com.typesafe.config.ConfigFactory.parseString("d = \"" + v + "\"").getDuration("d");
      } catch (com.typesafe.config.ConfigException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (for example 30s)");
      }
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new NodeCommand()).execute(args));
  }
}

package org.imgpipe.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.pipeline.ClusterConfig;

/**
 * How to start one node: a conf file plus overrides from flags and environment variables. Every field
 * is optional; an absent one leaves the conf file's (or reference.conf's) value in place.
 *
 * <p>Precedence, strongest first: flags, environment (IMGPIPE_*), JVM system properties
 * (-Dimgpipe.…), the conf file, reference.conf.
 */
public final class NodeOptions {

  /** The actor system's name, part of every cluster address (akka://imgpipe@host:port). */
  public static final String SYSTEM_NAME = "imgpipe";

  /** Environment variables, one per option. */
  public static final String ENV_CONFIG = "IMGPIPE_CONFIG";
  public static final String ENV_ROLES = "IMGPIPE_ROLES";
  public static final String ENV_HOST = "IMGPIPE_HOST";
  public static final String ENV_CANONICAL_HOST = "IMGPIPE_CANONICAL_HOST";
  public static final String ENV_SEED_NODES = "IMGPIPE_SEED_NODES";
  public static final String ENV_CLUSTER_PORT = "IMGPIPE_CLUSTER_PORT";
  public static final String ENV_SERVE_ALL_PORTS = "IMGPIPE_SERVE_ALL_PORTS";
  public static final String ENV_JOIN_TIMEOUT = "IMGPIPE_JOIN_TIMEOUT";
  /** Cluster TLS (imgpipe.node.tls). Passwords come from the environment or files, never from flags. */
  public static final String ENV_TLS = "IMGPIPE_TLS";
  public static final String ENV_TLS_KEY_STORE = "IMGPIPE_TLS_KEY_STORE";
  public static final String ENV_TLS_KEY_STORE_PASSWORD = "IMGPIPE_TLS_KEY_STORE_PASSWORD";
  public static final String ENV_TLS_KEY_STORE_PASSWORD_FILE = "IMGPIPE_TLS_KEY_STORE_PASSWORD_FILE";
  public static final String ENV_TLS_TRUST_STORE = "IMGPIPE_TLS_TRUST_STORE";
  public static final String ENV_TLS_TRUST_STORE_PASSWORD = "IMGPIPE_TLS_TRUST_STORE_PASSWORD";
  public static final String ENV_TLS_TRUST_STORE_PASSWORD_FILE = "IMGPIPE_TLS_TRUST_STORE_PASSWORD_FILE";
  public static final String ENV_TLS_HOSTNAME_VERIFICATION = "IMGPIPE_TLS_HOSTNAME_VERIFICATION";
  /** IMGPIPE_HOME: where the imgpipe script lives; relative --config paths are also looked up there. */
  public static final String ENV_HOME = "IMGPIPE_HOME";

  /** IMGPIPE_RESIZE_PORT, IMGPIPE_FILTER_PORT, ... for a role. */
  public static String portEnv(Role role) {
    return "IMGPIPE_" + role.name() + "_PORT";
  }

  private final Path configFile;
  private final List<String> roles;
  private final String host;
  private final String canonicalHost;
  private final List<String> seedNodes;
  private final Integer clusterPort;
  private final Boolean serveAllPorts;
  private final Map<Role, Integer> ports;
  private final Duration joinTimeout;
  private final Boolean tls;
  private final Path tlsKeyStore;
  private final Secret tlsKeyStorePassword;
  private final Path tlsTrustStore;
  private final Secret tlsTrustStorePassword;
  private final Boolean tlsHostnameVerification;

  /**
   * A store password as one option: the value itself (environment) or a file holding it (flags,
   * environment). Whichever a stronger source gives replaces both of a weaker one.
   */
  record Secret(String value, Path file) {
    @Override
    public String toString() {
      return file != null ? "(from " + file + ")" : "(hidden)";
    }
  }

  private NodeOptions(Builder b) {
    this.configFile = b.configFile;
    this.roles = b.roles == null ? null : List.copyOf(b.roles);
    this.host = b.host;
    this.canonicalHost = b.canonicalHost;
    this.seedNodes = b.seedNodes == null ? null : List.copyOf(b.seedNodes);
    this.clusterPort = b.clusterPort;
    this.serveAllPorts = b.serveAllPorts;
    this.ports = Map.copyOf(b.ports);
    this.joinTimeout = b.joinTimeout;
    this.tls = b.tls;
    this.tlsKeyStore = b.tlsKeyStore;
    this.tlsKeyStorePassword = b.tlsKeyStorePassword;
    this.tlsTrustStore = b.tlsTrustStore;
    this.tlsTrustStorePassword = b.tlsTrustStorePassword;
    this.tlsHostnameVerification = b.tlsHostnameVerification;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options for an all-roles node on one address with the given ports (the demo's embedded node, tests). */
  public static NodeOptions allInOne(String host, int clusterPort, ImgpipeSettings.Ports ports) {
    Builder b = builder().roles(List.of("all")).host(host).clusterPort(clusterPort);
    for (Role r : Role.values()) {
      b.port(r, ports.of(r));
    }
    return b.build();
  }

  /**
   * Reads the IMGPIPE_* variables. A malformed value (a port that is not a number) throws
   * {@link NodeConfigException} naming the variable.
   */
  public static NodeOptions fromEnvironment(Map<String, String> env) {
    Builder b = builder();
    text(env, ENV_CONFIG).ifPresent(v -> b.configFile(Path.of(v)));
    text(env, ENV_ROLES).ifPresent(v -> b.roles(splitList(v)));
    text(env, ENV_HOST).ifPresent(b::host);
    text(env, ENV_CANONICAL_HOST).ifPresent(b::canonicalHost);
    text(env, ENV_SEED_NODES).ifPresent(v -> b.seedNodes(splitList(v)));
    text(env, ENV_CLUSTER_PORT).ifPresent(v -> b.clusterPort(parsePort(ENV_CLUSTER_PORT, v)));
    text(env, ENV_SERVE_ALL_PORTS).ifPresent(v -> b.serveAllPorts(parseBoolean(ENV_SERVE_ALL_PORTS, v)));
    text(env, ENV_JOIN_TIMEOUT).ifPresent(v -> b.joinTimeout(parseDuration(ENV_JOIN_TIMEOUT, v)));
    for (Role r : Role.values()) {
      text(env, portEnv(r)).ifPresent(v -> b.port(r, parsePort(portEnv(r), v)));
    }
    text(env, ENV_TLS).ifPresent(v -> b.tls(parseBoolean(ENV_TLS, v)));
    text(env, ENV_TLS_KEY_STORE).ifPresent(v -> b.tlsKeyStore(Path.of(v)));
    secret(env, ENV_TLS_KEY_STORE_PASSWORD, ENV_TLS_KEY_STORE_PASSWORD_FILE).ifPresent(v -> b.tlsKeyStorePassword = v);
    text(env, ENV_TLS_TRUST_STORE).ifPresent(v -> b.tlsTrustStore(Path.of(v)));
    secret(env, ENV_TLS_TRUST_STORE_PASSWORD, ENV_TLS_TRUST_STORE_PASSWORD_FILE)
        .ifPresent(v -> b.tlsTrustStorePassword = v);
    text(env, ENV_TLS_HOSTNAME_VERIFICATION).ifPresent(v -> b.tlsHostnameVerification(
        parseBoolean(ENV_TLS_HOSTNAME_VERIFICATION, v)));
    return b.build();
  }

  /** A password variable or its _FILE twin; both set is an error. The value is used as it is, untrimmed. */
  private static Optional<Secret> secret(Map<String, String> env, String valueKey, String fileKey) {
    String value = env.get(valueKey);
    Optional<String> file = text(env, fileKey);
    boolean hasValue = value != null && !value.isEmpty();
    if (hasValue && file.isPresent()) {
      throw new NodeConfigException(valueKey + " and " + fileKey + " are both set; give one of them");
    }
    if (hasValue) {
      return Optional.of(new Secret(value, null));
    }
    return file.map(f -> new Secret(null, Path.of(f)));
  }

  /** These options with every field that {@code stronger} sets replaced by its value. */
  public NodeOptions overriddenBy(NodeOptions stronger) {
    Builder b = toBuilder();
    if (stronger.configFile != null) b.configFile = stronger.configFile;
    if (stronger.roles != null) b.roles = stronger.roles;
    if (stronger.host != null) b.host = stronger.host;
    if (stronger.canonicalHost != null) b.canonicalHost = stronger.canonicalHost;
    if (stronger.seedNodes != null) b.seedNodes = stronger.seedNodes;
    if (stronger.clusterPort != null) b.clusterPort = stronger.clusterPort;
    if (stronger.serveAllPorts != null) b.serveAllPorts = stronger.serveAllPorts;
    if (stronger.joinTimeout != null) b.joinTimeout = stronger.joinTimeout;
    if (stronger.tls != null) b.tls = stronger.tls;
    if (stronger.tlsKeyStore != null) b.tlsKeyStore = stronger.tlsKeyStore;
    if (stronger.tlsKeyStorePassword != null) b.tlsKeyStorePassword = stronger.tlsKeyStorePassword;
    if (stronger.tlsTrustStore != null) b.tlsTrustStore = stronger.tlsTrustStore;
    if (stronger.tlsTrustStorePassword != null) b.tlsTrustStorePassword = stronger.tlsTrustStorePassword;
    if (stronger.tlsHostnameVerification != null) b.tlsHostnameVerification = stronger.tlsHostnameVerification;
    b.ports.putAll(stronger.ports);
    return b.build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.configFile = configFile;
    b.roles = roles;
    b.host = host;
    b.canonicalHost = canonicalHost;
    b.seedNodes = seedNodes;
    b.clusterPort = clusterPort;
    b.serveAllPorts = serveAllPorts;
    b.joinTimeout = joinTimeout;
    b.tls = tls;
    b.tlsKeyStore = tlsKeyStore;
    b.tlsKeyStorePassword = tlsKeyStorePassword;
    b.tlsTrustStore = tlsTrustStore;
    b.tlsTrustStorePassword = tlsTrustStorePassword;
    b.tlsHostnameVerification = tlsHostnameVerification;
    b.ports.putAll(ports);
    return b;
  }

  public Optional<Path> configFile() {
    return Optional.ofNullable(configFile);
  }

  public Optional<List<String>> roles() {
    return Optional.ofNullable(roles);
  }

  public Optional<String> host() {
    return Optional.ofNullable(host);
  }

  public Optional<String> canonicalHost() {
    return Optional.ofNullable(canonicalHost);
  }

  public Optional<List<String>> seedNodes() {
    return Optional.ofNullable(seedNodes);
  }

  public Optional<Integer> clusterPort() {
    return Optional.ofNullable(clusterPort);
  }

  public Optional<Boolean> serveAllPorts() {
    return Optional.ofNullable(serveAllPorts);
  }

  public Map<Role, Integer> ports() {
    return ports;
  }

  public Optional<Duration> joinTimeout() {
    return Optional.ofNullable(joinTimeout);
  }

  public Optional<Boolean> tls() {
    return Optional.ofNullable(tls);
  }

  /** The {@code imgpipe.node} and {@code imgpipe.ports} keys these options set, and nothing else. */
  public Config overlay() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (roles != null) {
      m.put("imgpipe.node.roles", roles);
    }
    if (host != null) m.put("imgpipe.node.host", host);
    if (canonicalHost != null) m.put("imgpipe.node.canonical-host", canonicalHost);
    if (seedNodes != null) m.put("imgpipe.node.seed-nodes", seedNodes);
    if (clusterPort != null) m.put("imgpipe.node.cluster-port", clusterPort);
    if (serveAllPorts != null) m.put("imgpipe.node.serve-all-ports", serveAllPorts);
    if (joinTimeout != null) m.put("imgpipe.launcher.join-timeout", joinTimeout.toMillis() + "ms");
    ports.forEach((r, p) -> m.put("imgpipe.ports." + r.configName(), p));
    String tlsKeys = "imgpipe.node.tls.";
    if (tls != null) m.put(tlsKeys + "enabled", tls);
    if (tlsKeyStore != null) m.put(tlsKeys + "key-store", tlsKeyStore.toString());
    if (tlsTrustStore != null) m.put(tlsKeys + "trust-store", tlsTrustStore.toString());
    putSecret(m, tlsKeys + "key-store-password", tlsKeyStorePassword);
    putSecret(m, tlsKeys + "trust-store-password", tlsTrustStorePassword);
    if (tlsHostnameVerification != null) m.put(tlsKeys + "hostname-verification", tlsHostnameVerification);
    return ConfigFactory.parseMap(m, "command-line flags and IMGPIPE_* environment");
  }

  /** Sets the value and the file key together, so that a weaker source's other one no longer counts. */
  private static void putSecret(Map<String, Object> m, String key, Secret secret) {
    if (secret != null) {
      m.put(key, secret.value() == null ? "" : secret.value());
      m.put(key + "-file", secret.file() == null ? "" : secret.file().toString());
    }
  }

  /**
   * The whole configuration of the node: imgpipe settings checked, and the Akka remoting and cluster
   * keys derived from them (bind and canonical address, roles, seed nodes).
   *
   * @throws NodeConfigException with a one-line message for a missing or malformed conf file, an
   *     unknown role, a bad port or seed-node address
   */
  public Config toConfig() {
    Config imgpipe = locateTlsFiles(imgpipeConfig());
    ImgpipeSettings settings = settingsOf(imgpipe);
    try {
      return akkaConfig(settings, imgpipe).withFallback(imgpipe).resolve();
    } catch (IllegalArgumentException e) { // a password file that cannot be read
      throw new NodeConfigException(oneLine(e.getMessage()), e);
    }
  }

  private static final List<String> TLS_FILE_KEYS = List.of("key-store", "key-store-password-file", "trust-store",
      "trust-store-password-file");

  /** Relative TLS file paths, like --config: the working directory first, then IMGPIPE_HOME. */
  private static Config locateTlsFiles(Config config) {
    String home = System.getenv(ENV_HOME);
    if (home == null || home.isBlank() || !config.hasPath("imgpipe.node.tls")) {
      return config;
    }
    Config out = config;
    for (String k : TLS_FILE_KEYS) {
      String key = "imgpipe.node.tls." + k;
      String v = config.getString(key).trim();
      if (v.isEmpty() || Path.of(v).isAbsolute() || Files.exists(Path.of(v))) {
        continue;
      }
      Path inHome = Path.of(home).resolve(v);
      if (Files.exists(inHome)) {
        out = out.withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef(inHome.toString()));
      }
    }
    return out;
  }

  /** {@link ImgpipeSettings} of {@link #toConfig()}. */
  public static ImgpipeSettings settingsOf(Config config) {
    try {
      ImgpipeSettings s = new ImgpipeSettings(config);
      check(s);
      return s;
    } catch (ConfigException e) {
      throw new NodeConfigException("bad configuration: " + oneLine(e.getMessage()), e);
    } catch (IllegalArgumentException e) {
      throw new NodeConfigException(oneLine(e.getMessage()), e);
    }
  }

  private Config imgpipeConfig() {
    Config file = ConfigFactory.empty();
    if (configFile != null) {
      Path path = locate(configFile);
      try {
        file = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw new NodeConfigException("bad config file " + configFile + ": " + oneLine(e.getMessage()), e);
      }
    }
    try {
      return overlay()
          .withFallback(ConfigFactory.defaultOverrides())
          .withFallback(file)
          .withFallback(ConfigFactory.defaultApplication())
          .withFallback(ImgpipeSettings.reference())
          .resolve();
    } catch (ConfigException e) {
      throw new NodeConfigException("bad configuration: " + oneLine(e.getMessage()), e);
    }
  }

  /** A relative conf path is tried under the working directory, then under IMGPIPE_HOME. */
  private static Path locate(Path file) {
    if (Files.isRegularFile(file) || file.isAbsolute()) {
      if (!Files.isRegularFile(file)) {
        throw new NodeConfigException("config file " + file + " does not exist");
      }
      return file;
    }
    String home = System.getenv(ENV_HOME);
    if (home != null && !home.isBlank()) {
      Path inHome = Path.of(home).resolve(file);
      if (Files.isRegularFile(inHome)) {
        return inHome;
      }
    }
    throw new NodeConfigException("config file " + file + " does not exist (looked in "
        + Path.of("").toAbsolutePath() + (home == null ? "" : " and " + home) + ")");
  }

  private static void check(ImgpipeSettings s) {
    ImgpipeSettings.Node n = s.node();
    if (n.roles().isEmpty()) {
      throw new NodeConfigException(
          "no roles: give --roles with any of resize, filter, watermark, format, orchestrator, all");
    }
    if (n.host().isBlank()) {
      throw new NodeConfigException("imgpipe.node.host is empty: give --host ADDRESS");
    }
    if (isWildcard(n.advertisedHost())) {
      throw new NodeConfigException("host " + n.host() + " binds every interface; give this node's own "
          + "address with --canonical-host ADDRESS (or " + ENV_CANONICAL_HOST + ")");
    }
    if (n.clusterPort() < 0 || n.clusterPort() > 65535) {
      throw new NodeConfigException("cluster port " + n.clusterPort() + " is not a valid port");
    }
    for (String seed : n.seedNodes()) {
      seedAddress(seed);
    }
  }

  static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /**
   * The Akka keys of a node (bind and canonical address, roles, seed nodes), as the pipeline derives
   * them. With no seed nodes the node joins itself once it is bound (which also works with port 0).
   */
  static Config akkaConfig(ImgpipeSettings s, Config imgpipe) {
    return ClusterConfig.of(s, SYSTEM_NAME);
  }

  /** "host:port" (or a full akka:// address) → the Akka address of that seed node. */
  static String seedAddress(String seed) {
    String s = seed.trim();
    if (s.startsWith("akka://")) {
      return s;
    }
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new NodeConfigException("seed node '" + seed + "' is not host:port (for example 192.168.1.15:25520)");
    }
    String host = s.substring(0, colon);
    int port = parsePort("seed node '" + seed + "'", s.substring(colon + 1));
    if (port == 0) {
      throw new NodeConfigException("seed node '" + seed + "' has port 0; give the seed's cluster port");
    }
    return "akka://" + SYSTEM_NAME + "@" + host + ":" + port;
  }

  static List<String> splitList(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  /** Roles named in a list, "all" expanded; unknown names throw with the list of valid ones. */
  public static Set<Role> parseRoles(List<String> names) {
    Set<Role> roles = new TreeSet<>();
    for (String name : names) {
      if (name.trim().equalsIgnoreCase("all")) {
        roles.addAll(List.of(Role.values()));
      } else {
        try {
          roles.add(Role.parse(name));
        } catch (IllegalArgumentException e) {
          throw new NodeConfigException(e.getMessage(), e);
        }
      }
    }
    return roles;
  }

  static int parsePort(String what, String value) {
    try {
      int port = Integer.parseInt(value.trim());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new NodeConfigException(what + ": '" + value + "' is not a port number (0-65535)");
    }
  }

  private static boolean parseBoolean(String what, String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "on":
        return true;
      case "0", "false", "no", "off":
        return false;
      default:
        throw new NodeConfigException(what + ": '" + value + "' is not true or false");
    }
  }

  private static Duration parseDuration(String what, String value) {
    try {
      return ConfigFactory.parseString("d = \"" + value.trim() + "\"").getDuration("d");
    } catch (ConfigException e) {
      throw new NodeConfigException(what + ": '" + value + "' is not a duration (for example 30s)");
    }
  }

  private static Optional<String> text(Map<String, String> env, String key) {
    String v = env.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  @Override
  public String toString() {
    Config shown = overlay();
    for (String key : List.of("imgpipe.node.tls.key-store-password", "imgpipe.node.tls.trust-store-password")) {
      if (shown.hasPath(key) && !shown.getString(key).isEmpty()) {
        shown = shown.withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef("(hidden)"));
      }
    }
    return "NodeOptions" + shown.root().render(com.typesafe.config.ConfigRenderOptions.concise())
        + (configFile == null ? "" : " config=" + configFile);
  }

  /** Sets options one by one; unset ones stay absent. */
  public static final class Builder {
    private Path configFile;
    private List<String> roles;
    private String host;
    private String canonicalHost;
    private List<String> seedNodes;
    private Integer clusterPort;
    private Boolean serveAllPorts;
    private final Map<Role, Integer> ports = new EnumMap<>(Role.class);
    private Duration joinTimeout;
    private Boolean tls;
    private Path tlsKeyStore;
    private Secret tlsKeyStorePassword;
    private Path tlsTrustStore;
    private Secret tlsTrustStorePassword;
    private Boolean tlsHostnameVerification;

    private Builder() {}

    public Builder configFile(Path file) {
      this.configFile = file;
      return this;
    }

    /** Role names (resize, filter, watermark, format, orchestrator, all); checked by {@link #build()}. */
    public Builder roles(List<String> names) {
      this.roles = names;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder canonicalHost(String host) {
      this.canonicalHost = host;
      return this;
    }

    /** Seed nodes as "host:port" of their cluster port. */
    public Builder seedNodes(List<String> seeds) {
      this.seedNodes = seeds;
      return this;
    }

    public Builder clusterPort(int port) {
      this.clusterPort = port;
      return this;
    }

    public Builder serveAllPorts(boolean serveAll) {
      this.serveAllPorts = serveAll;
      return this;
    }

    public Builder port(Role role, int port) {
      ports.put(role, port);
      return this;
    }

    /** How long to wait for the node to join the cluster before giving up. */
    public Builder joinTimeout(Duration timeout) {
      this.joinTimeout = timeout;
      return this;
    }

    /** Artery over mutual TLS between the nodes (imgpipe.node.tls.enabled). */
    public Builder tls(boolean on) {
      this.tls = on;
      return this;
    }

    /** PKCS12 key store with this node's key and certificate. */
    public Builder tlsKeyStore(Path file) {
      this.tlsKeyStore = file;
      return this;
    }

    /** The key store's password itself (from the environment; flags only take a file). */
    public Builder tlsKeyStorePassword(String password) {
      this.tlsKeyStorePassword = new Secret(password, null);
      return this;
    }

    /** A file whose first line is the key store's password. */
    public Builder tlsKeyStorePasswordFile(Path file) {
      this.tlsKeyStorePassword = new Secret(null, file);
      return this;
    }

    /** PKCS12 trust store with the cluster CA's certificate. */
    public Builder tlsTrustStore(Path file) {
      this.tlsTrustStore = file;
      return this;
    }

    public Builder tlsTrustStorePassword(String password) {
      this.tlsTrustStorePassword = new Secret(password, null);
      return this;
    }

    public Builder tlsTrustStorePasswordFile(Path file) {
      this.tlsTrustStorePassword = new Secret(null, file);
      return this;
    }

    /** Whether a node checks the dialled node's certificate against the address it dialled. */
    public Builder tlsHostnameVerification(boolean on) {
      this.tlsHostnameVerification = on;
      return this;
    }

    /** @throws NodeConfigException for an unknown role or an invalid seed-node address */
    public NodeOptions build() {
      if (roles != null) {
        parseRoles(roles);
      }
      if (seedNodes != null) {
        seedNodes.forEach(NodeOptions::seedAddress);
      }
      return new NodeOptions(this);
    }
  }
}

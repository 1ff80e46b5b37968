package org.imgpipe.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NodeOptionsTest {

  @TempDir Path dir;

  private static final Path CONF = Path.of("..", "conf");

  private static ImgpipeSettings settings(NodeOptions o) {
    return new ImgpipeSettings(o.toConfig());
  }

  private Path conf(String text) throws IOException {
    Path f = dir.resolve("node.conf");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void noOptionsGiveTheAllInOneLoopbackDefaults() {
    ImgpipeSettings s = settings(NodeOptions.builder().build());
    assertEquals(Set.of(Role.values()), s.node().roles());
    assertEquals("127.0.0.1", s.node().host());
    assertEquals(25520, s.node().clusterPort());
    assertEquals(50055, s.ports().orchestrator());
    assertEquals(50056, s.ports().format());
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheConfFile() throws IOException {
    Path file = conf("imgpipe.node { roles = [resize], host = \"127.0.0.9\", cluster-port = 2600 }\n"
        + "imgpipe.ports.resize = 6001\n");
    NodeOptions env = NodeOptions.fromEnvironment(Map.of(
        NodeOptions.ENV_CONFIG, file.toString(),
        NodeOptions.ENV_ROLES, "filter, watermark",
        NodeOptions.ENV_HOST, "127.0.0.8"));
    NodeOptions flags = NodeOptions.builder().roles(List.of("orchestrator")).build();
    ImgpipeSettings s = settings(env.overriddenBy(flags));
    assertEquals(Set.of(Role.ORCHESTRATOR), s.node().roles());
    assertEquals("127.0.0.8", s.node().host());
    assertEquals(2600, s.node().clusterPort(), "the file's value stays where nothing overrides it");
    assertEquals(6001, s.ports().resize());

    ImgpipeSettings envOnly = settings(env);
    assertEquals(Set.of(Role.FILTER, Role.WATERMARK), envOnly.node().roles());
  }

  @Test
  void everyServicePortCanBeOverriddenByFlagOrEnvironment() {
    NodeOptions env = NodeOptions.fromEnvironment(Map.of(
        "IMGPIPE_RESIZE_PORT", "7002", "IMGPIPE_FORMAT_PORT", "7006", "IMGPIPE_CLUSTER_PORT", "7000",
        "IMGPIPE_SERVE_ALL_PORTS", "true"));
    NodeOptions flags = NodeOptions.builder().port(Role.FORMAT, 8006).port(Role.ORCHESTRATOR, 8005).build();
    ImgpipeSettings s = settings(env.overriddenBy(flags));
    assertEquals(new ImgpipeSettings.Ports(7002, 50053, 50054, 8005, 8006), s.ports());
    assertEquals(7000, s.node().clusterPort());
    assertTrue(s.node().serveAllPorts());
  }

  @Test
  void rolesAllExpandsToEveryRole() {
    assertEquals(Set.of(Role.values()), NodeOptions.parseRoles(List.of("all")));
    assertEquals(Set.of(Role.RESIZE, Role.FORMAT), NodeOptions.parseRoles(List.of("Resize", " format ")));
  }

  @Test
  void anUnknownRoleIsAOneLineErrorListingTheValidRoles() {
    NodeConfigException e = assertThrows(NodeConfigException.class,
        () -> NodeOptions.builder().roles(List.of("resize", "resizer")).build());
    assertEquals("unknown role 'resizer'; valid roles: resize, filter, watermark, format, orchestrator, all",
        e.getMessage());
  }

  @Test
  void anUnknownRoleInTheConfFileIsAlsoCaught() throws IOException {
    NodeOptions o = NodeOptions.builder().configFile(conf("imgpipe.node.roles = [resize, blur]")).build();
    NodeConfigException e = assertThrows(NodeConfigException.class, o::toConfig);
    assertTrue(e.getMessage().startsWith("unknown role 'blur'"), e.getMessage());
  }

  @Test
  void aMalformedConfFileIsAOneLineErrorNamingTheFile() throws IOException {
    Path file = conf("imgpipe.node {\n  roles = [resize\n  host = \n");
    NodeConfigException e = assertThrows(NodeConfigException.class,
        () -> NodeOptions.builder().configFile(file).build().toConfig());
    assertTrue(e.getMessage().startsWith("bad config file " + file + ": "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void aWronglyTypedValueIsABadConfigurationError() throws IOException {
    Path file = conf("imgpipe.node.cluster-port = lots");
    NodeConfigException e = assertThrows(NodeConfigException.class,
        () -> NodeOptions.builder().configFile(file).build().toConfig());
    assertTrue(e.getMessage().startsWith("bad configuration: "), e.getMessage());
    assertTrue(e.getMessage().contains("cluster-port"), e.getMessage());
  }

  @Test
  void aMissingConfFileIsNamed() {
    NodeConfigException e = assertThrows(NodeConfigException.class,
        () -> NodeOptions.builder().configFile(Path.of("conf/nope.conf")).build().toConfig());
    assertTrue(e.getMessage().startsWith("config file conf/nope.conf does not exist"), e.getMessage());
  }

  @Test
  void aNonNumericPortInTheEnvironmentNamesTheVariable() {
    NodeConfigException e = assertThrows(NodeConfigException.class,
        () -> NodeOptions.fromEnvironment(Map.of("IMGPIPE_FILTER_PORT", "50o53")));
    assertEquals("IMGPIPE_FILTER_PORT: '50o53' is not a port number (0-65535)", e.getMessage());
  }

  @Test
  void seedNodesDefaultToNoneSoTheNodeJoinsItself() {
    Config c = NodeOptions.builder().build().toConfig();
    assertEquals(List.of(), c.getStringList("akka.cluster.seed-nodes"));
    assertEquals("cluster", c.getString("akka.actor.provider"));
  }

  @Test
  void seedNodesBecomeAkkaAddressesOfTheImgpipeSystem() {
    Config c = NodeOptions.fromEnvironment(Map.of("IMGPIPE_SEED_NODES", "10.0.0.5:25520, 10.0.0.6:2552"))
        .toConfig();
    assertEquals(List.of("akka://imgpipe@10.0.0.5:25520", "akka://imgpipe@10.0.0.6:2552"),
        c.getStringList("akka.cluster.seed-nodes"));
  }

  @Test
  void aSeedNodeWithoutAPortIsRejected() {
    NodeConfigException e = assertThrows(NodeConfigException.class,
        () -> NodeOptions.builder().seedNodes(List.of("10.0.0.5")).build());
    assertEquals("seed node '10.0.0.5' is not host:port (for example 192.168.1.15:25520)", e.getMessage());
  }

  @Test
  void hostIsBoundAndAdvertisedUnlessACanonicalHostIsGiven() {
    Config same = NodeOptions.builder().host("127.0.0.7").clusterPort(2700).roles(List.of("filter")).build()
        .toConfig();
    assertEquals("127.0.0.7", same.getString("akka.remote.artery.bind.hostname"));
    assertEquals("127.0.0.7", same.getString("akka.remote.artery.canonical.hostname"));
    assertEquals(2700, same.getInt("akka.remote.artery.canonical.port"));
    assertEquals(List.of("filter"), same.getStringList("akka.cluster.roles"));

    Config nat = NodeOptions.fromEnvironment(Map.of("IMGPIPE_HOST", "0.0.0.0",
        "IMGPIPE_CANONICAL_HOST", "203.0.113.4")).toConfig();
    assertEquals("0.0.0.0", nat.getString("akka.remote.artery.bind.hostname"));
    assertEquals("203.0.113.4", nat.getString("akka.remote.artery.canonical.hostname"));
    assertEquals("203.0.113.4:50055", new ImgpipeSettings(nat).serviceAddress(Role.ORCHESTRATOR));
  }

  @Test
  void aWildcardHostNeedsACanonicalHost() {
    NodeConfigException e = assertThrows(NodeConfigException.class,
        () -> NodeOptions.builder().host("0.0.0.0").build().toConfig());
    assertTrue(e.getMessage().contains("--canonical-host"), e.getMessage());
  }

  @Test
  void joinTimeoutComesFromTheLauncherDefaultsOrTheEnvironment() {
    assertEquals(Duration.ofSeconds(30),
        NodeOptions.builder().build().toConfig().getDuration("imgpipe.launcher.join-timeout"));
    assertEquals(Duration.ofSeconds(5), NodeOptions.fromEnvironment(Map.of("IMGPIPE_JOIN_TIMEOUT", "5s"))
        .toConfig().getDuration("imgpipe.launcher.join-timeout"));
  }

  @Test
  void everyRoleConfFileParsesToItsRole() {
    Map<String, Role> files = Map.of("resize.conf", Role.RESIZE, "filter.conf", Role.FILTER,
        "watermark.conf", Role.WATERMARK, "format.conf", Role.FORMAT, "orchestrator.conf", Role.ORCHESTRATOR);
    files.forEach((file, role) -> {
      ImgpipeSettings s = settings(withTlsPasswords(NodeOptions.builder().configFile(CONF.resolve(file))
          .canonicalHost("192.0.2.1")).build());
      assertEquals(Set.of(role), s.node().roles(), file);
      assertEquals("0.0.0.0", s.node().host(), file);
      // Bound to every interface, so cluster TLS is on, with the role's own key store.
      assertTrue(s.tls().enabled(), file);
      assertEquals("docker/certs/" + role.configName() + ".p12", s.tls().keyStore(), file);
      assertEquals("docker/certs/truststore.p12", s.tls().trustStore(), file);
    });
    ImgpipeSettings all = settings(NodeOptions.builder().configFile(CONF.resolve("all-in-one.conf")).build());
    assertEquals(Set.of(Role.values()), all.node().roles());
    assertEquals("127.0.0.1", all.node().host());
    assertFalse(all.tls().enabled(), "loopback only: plain TCP");
  }

  /** The example confs read their passwords from files under docker/certs; these tests have none. */
  private static NodeOptions.Builder withTlsPasswords(NodeOptions.Builder b) {
    return b.tlsKeyStorePassword("test-only").tlsTrustStorePassword("test-only");
  }

  @Test
  void theFiveDeviceExampleMatchesTheOriginalsTableAndSeedsOnDeviceFive() {
    List<String> files = List.of("device1-resize.conf", "device2-filter.conf", "device3-watermark.conf",
        "device4-format.conf", "device5-orchestrator.conf");
    List<Role> roles = List.of(Role.RESIZE, Role.FILTER, Role.WATERMARK, Role.FORMAT, Role.ORCHESTRATOR);
    for (int i = 0; i < 5; i++) {
      Config c = withTlsPasswords(NodeOptions.builder().configFile(CONF.resolve("five-devices").resolve(files.get(i))))
          .build().toConfig();
      ImgpipeSettings s = new ImgpipeSettings(c);
      assertEquals(Set.of(roles.get(i)), s.node().roles(), files.get(i));
      assertEquals("192.168.1.1" + (i + 1), s.node().advertisedHost(), files.get(i));
      assertEquals("akka://imgpipe@192.168.1.15:25520", c.getStringList("akka.cluster.seed-nodes").get(0));
      assertEquals("tls-tcp", c.getString("akka.remote.artery.transport"), files.get(i));
      assertTrue(c.getBoolean("akka.remote.artery.ssl.config-ssl-engine.hostname-verification"), files.get(i));
      assertEquals("docker/certs/" + roles.get(i).configName() + ".p12",
          c.getString("akka.remote.artery.ssl.config-ssl-engine.key-store"), files.get(i));
    }
  }

  @Test
  void clusterTlsIsOffByDefaultSoArteryIsPlainTcp() {
    Config c = NodeOptions.builder().build().toConfig();
    assertEquals("tcp", c.getString("akka.remote.artery.transport"));
    assertFalse(new ImgpipeSettings(c).tls().enabled());
    assertEquals("", c.getString("akka.remote.artery.ssl.config-ssl-engine.key-store"), "no Akka placeholder store");
  }

  @Test
  void tlsFlagsBecomeArteryTlsWithMutualAuthenticationAndThePasswordsFromTheirFiles() throws IOException {
    Path keyPassword = Files.writeString(dir.resolve("key.password"), "k3y-secret\n");
    Path trustPassword = Files.writeString(dir.resolve("trust.password"), "trust-secret\r\nsecond line\n");
    Config c = NodeOptions.builder().tls(true).tlsKeyStore(Path.of("/etc/imgpipe/tls/resize.p12"))
        .tlsKeyStorePasswordFile(keyPassword).tlsTrustStore(Path.of("/etc/imgpipe/tls/truststore.p12"))
        .tlsTrustStorePasswordFile(trustPassword).build().toConfig();
    String ssl = "akka.remote.artery.ssl.config-ssl-engine.";
    assertEquals("tls-tcp", c.getString("akka.remote.artery.transport"));
    assertEquals("/etc/imgpipe/tls/resize.p12", c.getString(ssl + "key-store"));
    assertEquals("k3y-secret", c.getString(ssl + "key-store-password"));
    assertEquals("k3y-secret", c.getString(ssl + "key-password"));
    assertEquals("/etc/imgpipe/tls/truststore.p12", c.getString(ssl + "trust-store"));
    assertEquals("trust-secret", c.getString(ssl + "trust-store-password"), "the first line, without its line break");
    assertTrue(c.getBoolean(ssl + "require-mutual-authentication"));
    assertFalse(c.getBoolean(ssl + "hostname-verification"));
    assertEquals("TLSv1.3", c.getString(ssl + "protocol"));
  }

  @Test
  void aConfFileCannotTurnMutualAuthenticationOff() throws IOException {
    Path file = conf("akka.remote.artery.ssl.config-ssl-engine.require-mutual-authentication = off\n"
        + "imgpipe.node.tls { enabled = on, key-store = k.p12, key-store-password = a, trust-store = t.p12,"
        + " trust-store-password = b, hostname-verification = on }\n");
    Config c = NodeOptions.builder().configFile(file).build().toConfig();
    assertTrue(c.getBoolean("akka.remote.artery.ssl.config-ssl-engine.require-mutual-authentication"));
    assertTrue(c.getBoolean("akka.remote.artery.ssl.config-ssl-engine.hostname-verification"));
  }

  @Test
  void tlsOptionsFollowThePrecedenceFlagsEnvironmentConfFile() throws IOException {
    Path fromFile = Files.writeString(dir.resolve("conf.password"), "from-conf-file\n");
    Path fromFlag = Files.writeString(dir.resolve("flag.password"), "from-flag\n");
    Path file = conf("imgpipe.node.tls { enabled = on, key-store = conf.p12, key-store-password-file = \""
        + fromFile + "\", trust-store = t.p12, trust-store-password = t }\n");
    String ssl = "akka.remote.artery.ssl.config-ssl-engine.";
    Config confOnly = NodeOptions.builder().configFile(file).build().toConfig();
    assertEquals("from-conf-file", confOnly.getString(ssl + "key-store-password"));

    NodeOptions env = NodeOptions.fromEnvironment(Map.of(NodeOptions.ENV_CONFIG, file.toString(),
        NodeOptions.ENV_TLS_KEY_STORE, "env.p12", NodeOptions.ENV_TLS_KEY_STORE_PASSWORD, "from-env"));
    Config envWins = env.toConfig();
    assertEquals("env.p12", envWins.getString(ssl + "key-store"));
    assertEquals("from-env", envWins.getString(ssl + "key-store-password"), "the variable replaces the conf's file");

    Config flagWins = env.overriddenBy(NodeOptions.builder().tlsKeyStorePasswordFile(fromFlag)
        .tlsKeyStore(Path.of("flag.p12")).build()).toConfig();
    assertEquals("flag.p12", flagWins.getString(ssl + "key-store"));
    assertEquals("from-flag", flagWins.getString(ssl + "key-store-password"));

    Config off = env.overriddenBy(NodeOptions.builder().tls(false).build()).toConfig();
    assertEquals("tcp", off.getString("akka.remote.artery.transport"));
  }

  @Test
  void tlsEnvironmentVariablesAreRead() throws IOException {
    Path pw = Files.writeString(dir.resolve("trust.password"), "t\n");
    ImgpipeSettings s = settings(NodeOptions.fromEnvironment(Map.of("IMGPIPE_TLS", "yes",
        "IMGPIPE_TLS_KEY_STORE", "/k.p12", "IMGPIPE_TLS_KEY_STORE_PASSWORD", "k",
        "IMGPIPE_TLS_TRUST_STORE", "/t.p12", "IMGPIPE_TLS_TRUST_STORE_PASSWORD_FILE", pw.toString(),
        "IMGPIPE_TLS_HOSTNAME_VERIFICATION", "on")));
    assertTrue(s.tls().enabled());
    assertEquals("/k.p12", s.tls().keyStore());
    assertEquals("k", s.tls().keyStorePassword().reveal());
    assertEquals("t", s.tls().trustStorePassword().reveal());
    assertTrue(s.tls().hostnameVerification());
  }

  @Test
  void aPasswordInTwoVariablesIsAnError() {
    NodeConfigException e = assertThrows(NodeConfigException.class, () -> NodeOptions.fromEnvironment(Map.of(
        "IMGPIPE_TLS_KEY_STORE_PASSWORD", "a", "IMGPIPE_TLS_KEY_STORE_PASSWORD_FILE", "/run/secrets/p")));
    assertEquals("IMGPIPE_TLS_KEY_STORE_PASSWORD and IMGPIPE_TLS_KEY_STORE_PASSWORD_FILE are both set; give one of"
        + " them", e.getMessage());
  }

  @Test
  void tlsWithoutAStoreOrAPasswordIsAOneLineErrorSayingWhatToSet() {
    NodeConfigException noStore = assertThrows(NodeConfigException.class,
        () -> NodeOptions.builder().tls(true).build().toConfig());
    assertEquals("cluster TLS is on but imgpipe.node.tls.key-store is not set (docs/cluster-security.md)",
        noStore.getMessage());
    NodeConfigException noPassword = assertThrows(NodeConfigException.class, () -> NodeOptions.builder().tls(true)
        .tlsKeyStore(Path.of("k.p12")).tlsTrustStore(Path.of("t.p12")).tlsTrustStorePassword("t").build().toConfig());
    assertEquals("cluster TLS needs the key store's password: set imgpipe.node.tls.key-store-password-file (the "
        + "launcher: --tls-key-store-password-file or IMGPIPE_TLS_KEY_STORE_PASSWORD)", noPassword.getMessage());
    NodeConfigException unreadable = assertThrows(NodeConfigException.class, () -> NodeOptions.builder().tls(true)
        .tlsKeyStore(Path.of("k.p12")).tlsKeyStorePasswordFile(dir.resolve("none")).tlsTrustStore(Path.of("t.p12"))
        .tlsTrustStorePassword("t").build().toConfig());
    assertEquals("imgpipe.node.tls.key-store-password-file: cannot read " + dir.resolve("none")
        + " (NoSuchFileException)", unreadable.getMessage());
  }

  @Test
  void theNodeCommandTakesTlsStoresAndPasswordFilesButNoPasswords() {
    NodeCommand cmd = new NodeCommand();
    new CommandLine(cmd).parseArgs("--tls", "--tls-key-store", "/etc/imgpipe/tls/filter.p12",
        "--tls-key-store-password-file", "/etc/imgpipe/tls/filter.password", "--tls-trust-store",
        "/etc/imgpipe/tls/truststore.p12", "--tls-trust-store-password-file", "/etc/imgpipe/tls/truststore.password",
        "--tls-hostname-verification");
    Config overlay = cmd.flags().overlay();
    assertTrue(overlay.getBoolean("imgpipe.node.tls.enabled"));
    assertEquals("/etc/imgpipe/tls/filter.p12", overlay.getString("imgpipe.node.tls.key-store"));
    assertEquals("/etc/imgpipe/tls/filter.password", overlay.getString("imgpipe.node.tls.key-store-password-file"));
    assertEquals("", overlay.getString("imgpipe.node.tls.key-store-password"));
    assertEquals("/etc/imgpipe/tls/truststore.password",
        overlay.getString("imgpipe.node.tls.trust-store-password-file"));
    assertTrue(overlay.getBoolean("imgpipe.node.tls.hostname-verification"));
    assertThrows(CommandLine.UnmatchedArgumentException.class,
        () -> new CommandLine(new NodeCommand()).parseArgs("--tls-key-store-password", "secret"));
  }

  @Test
  void optionsNeverShowAPassword() {
    NodeOptions o = NodeOptions.fromEnvironment(Map.of("IMGPIPE_TLS_KEY_STORE_PASSWORD", "hunter2",
        "IMGPIPE_TLS_TRUST_STORE_PASSWORD", "letmein"));
    assertFalse(o.toString().contains("hunter2") || o.toString().contains("letmein"), o.toString());
    ImgpipeSettings.Tls tls = settings(o.overriddenBy(NodeOptions.builder().tls(true)
        .tlsKeyStore(Path.of("k.p12")).tlsTrustStore(Path.of("t.p12")).build())).tls();
    assertFalse(tls.toString().contains("hunter2") || tls.toString().contains("letmein"), tls.toString());
  }

  @Test
  void imgpipesAkkaSettingsWinOverAkkasOwnDefaultsWhateverTheClasspathOrder() {
    Config c = NodeOptions.builder().build().toConfig();
    assertEquals("cluster", c.getString("akka.actor.provider"));
    assertEquals("akka.cluster.sbr.SplitBrainResolverProvider", c.getString("akka.cluster.downing-provider-class"));
    assertEquals("off", c.getString("akka.actor.allow-java-serialization"));
  }
}

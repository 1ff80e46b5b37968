package org.imgpipe.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stores are checked before a node starts, and a plain-TCP node on a reachable address says so. */
class ClusterTlsTest {

  @TempDir Path dir;

  private static ImgpipeSettings.Tls tls(Path keyStore, String keyPassword, Path trustStore, String trustPassword) {
    return new ImgpipeSettings.Tls(true, keyStore.toString(),
        new ImgpipeSettings.Password("imgpipe.node.tls.key-store-password", keyPassword, ""), trustStore.toString(),
        new ImgpipeSettings.Password("imgpipe.node.tls.trust-store-password", trustPassword, ""), false);
  }

  private static ImgpipeSettings.Tls node(Path certs, String name) {
    return tls(certs.resolve(name + ".p12"), TestCerts.password(certs, name), certs.resolve("truststore.p12"),
        TestCerts.password(certs, "truststore"));
  }

  @Test
  void storesFromTheToolPassAndNameTheNodeAndItsExpiry() {
    ClusterTls.Identity id = ClusterTls.check(node(TestCerts.cluster(), "a"), "127.0.0.51");
    assertEquals("CN=a,OU=imgpipe node,O=imgpipe", id.subject());
    // The tool's default validity: 825 days from today (give or take the day boundary in UTC).
    long days = id.notAfter().toEpochDay() - LocalDate.now(ZoneOffset.UTC).toEpochDay();
    assertTrue(days >= 824 && days <= 825, "valid for " + days + " days");
  }

  @Test
  void aWrongPasswordNamesTheStore() {
    Path certs = TestCerts.cluster();
    ImgpipeSettings.Tls t = tls(certs.resolve("a.p12"), "not-the-password", certs.resolve("truststore.p12"),
        TestCerts.password(certs, "truststore"));
    NodeConfigException e = assertThrows(NodeConfigException.class, () -> ClusterTls.check(t, "127.0.0.51"));
    assertEquals("TLS key store " + certs.resolve("a.p12") + ": wrong password", e.getMessage());
  }

  @Test
  void aKeyStoreFromAnotherCaIsRefusedBeforeTheNodeStarts() {
    Path certs = TestCerts.cluster();
    Path other = TestCerts.otherCa();
    ImgpipeSettings.Tls t = tls(other.resolve("x.p12"), TestCerts.password(other, "x"),
        certs.resolve("truststore.p12"), TestCerts.password(certs, "truststore"));
    NodeConfigException e = assertThrows(NodeConfigException.class, () -> ClusterTls.check(t, "127.0.0.51"));
    assertTrue(e.getMessage().startsWith("the certificate in TLS key store " + other.resolve("x.p12")
        + " (CN=x,OU=imgpipe node,O=imgpipe) is not issued by a CA of trust store " + certs.resolve("truststore.p12")
        + " (CN=imgpipe cluster CA "), e.getMessage());
    assertTrue(e.getMessage().endsWith("both must come from the same cluster CA (docs/cluster-security.md)"),
        e.getMessage());
  }

  @Test
  void theTrustStoreInPlaceOfTheKeyStoreIsNamed() {
    Path certs = TestCerts.cluster();
    String pw = TestCerts.password(certs, "truststore");
    ImgpipeSettings.Tls t = tls(certs.resolve("truststore.p12"), pw, certs.resolve("truststore.p12"), pw);
    NodeConfigException e = assertThrows(NodeConfigException.class, () -> ClusterTls.check(t, "127.0.0.51"));
    assertEquals("TLS key store " + certs.resolve("truststore.p12") + " holds no private key with a certificate; it"
        + " must be a node's store, not the trust store (docs/cluster-security.md)", e.getMessage());
  }

  @Test
  void aMissingStorePointsToTheTool() {
    Path certs = TestCerts.cluster();
    ImgpipeSettings.Tls t = tls(certs.resolve("a.p12"), TestCerts.password(certs, "a"), dir.resolve("trust.p12"), "x");
    NodeConfigException e = assertThrows(NodeConfigException.class, () -> ClusterTls.check(t, "127.0.0.51"));
    assertEquals("TLS trust store " + dir.resolve("trust.p12") + " does not exist; make the stores with"
        + " docker/make-cluster-certs.sh (docs/cluster-security.md)", e.getMessage());
  }

  @Test
  void anExpiredCertificateIsRefusedWithItsDate() throws Exception {
    Path certs = TestCerts.cluster();
    Path store = dir.resolve("old.p12");
    Path pw = Files.writeString(dir.resolve("old.password"), "old-password\n");
    String kt = TestCerts.keytool();
    String caPw = certs.resolve("ca.password").toString();
    TestCerts.run(List.of(kt, "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=old", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass:file", pw.toString()));
    TestCerts.run(List.of(kt, "-certreq", "-alias", "node", "-keystore", store.toString(), "-storepass:file",
        pw.toString(), "-file", dir.resolve("old.csr").toString()));
    // Valid for one day, ten days ago.
    TestCerts.run(List.of(kt, "-gencert", "-rfc", "-alias", "ca", "-keystore", certs.resolve("ca.p12").toString(),
        "-storepass:file", caPw, "-startdate", "-10d", "-validity", "1", "-infile", dir.resolve("old.csr").toString(),
        "-outfile", dir.resolve("old.crt").toString()));
    TestCerts.run(List.of(kt, "-importcert", "-noprompt", "-alias", "ca", "-file", certs.resolve("ca.crt").toString(),
        "-keystore", store.toString(), "-storepass:file", pw.toString()));
    TestCerts.run(List.of(kt, "-importcert", "-alias", "node", "-file", dir.resolve("old.crt").toString(),
        "-keystore", store.toString(), "-storepass:file", pw.toString()));

    ImgpipeSettings.Tls t = tls(store, "old-password", certs.resolve("truststore.p12"),
        TestCerts.password(certs, "truststore"));
    NodeConfigException e = assertThrows(NodeConfigException.class, () -> ClusterTls.check(t, "127.0.0.51"));
    assertEquals("the certificate in TLS key store " + store + " expired on "
        + LocalDate.now(ZoneOffset.UTC).minusDays(9) + "; make a new one (docs/cluster-security.md)", e.getMessage());
  }

  @Test
  void withHostnameVerificationTheNodesOwnCertificateMustNameItsAddress() {
    Path certs = TestCerts.cluster();
    ImgpipeSettings.Tls plain = node(certs, "a");
    ImgpipeSettings.Tls verifying = new ImgpipeSettings.Tls(true, plain.keyStore(), plain.keyStorePassword(),
        plain.trustStore(), plain.trustStorePassword(), true);
    assertEquals("CN=a,OU=imgpipe node,O=imgpipe", ClusterTls.check(verifying, "127.0.0.51").subject());
    NodeConfigException e = assertThrows(NodeConfigException.class, () -> ClusterTls.check(verifying, "127.0.0.52"));
    assertEquals("hostname verification is on, but the certificate in TLS key store " + certs.resolve("a.p12")
        + " names ip:127.0.0.51, not this node's address 127.0.0.52: the other nodes would refuse it. Make it with"
        + " NAME=ip:127.0.0.52 (docs/cluster-security.md)", e.getMessage());
    // Off, the address does not matter.
    assertEquals("CN=a,OU=imgpipe node,O=imgpipe", ClusterTls.check(plain, "127.0.0.52").subject());
  }

  private static ImgpipeSettings.Node where(String host, String canonicalHost) {
    return new ImgpipeSettings.Node(Set.of(Role.FILTER), host, canonicalHost, 25520, List.of(), false);
  }

  @Test
  void plainTcpOnAnAddressOthersCanReachIsWarnedAbout() {
    Optional<String> wildcard = ClusterTls.plainTcpWarning(where("0.0.0.0", "192.0.2.7"), "tcp");
    assertEquals(Optional.of("the cluster port 25520 on 0.0.0.0 is plain TCP without authentication: anyone who"
        + " reaches it can join the cluster, receive clients' images and answer with forged results. Turn on cluster"
        + " TLS (--tls, docs/cluster-security.md), or let a firewall admit only the other nodes to the port."),
        wildcard);
    assertTrue(ClusterTls.plainTcpWarning(where("192.0.2.7", ""), "tcp").isPresent());
    // Bound to loopback but advertised elsewhere (a port forward): still reachable from outside.
    assertTrue(ClusterTls.plainTcpWarning(where("127.0.0.1", "192.0.2.7"), "tcp").isPresent());
  }

  @Test
  void loopbackOrTlsIsNotWarnedAbout() {
    assertEquals(Optional.empty(), ClusterTls.plainTcpWarning(where("127.0.0.1", ""), "tcp"));
    assertEquals(Optional.empty(), ClusterTls.plainTcpWarning(where("127.0.0.33", "localhost"), "tcp"));
    assertEquals(Optional.empty(), ClusterTls.plainTcpWarning(where("0.0.0.0", "192.0.2.7"), "tls-tcp"));
  }

  @Test
  void loopbackMeansEveryAddressOfTheNameIsLoopback() {
    assertTrue(ClusterTls.isLoopback("127.0.0.1"));
    assertTrue(ClusterTls.isLoopback("::1"));
    assertTrue(ClusterTls.isLoopback("[::1]"));
    assertTrue(ClusterTls.isLoopback("localhost"));
    assertFalse(ClusterTls.isLoopback("0.0.0.0"));
    assertFalse(ClusterTls.isLoopback("192.0.2.7"));
    assertFalse(ClusterTls.isLoopback("no-such-host.invalid"));
  }
}

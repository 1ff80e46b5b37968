package org.imgpipe.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.testing.TestImages;
import org.imgpipe.xmlrpc.client.ImgpipeClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two nodes with cluster TLS from one CA (made by docker/make-cluster-certs.sh at test time, with each
 * node's address in its certificate) and hostname verification on: A has only the orchestrator, B every
 * stage, so process_image on A sends the image to B and back over the TLS link. A node with a
 * certificate from another CA, a node without TLS, and a node using B's certificate at another address
 * cannot join them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MutualTlsClusterTest {

  private static final String A = "127.0.0.51";
  private static final String B = "127.0.0.52";
  private static final String STRANGER = "127.0.0.53";
  private static final String PLAIN = "127.0.0.54";
  private static final String THIEF = "127.0.0.55";
  /** How long a node that must not get in keeps trying before it gives up. */
  private static final Duration REFUSED_JOIN = Duration.ofSeconds(20);

  private Path certs;
  private ImgpipeNode a;
  private ImgpipeNode b;
  private ImgpipeSettings.Ports portsB;
  /** Every member address A has seen in a membership event since B joined. */
  private final Queue<String> seenByA = new ConcurrentLinkedQueue<>();

  private static NodeOptions.Builder node(String host, ImgpipeSettings.Ports ports, String... roles) {
    NodeOptions.Builder o = NodeOptions.builder().host(host).clusterPort(LocalPorts.free(host)).roles(List.of(roles))
        .joinTimeout(Duration.ofSeconds(120));
    for (Role r : Role.values()) {
      o.port(r, ports.of(r));
    }
    return o;
  }

  private static String seed(ImgpipeNode n) {
    return n.settings().node().host() + ":" + n.settings().node().clusterPort();
  }

  @BeforeAll
  void startTwoTlsNodes() {
    certs = TestCerts.cluster();
    a = ImgpipeNode.start(TestCerts.tls(node(A, LocalPorts.freeServicePorts(A), "orchestrator"), certs, "a")
        .tlsHostnameVerification(true).build());
    a.system().systemActorOf(Behaviors.<ClusterEvent.MemberEvent>setup(ctx -> {
      Cluster.get(ctx.getSystem()).subscriptions()
          .tell(Subscribe.create(ctx.getSelf(), ClusterEvent.MemberEvent.class));
      return Behaviors.receiveMessage(e -> {
        seenByA.add(e.member().address().toString());
        return Behaviors.same();
      });
    }), "test-member-events", akka.actor.typed.Props.empty());
    portsB = LocalPorts.freeServicePorts(B);
    b = ImgpipeNode.start(TestCerts.tls(node(B, portsB, "resize", "filter", "watermark", "format"), certs, "b")
        .tlsHostnameVerification(true).seedNodes(List.of(seed(a))).build());
    awaitTrue(Duration.ofSeconds(60), () -> upMembers(a).size() == 2 && upMembers(b).size() == 2,
        "A and B did not form a cluster of two");
  }

  @AfterAll
  void stopNodes() {
    for (ImgpipeNode n : new ImgpipeNode[] {b, a}) {
      if (n != null) {
        n.close();
      }
    }
  }

  @Test
  @Order(1)
  void bothNodesRunMutualTlsWithTheirOwnCertificates() {
    assertEquals("tls-tcp", a.system().settings().config().getString("akka.remote.artery.transport"));
    assertTrue(a.banner().contains("cluster TLS   mutual TLS, CN=a,OU=imgpipe node,O=imgpipe, until "), a.banner());
    assertTrue(b.banner().contains("cluster TLS   mutual TLS, CN=b,"), b.banner());
  }

  @Test
  @Order(2)
  void processImageOnTheOrchestratorRunsEveryStageOnTheOtherNodeOverTls() throws Exception {
    byte[] png = TestImages.png(TestImages.photoLike(320, 240, 7));
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("target_width", 160);
    options.put("target_height", 120);
    options.put("filters", new Object[] {"SEPIA", "SHARPEN"});
    options.put("add_watermark", true);
    options.put("watermark_text", "over TLS");
    options.put("output_format", "PNG");
    ImgpipeClient client = new ImgpipeClient(A, a.openPorts().get(Role.ORCHESTRATOR), Duration.ofSeconds(60));
    Map<String, Object> r = client.processImage("tls.png", png, options);

    assertEquals(Boolean.TRUE, r.get("success"), String.valueOf(r.get("message")));
    var out = ImageIO.read(new java.io.ByteArrayInputStream((byte[]) r.get("processed_image")));
    assertEquals(160, out.getWidth());
    assertEquals(120, out.getHeight());
    Map<?, ?> hosts = (Map<?, ?>) ((Map<?, ?>) r.get("stats")).get("host_map");
    assertEquals(B + ":" + portsB.resize(), hosts.get("Resize"), hosts.toString());
    assertEquals(B + ":" + portsB.filter(), hosts.get("Filter-1 (SEPIA)"), hosts.toString());
    assertEquals(B + ":" + portsB.filter(), hosts.get("Filter-2 (SHARPEN)"), hosts.toString());
    assertEquals(B + ":" + portsB.watermark(), hosts.get("Watermark"), hosts.toString());
    assertEquals(B + ":" + portsB.format(), hosts.get("Format"), hosts.toString());
    assertEquals(A + ":" + a.openPorts().get(Role.ORCHESTRATOR), hosts.get("Orchestrator"), hosts.toString());
  }

  @Test
  @Order(3)
  void theClusterPortCompletesAHandshakeOnlyWithACertificateFromTheClustersCa() throws Exception {
    int port = a.settings().node().clusterPort();
    // With b's key: the handshake completes, and A shows its own certificate from the same CA.
    try (SSLSocket s = tlsSocket(certs.resolve("b.p12"), TestCerts.password(certs, "b"), A, port)) {
      s.startHandshake();
      X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
      assertEquals("CN=a,OU=imgpipe node,O=imgpipe", peer.getSubjectX500Principal().getName());
      assertEquals(caSubject(certs), peer.getIssuerX500Principal().getName());
    }
    // Without a certificate: A ends the connection (TLS 1.3 tells the client after its side of the handshake).
    try (SSLSocket s = tlsSocket(null, null, A, port)) {
      s.setSoTimeout(15_000);
      try {
        s.startHandshake();
        int read = s.getInputStream().read();
        assertEquals(-1, read, "A must close a connection that shows no certificate");
      } catch (SocketTimeoutException e) {
        fail("A kept a connection open that showed no client certificate");
      } catch (SSLException | java.net.SocketException expected) {
        // bad_certificate / certificate_required alert, or reset: refused either way
      }
    }
  }

  @Test
  @Order(4)
  void aNodeWithACertificateFromAnotherCaCannotJoin() throws Exception {
    Path other = TestCerts.otherCa();
    // The stranger trusts the cluster's CA as well as its own, so it accepts A's and B's certificates; they
    // refuse its certificate, whether it dials them (mutual authentication) or they answer it.
    Path trustBoth = trustStoreWithBothCas(other);
    NodeOptions stranger = node(STRANGER, LocalPorts.freeServicePorts(STRANGER), "filter")
        .tls(true).tlsKeyStore(other.resolve("x.p12")).tlsKeyStorePasswordFile(other.resolve("x.password"))
        .tlsTrustStore(trustBoth).tlsTrustStorePasswordFile(other.resolve("truststore.password"))
        .seedNodes(List.of(seed(a), seed(b))).joinTimeout(REFUSED_JOIN).build();

    NodeConfigException e = assertThrows(NodeConfigException.class, () -> ImgpipeNode.start(stranger));

    assertTrue(e.getMessage().startsWith("could not join the cluster within " + REFUSED_JOIN.toSeconds() + " s"),
        e.getMessage());
    assertTrue(e.getMessage().contains("certificates from the same CA"), e.getMessage());
    assertNeverAMember(STRANGER);
  }

  @Test
  @Order(5)
  void aNodeWithoutTlsCannotJoinATlsCluster() throws Exception {
    NodeOptions plain = node(PLAIN, LocalPorts.freeServicePorts(PLAIN), "filter")
        .seedNodes(List.of(seed(a), seed(b))).joinTimeout(REFUSED_JOIN).build();

    NodeConfigException e = assertThrows(NodeConfigException.class, () -> ImgpipeNode.start(plain));

    assertTrue(e.getMessage().startsWith("could not join the cluster within " + REFUSED_JOIN.toSeconds() + " s"),
        e.getMessage());
    assertNeverAMember(PLAIN);
    // And the two nodes still work together.
    processImageOnTheOrchestratorRunsEveryStageOnTheOtherNodeOverTls();
  }

  @Test
  @Order(6)
  void aNodeWithAMembersKeyAtAnotherAddressCannotJoinWhenTheMembersVerifyAddresses() throws Exception {
    // B's own key store, as if copied off B, used by a node at another address. Its own checks pass
    // (it does not verify addresses itself); A and B dial it back at THIEF and see a certificate for B.
    NodeOptions thief = TestCerts.tls(node(THIEF, LocalPorts.freeServicePorts(THIEF), "filter"), certs, "b")
        .seedNodes(List.of(seed(a), seed(b))).joinTimeout(REFUSED_JOIN).build();

    NodeConfigException e = assertThrows(NodeConfigException.class, () -> ImgpipeNode.start(thief));

    assertTrue(e.getMessage().startsWith("could not join the cluster within " + REFUSED_JOIN.toSeconds() + " s"),
        e.getMessage());
    assertNeverAMember(THIEF);
  }

  @Test
  @Order(7)
  void aPlainTcpSocketGetsNothingFromTheClusterPort() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(A, a.settings().node().clusterPort()), 5_000);
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      // Artery's TCP stream header ("AKKA" and a stream id), which a plain-TCP node sends first.
      out.write(new byte[] {'A', 'K', 'K', 'A', 1});
      out.flush();
      InputStream in = s.getInputStream();
      int first;
      try {
        first = in.read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("A kept a plain TCP connection open", e);
      } catch (java.net.SocketException reset) {
        first = -1;
      }
      // A TLS server answers non-TLS bytes with at most an alert record (type 21), then closes.
      assertTrue(first == -1 || first == 21, "A answered plain TCP with byte " + first);
    }
  }

  private void assertNeverAMember(String host) {
    String address = "akka://imgpipe@" + host + ":";
    for (String seen : seenByA) {
      assertFalse(seen.startsWith(address), "A saw " + seen + " in a membership event: " + seenByA);
    }
    for (ImgpipeNode n : List.of(a, b)) {
      List<Member> members = new ArrayList<>();
      Cluster.get(n.system()).state().getMembers().forEach(members::add);
      assertEquals(2, members.size(), members.toString());
      assertTrue(members.stream().noneMatch(m -> m.address().toString().startsWith(address)), members.toString());
      assertEquals(2, upMembers(n).size(), members.toString());
    }
  }

  private static List<Member> upMembers(ImgpipeNode n) {
    List<Member> up = new ArrayList<>();
    for (Member m : Cluster.get(n.system()).state().getMembers()) {
      if (m.status() == MemberStatus.up()) {
        up.add(m);
      }
    }
    return up;
  }

  private static void awaitTrue(Duration max, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " within " + max.toSeconds() + " s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  /** A TLS 1.3 client trusting the cluster CA, with the given key store as its certificate (or none). */
  private SSLSocket tlsSocket(Path keyStore, String password, String host, int port) throws Exception {
    KeyManagerFactory kmf = null;
    if (keyStore != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        ks.load(in, password.toCharArray());
      }
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password.toCharArray());
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certs.resolve("truststore.p12"))) {
      trust.load(in, TestCerts.password(certs, "truststore").toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
    s.connect(new InetSocketAddress(host, port), 5_000);
    s.setSoTimeout(15_000);
    return s;
  }

  private static String caSubject(Path dir) throws Exception {
    try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
      return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in))
          .getSubjectX500Principal().getName();
    }
  }

  /** The other CA's trust store plus the cluster CA's certificate, with the other trust store's password. */
  private Path trustStoreWithBothCas(Path other) throws Exception {
    char[] pw = TestCerts.password(other, "truststore").toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(other.resolve("truststore.p12"))) {
      ks.load(in, pw);
    }
    try (InputStream in = Files.newInputStream(certs.resolve("ca.crt"))) {
      ks.setCertificateEntry("the-clusters-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    Path out = other.resolve("trust-both.p12");
    try (OutputStream o = Files.newOutputStream(out)) {
      ks.store(o, pw);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}

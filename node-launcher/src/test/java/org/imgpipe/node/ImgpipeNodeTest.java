package org.imgpipe.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Starting real nodes on their own loopback addresses with ports chosen at run time. */
class ImgpipeNodeTest {

  private static final String HOST = "127.0.0.31";

  private static NodeOptions.Builder node(String host, ImgpipeSettings.Ports ports, String... roles) {
    NodeOptions.Builder b = NodeOptions.builder().host(host).clusterPort(LocalPorts.free(host))
        .roles(List.of(roles)).joinTimeout(Duration.ofSeconds(30));
    for (Role r : Role.values()) {
      b.port(r, ports.of(r));
    }
    return b;
  }

  @Test
  void aNodeOpensItsRolesPortsShowsThemInTheBannerAndAnswersHealthUntilClosed() throws Exception {
    ImgpipeSettings.Ports ports = LocalPorts.freeServicePorts(HOST);
    ImgpipeNode node = ImgpipeNode.start(node(HOST, ports, "resize", "orchestrator").build());
    try {
      assertEquals(List.of(Role.RESIZE, Role.ORCHESTRATOR), List.copyOf(node.openPorts().keySet()));
      assertEquals(ports.orchestrator(), node.openPorts().get(Role.ORCHESTRATOR));
      String banner = node.banner();
      assertTrue(banner.contains("roles         resize, orchestrator"), banner);
      assertTrue(banner.contains("http://" + HOST + ":" + ports.resize() + "/"), banner);
      assertTrue(banner.contains("seed nodes    (itself)"), banner);
      assertTrue(banner.contains(node.clusterAddress()), banner);
      assertTrue(node.clusterAddress().startsWith("akka://imgpipe@" + HOST + ":"), node.clusterAddress());
      assertFalse(banner.contains(":" + ports.filter() + "/"), "no Filter port on this node");
      HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://" + HOST + ":" + ports.resize() + "/health")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
    } finally {
      node.close();
    }
    assertTrue(node.whenTerminated().toCompletableFuture().isDone());
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(HOST, ports.resize())); // the port is free again
    }
  }

  @Test
  void aBusyServicePortIsAOneLineErrorNamingThePort() throws Exception {
    ImgpipeSettings.Ports ports = LocalPorts.freeServicePorts(HOST);
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(HOST, ports.orchestrator()));
      NodeConfigException e = assertThrows(NodeConfigException.class,
          () -> ImgpipeNode.start(node(HOST, ports, "all").build()));
      assertEquals("Orchestrator port " + ports.orchestrator() + " on " + HOST + " is already in use (another "
          + "imgpipe node or program holds it); stop it, or choose other ports with the --*-port flags", e.getMessage());
    }
  }

  @Test
  void aBusyClusterPortIsAOneLineErrorToo() throws Exception {
    ImgpipeSettings.Ports ports = LocalPorts.freeServicePorts(HOST);
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(HOST, 0));
      NodeOptions o = node(HOST, ports, "all").clusterPort(taken.getLocalPort()).build();
      NodeConfigException e = assertThrows(NodeConfigException.class, () -> ImgpipeNode.start(o));
      assertTrue(e.getMessage().startsWith("cluster port " + taken.getLocalPort() + " on " + HOST
          + " is already in use"), e.getMessage());
    }
  }

  @Test
  void anUnreachableSeedGivesUpAfterTheJoinTimeoutWithAOneLineError() {
    String host = "127.0.0.32";
    int deadSeed = LocalPorts.free(host);
    NodeOptions o = node(host, LocalPorts.freeServicePorts(host), "filter")
        .seedNodes(List.of(host + ":" + deadSeed)).joinTimeout(Duration.ofSeconds(3)).build();
    long t0 = System.nanoTime();
    NodeConfigException e = assertThrows(NodeConfigException.class, () -> ImgpipeNode.start(o));
    long millis = (System.nanoTime() - t0) / 1_000_000L;
    assertEquals("could not join the cluster within 3 s: no seed node answered at " + host + ":" + deadSeed
        + "; check --seed-nodes, that a seed node is running, that TCP " + deadSeed
        + " is open between the devices, and that cluster TLS is off on the seed nodes too", e.getMessage());
    // It waited for the configured join timeout, and gave up (start-up itself is slow on a busy machine).
    assertTrue(millis >= 3000 && millis < 90_000, "gave up after " + millis + " ms");
  }

  @Test
  void theNodeCommandPrintsOneLineAndExitsOneForABadRole() {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new NodeCommand());
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("--roles", "resize,blur", "--host", HOST);
    assertEquals(1, code);
    assertEquals("imgpipe node: unknown role 'blur'; valid roles: resize, filter, watermark, format, orchestrator, all",
        err.toString().strip());
  }

  @Test
  void theNodeCommandPrintsOneLineForAMissingConfFile() {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new NodeCommand());
    cl.setErr(new PrintWriter(err, true));
    assertEquals(1, cl.execute("--config", "conf/none.conf"));
    assertTrue(err.toString().startsWith("imgpipe node: config file conf/none.conf does not exist"), err.toString());
    assertEquals(1, err.toString().strip().lines().count());
  }

  @Test
  void nodeCommandFlagsBecomeOptions() {
    NodeCommand cmd = new NodeCommand();
    new CommandLine(cmd).parseArgs("--roles", "resize,format", "--host", "127.0.0.9", "--canonical-host", "10.1.1.1",
        "--seed-nodes", "10.1.1.5:25520,10.1.1.6:25520", "--serve-all-ports", "--cluster-port", "2999",
        "--resize-port", "6052", "--format-port", "6056", "--join-timeout", "5s");
    ImgpipeSettings s = new ImgpipeSettings(cmd.flags().toConfig());
    assertEquals(java.util.Set.of(Role.RESIZE, Role.FORMAT), s.node().roles());
    assertEquals("127.0.0.9", s.node().host());
    assertEquals("10.1.1.1", s.node().advertisedHost());
    assertEquals(List.of("10.1.1.5:25520", "10.1.1.6:25520"), s.node().seedNodes());
    assertTrue(s.node().serveAllPorts());
    assertEquals(2999, s.node().clusterPort());
    assertEquals(6052, s.ports().resize());
    assertEquals(6056, s.ports().format());
    assertEquals(50053, s.ports().filter());
    assertEquals(Duration.ofSeconds(5), cmd.flags().joinTimeout().orElseThrow());
  }
}

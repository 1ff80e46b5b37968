package org.imgpipe.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.imgpipe.bridge.testing.LiveNode;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.testing.TestImages;
import org.imgpipe.xmlrpc.XmlRpcCodec;
import org.imgpipe.xmlrpc.XmlRpcResponse;
import org.imgpipe.xmlrpc.client.XmlRpcFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No request, body or connection pattern takes a node down or holds up its other clients (issue 17, the
 * HTTP side): a real node on loopback with small limits, so that each attack is small and quick. Attackers
 * connect from their own loopback addresses (127.0.0.2 and up), normal clients from 127.0.0.1; after and
 * during every attack a normal call is answered promptly.
 */
class HostileTrafficTest {

  private static final int MB = 1 << 20;
  private static final Duration PROMPT = Duration.ofSeconds(5);
  private static LiveNode node;
  private static String host;
  private static int resize;
  private static byte[] photo;
  private static final XmlRpcCodec codec = new XmlRpcCodec(XmlRpcCodec.Limits.clientDefaults());

  @BeforeAll
  static void start() {
    node = LiveNode.start("127.0.0.1", ConfigFactory.parseString("""
        imgpipe.http.request-head-timeout = 1s
        imgpipe.http.body-timeout = 1s
        imgpipe.http.max-connections-per-client = 8
        imgpipe.limits.max-request-bytes = 4 MiB
        imgpipe.limits.request-memory = 24 MiB
        imgpipe.limits.max-multicall-calls = 8
        imgpipe.limits.max-multicall-image-calls = 2
        """));
    host = node.host();
    resize = node.port(Role.RESIZE);
    photo = TestImages.png(TestImages.photoLike(640, 480, 7));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** A normal resize_image from 127.0.0.1: answered with success within {@link #PROMPT}. */
  private static long normalCallMillis() throws Exception {
    long start = System.nanoTime();
    Map<String, Object> r = node.client(Role.RESIZE).resizeImage(photo, "probe", 64, 48, true);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(true, r.get("success"), String.valueOf(r.get("message")));
    assertTrue(ms < PROMPT.toMillis(), "a normal call took " + ms + " ms");
    System.out.println("normal call: " + ms + " ms");
    return ms;
  }

  private static byte[] listMethods() throws Exception {
    return codec.requestBytes("system.listMethods", List.of());
  }

  // Finding 7: framing headers Akka HTTP would misread are refused before the route.

  @Test
  void framingHeadersThatAreNotPlainGet400AndTheConnectionCloses() throws Exception {
    byte[] second = listMethods();
    String secondRequest = RawHttp.post("/RPC2", second.length) + new String(second, StandardCharsets.ISO_8859_1);
    List<String[]> heads = List.of(
        new String[] {"Content-Length: 18446744073709551620", "not a number of bytes"},
        new String[] {"Content-Length: 4, 4", "not a number of bytes"},
        new String[] {"Content-Length: +4", "not a number of bytes"},
        new String[] {"Content-Length: 4\r\nContent-Length: 40", "more than one Content-Length"},
        new String[] {"Content-Length: 4\r\nTransfer-Encoding: chunked", "Content-Length and Transfer-Encoding"},
        new String[] {"X-Pad: a\r\n Content-Length: 4", "folded header"},
        new String[] {"Content-Length : 4", "not 'name: value'"});
    for (String[] h : heads) {
      try (RawHttp c = new RawHttp(host, resize, "127.0.0.2")) {
        c.send("POST /RPC2 HTTP/1.1\r\nHost: imgpipe\r\nContent-Type: text/xml\r\n" + h[0] + "\r\n\r\n<?xm"
            + secondRequest);
        RawHttp.Answer a = c.read(PROMPT);
        System.out.println("framing: " + h[0].replace("\r\n", " / ") + " -> " + a.status() + " in " + a.millis() + " ms");
        assertEquals(400, a.status(), h[0] + ": " + a.head() + a.text());
        assertTrue(a.text().startsWith("Bad request: ") && a.text().contains(h[1]), h[0] + ": " + a.text());
        assertTrue(a.head().toLowerCase().contains("connection: close"), a.head());
        assertTrue(c.closedWithin(PROMPT), h[0] + ": the connection stayed open (a second request could follow)");
      }
    }
    try (RawHttp c = new RawHttp(host, resize, "127.0.0.2")) {
      c.send("POST /RPC2 HTTP/1.1\r\nHost: imgpipe\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
      RawHttp.Answer a = c.read(PROMPT);
      System.out.println("framing: Transfer-Encoding: gzip, chunked -> " + a.status() + " in " + a.millis() + " ms");
      assertEquals(501, a.status(), a.text());
    }
    normalCallMillis();
  }

  // Finding 5: a head that does not arrive in time, and connections past the per-client limit.

  @Test
  void aRequestHeadDribbledAByteAtATimeGets408WhileOthersAreServed() throws Exception {
    List<RawHttp> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        slow.add(new RawHttp(host, resize, "127.0.0.3"));
      }
      String head = RawHttp.post("/RPC2", 100);
      long start = System.nanoTime();
      for (int k = 0; k < 3; k++) { // 3 bytes each, 200 ms apart: the head is not done within 1 s
        for (RawHttp c : slow) {
          c.send(head.substring(k, k + 1));
        }
        if (k == 1) {
          normalCallMillis();
        }
        Thread.sleep(200); // the attacker's pace, not synchronisation
      }
      for (RawHttp c : slow) {
        RawHttp.Answer a = c.read(PROMPT);
        assertEquals(408, a.status(), a.text());
        assertEquals("The request line and headers did not arrive within 1 s (imgpipe.http.request-head-timeout).\n",
            a.text());
        assertTrue(c.closedWithin(PROMPT));
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.println("dribbled heads: all answered 408 within " + ms + " ms of the first byte");
      assertTrue(ms < 4000, "the slow heads were answered after " + ms + " ms");
    } finally {
      for (RawHttp c : slow) {
        c.close();
      }
    }
    normalCallMillis();
  }

  @Test
  void connectionsPastThePerClientLimitGet503AndOtherClientsAreServed() throws Exception {
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        held.add(new RawHttp(host, resize, "127.0.0.4"));
      }
      List<RawHttp> extras = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        extras.add(new RawHttp(host, resize, "127.0.0.4"));
      }
      for (RawHttp extra : extras) {
        try (extra) {
          RawHttp.Answer a = extra.read(PROMPT); // answered without sending anything
          System.out.println("connection past the limit: " + a.status() + " in " + a.millis() + " ms");
          assertEquals(503, a.status(), a.head() + a.text());
          assertEquals("Too many connections from your address: at most 8 at once "
              + "(imgpipe.http.max-connections-per-client); retry later.\n", a.text());
          assertTrue(extra.closedWithin(PROMPT));
        }
      }
      normalCallMillis();
      for (RawHttp c : held) { // the idle ones are closed at the head timeout, which frees their places
        assertEquals(408, c.read(PROMPT).status());
      }
    } finally {
      for (RawHttp c : held) {
        c.close();
      }
    }
    byte[] body = listMethods();
    long end = System.nanoTime() + PROMPT.toNanos();
    RawHttp.Answer a;
    do { // the server may still be closing the last of them
      try (RawHttp again = new RawHttp(host, resize, "127.0.0.4")) {
        a = again.send(RawHttp.post("/RPC2", body.length)).send(body).read(PROMPT);
      }
    } while (a.status() == 503 && System.nanoTime() < end);
    assertEquals(200, a.status(), a.text());
  }

  // Finding 4: a body that never comes, or stops, holds no memory, and is dropped with 408.

  @Test
  void bodiesThatDoNotComeHoldNoMemoryAndGet408() throws Exception {
    List<RawHttp> idle = new ArrayList<>();
    try {
      // Two heads declaring 4 MB bodies that never come: with memory taken from the declared length they
      // held 24 MB between them and a normal call waited for the request deadline.
      for (String from : List.of("127.0.0.5", "127.0.0.6")) {
        idle.add(new RawHttp(host, resize, from).send(RawHttp.post("/RPC2", 4_000_000)));
      }
      RawHttp stalled = new RawHttp(host, resize, "127.0.0.7");
      idle.add(stalled);
      byte[] body = codec.requestBytes("resize_image", List.of(photo, "x", 10, 10, true));
      stalled.send(RawHttp.post("/RPC2", body.length)).send(Arrays.copyOf(body, body.length / 2));
      normalCallMillis();
      for (int i = 0; i < idle.size(); i++) {
        RawHttp.Answer a = idle.get(i).read(PROMPT);
        System.out.println("idle or stalled body: " + a.status() + " after " + a.millis() + " ms more");
        assertEquals(408, a.status(), a.text());
        assertEquals(i < 2 ? "The request body did not start: no byte for 1 s (imgpipe.http.body-timeout).\n"
            : "The request body stopped arriving: no byte for 1 s (imgpipe.http.body-timeout).\n", a.text());
        assertTrue(idle.get(i).closedWithin(PROMPT));
      }
    } finally {
      for (RawHttp c : idle) {
        c.close();
      }
    }
    normalCallMillis();
  }

  // Finding 2: gzip and chunked bodies are counted for what they really take, and refused when it does not fit.

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(z)) {
      out.write(data);
    }
    return z.toByteArray();
  }

  private static XmlRpcResponse fault(RawHttp.Answer a) throws Exception {
    assertEquals(200, a.status(), a.text());
    return codec.parseResponse(new ByteArrayInputStream(a.body()));
  }

  @Test
  void gzipAndChunkedBodiesAreCountedForWhatTheyInflateToAndParseInto() throws Exception {
    // 3.5 MB of text in a string costs about 10 bytes of heap a byte to parse: more than the 24 MiB the
    // node allows. Before, a gzip body (29 KB here) or a chunked one reserved nothing at all.
    byte[] text = codec.requestBytes("resize_image", List.of("x".repeat(3_500_000), "x", 1, 1, true));
    byte[] zipped = gzip(text);
    try (RawHttp c = new RawHttp(host, resize, "127.0.0.8")) {
      c.send(RawHttp.post("/RPC2", zipped.length, "Content-Encoding: gzip")).send(zipped);
      RawHttp.Answer a = c.read(PROMPT);
      XmlRpcResponse r = fault(a);
      System.out.println("gzip string body: " + r.faultString() + " in " + a.millis() + " ms");
      assertTrue(r.fault() && r.faultString().startsWith("<class 'MemoryError'>:request too large for this node's "
          + "memory: it needs about "), r.faultString());
    }
    try (RawHttp c = new RawHttp(host, resize, "127.0.0.8")) {
      c.send(RawHttp.post("/RPC2", -1, "Transfer-Encoding: chunked"));
      for (int i = 0; i < text.length; i += 64 * 1024) {
        int n = Math.min(64 * 1024, text.length - i);
        c.send(Integer.toHexString(n) + "\r\n").send(Arrays.copyOfRange(text, i, i + n)).send("\r\n");
      }
      c.send("0\r\n\r\n");
      RawHttp.Answer a = c.read(PROMPT);
      XmlRpcResponse r = fault(a);
      System.out.println("chunked string body: " + r.faultString() + " in " + a.millis() + " ms");
      assertTrue(r.fault() && r.faultString().startsWith("<class 'MemoryError'>:request too large"), r.faultString());
    } catch (java.net.SocketException e) {
      // refused while the body was still being sent: the answer may be lost with the reset; the node's
      // state is what matters, checked below
      System.out.println("chunked string body: " + e);
    }
    // a gzip body that inflates past max-request-bytes (base64 text, cheap to hold: the size limit acts first)
    byte[] bomb = gzip(("<?xml version='1.0'?><methodCall><methodName>resize_image</methodName><params><param>"
        + "<value><base64>" + "A".repeat(5 * MB)).getBytes(StandardCharsets.US_ASCII));
    try (RawHttp c = new RawHttp(host, resize, "127.0.0.8")) {
      RawHttp.Answer a = c.send(RawHttp.post("/RPC2", bomb.length, "Content-Encoding: gzip")).send(bomb).read(PROMPT);
      System.out.println("gzip bomb: " + a.status() + " in " + a.millis() + " ms");
      assertEquals(413, a.status(), a.text());
    }
    normalCallMillis();
    awaitRequestMemoryGivenBack();
  }

  @Test
  void aBurstOfGzipBodiesTakesTurnsWithinTheBudgetAndNormalCallsGoOn() throws Exception {
    // Six gzip bodies of 3.5 MB of base64 (a few KB each on the wire): each needs about 9 MB once inflated
    // and parsed, more than two of them than the node's 24 MiB; each is served or told to retry, and a
    // normal call is served meanwhile.
    byte[] image = new byte[2_600_000];
    byte[] zipped = gzip(codec.requestBytes("resize_image", List.of(image, "x", 1, 1, true)));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<XmlRpcResponse>> burst = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String from = "127.0.1." + (i + 1);
        burst.add(pool.submit(() -> {
          try (RawHttp c = new RawHttp(host, resize, from)) {
            return fault(c.send(RawHttp.post("/RPC2", zipped.length, "Content-Encoding: gzip")).send(zipped)
                .read(Duration.ofSeconds(60)));
          }
        }));
      }
      normalCallMillis();
      int served = 0;
      for (Future<XmlRpcResponse> f : burst) {
        XmlRpcResponse r = f.get(90, TimeUnit.SECONDS);
        if (r.fault()) {
          // bodies that declare no size can hold parts of the memory each and wait for more: one gives up
          assertTrue(r.faultString().startsWith("<class 'MemoryError'>:no memory came free for this request")
              && r.faultString().endsWith("retry later"), r.faultString());
        } else {
          served++;
          Map<?, ?> m = (Map<?, ?>) r.value();
          assertTrue(String.valueOf(m.get("message")).startsWith("Resize failed: cannot identify image data"),
              String.valueOf(m.get("message")));
        }
      }
      System.out.println("gzip burst: " + served + " served, " + (burst.size() - served) + " told to retry");
      assertTrue(served >= 1, "no body of the burst was served");
    } finally {
      pool.shutdownNow();
    }
    normalCallMillis();
    awaitRequestMemoryGivenBack();
  }

  private static void awaitRequestMemoryGivenBack() throws Exception {
    long end = System.nanoTime() + PROMPT.toNanos();
    String metrics;
    do {
      metrics = new String(new java.net.URL(node.url(Role.RESIZE) + "/metrics").openStream().readAllBytes(),
          StandardCharsets.UTF_8);
      if (metrics.contains("imgpipe_request_memory_used_bytes 0.0")) {
        return;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < end);
    throw new AssertionError("request memory was not given back: " + metrics.lines()
        .filter(l -> l.startsWith("imgpipe_request_memory")).toList());
  }

  // Finding 11: system.multicall is bounded.

  @Test
  void multicallIsBoundedInCallsAndInImageCalls() throws Exception {
    var client = node.client(Role.RESIZE);
    Object[] nine = new Object[9];
    Arrays.fill(nine, Map.of("methodName", "system.listMethods", "params", new Object[0]));
    XmlRpcFault tooMany = org.junit.jupiter.api.Assertions.assertThrows(XmlRpcFault.class,
        () -> client.call("system.multicall", (Object) nine));
    assertEquals("<class 'ValueError'>:system.multicall takes at most 8 calls, not 9 "
        + "(imgpipe.limits.max-multicall-calls)", tooMany.faultString());
    Map<String, Object> resizeCall = Map.of("methodName", "resize_image",
        "params", new Object[] {photo, "m", 32, 24, true});
    XmlRpcFault tooHeavy = org.junit.jupiter.api.Assertions.assertThrows(XmlRpcFault.class,
        () -> client.call("system.multicall", (Object) new Object[] {resizeCall, resizeCall, resizeCall}));
    assertEquals("<class 'ValueError'>:system.multicall takes at most 2 image calls, not 3 "
        + "(imgpipe.limits.max-multicall-image-calls)", tooHeavy.faultString());
    Object[] two = (Object[]) client.call("system.multicall", (Object) new Object[] {resizeCall, resizeCall});
    assertEquals(2, two.length);
    for (Object one : two) {
      assertEquals(true, ((Map<?, ?>) ((Object[]) one)[0]).get("success"));
    }
    normalCallMillis();
  }
}

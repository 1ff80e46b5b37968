package org.imgpipe.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * The attacks of issue 17 at the sizes they were reported with, against a live node with the default
 * settings (only its ports chosen at run time, and its request memory that of a node with the default heap:
 * 25% of 768 MB): each stays within about ten seconds, and a normal call of a 1.2 MB image is answered
 * promptly during each.
 */
class HostileTrafficFullSizeTest {

  private static final Duration PROMPT = Duration.ofSeconds(5);
  private static LiveNode node;
  private static String host;
  private static int resize;
  private static byte[] photo;
  private static final XmlRpcCodec codec = new XmlRpcCodec(XmlRpcCodec.Limits.clientDefaults());

  @BeforeAll
  static void start() {
    node = LiveNode.start("127.0.0.1", ConfigFactory.parseString("imgpipe.limits.request-memory = 192 MiB"));
    host = node.host();
    resize = node.port(Role.RESIZE);
    photo = TestImages.png(TestImages.photoLike(1000, 750, 11)); // about 1.2 MB
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static long normalCallMillis() throws Exception {
    long start = System.nanoTime();
    Map<String, Object> r = node.client(Role.RESIZE).resizeImage(photo, "probe", 320, 240, true);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(true, r.get("success"), String.valueOf(r.get("message")));
    assertTrue(ms < PROMPT.toMillis(), "a normal call took " + ms + " ms");
    System.out.println("normal call: " + ms + " ms");
    return ms;
  }

  @Test
  void elevenHundredDribbledHeadsFromOneAddress() throws Exception {
    List<RawHttp> attack = new ArrayList<>();
    try {
      String head = RawHttp.post("/RPC2", 1000);
      long started = System.nanoTime();
      for (int i = 0; i < 1100; i++) { // each connects and sends the first byte of its head
        attack.add(new RawHttp(host, resize, "127.0.2.1").send(head.substring(0, 1)));
      }
      long connected = System.nanoTime();
      System.out.println("slowloris: 1100 connected in " + (connected - started) / 1_000_000 + " ms; a normal call "
          + normalCallMillis() + " ms");
      // past the 64 a client address may hold, each is answered at once and closed (a few more may be let
      // in when the first ones reach the head timeout while the attacker is still connecting)
      int refused = 0;
      for (RawHttp c : attack.subList(64, attack.size())) {
        try {
          RawHttp.Answer a = c.read(Duration.ofMillis(refused == 0 ? 5000 : 1000));
          if (a.status() != 408) { // 408: let in, and past its head timeout already
            assertEquals(503, a.status(), a.text());
            assertTrue(a.text().startsWith("Too many connections from your address: at most 64 at once"), a.text());
            refused++;
          }
        } catch (java.net.SocketTimeoutException admitted) {
          // let in: it will get 408 at its head timeout
        }
        c.close();
      }
      System.out.println("slowloris: " + refused + " of 1036 refused, read in "
          + (System.nanoTime() - connected) / 1_000_000 + " ms");
      // at most 64 at once: 64 let in, and 64 more for each head timeout (10 s) the connecting took, since
      // those the timeout closed free their places
      long windows = 1 + (connected - started) / 10_000_000_000L;
      assertTrue(refused >= 1100 - 64 * windows, refused + " of 1036 refused, connecting took "
          + (connected - started) / 1_000_000 + " ms");
      Thread.sleep(3000); // the attacker's pace, not synchronisation
      for (RawHttp c : attack.subList(0, 64)) {
        c.send(head.substring(1, 2));
      }
      normalCallMillis();
    } finally {
      for (RawHttp c : attack) {
        c.close();
      }
    }
    normalCallMillis();
  }

  @Test
  void aHeadDeclaring63MiBThatSendsNothingDoesNotHoldUpA12MbResize() throws Exception {
    assertTrue(photo.length > 1_100_000, photo.length + " bytes");
    try (RawHttp idle = new RawHttp(host, resize, "127.0.2.2")) {
      idle.send(RawHttp.post("/RPC2", 63 << 20));
      normalCallMillis(); // before: 59 s, until the idle body's reservation timed out
    }
  }

  @Test
  void twelveGzipBodiesOf61KbWith60MiBOfBase64Inside() throws Exception {
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(z, 1 << 16)) {
      out.write(("<?xml version='1.0'?><methodCall><methodName>resize_image</methodName><params><param><value>"
          + "<base64>\n").getBytes(StandardCharsets.US_ASCII));
      byte[] block = "A".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 60 * 16; i++) {
        out.write(block);
      }
      out.write(("</base64></value></param><param><value><string>x</string></value></param><param><value><int>1"
          + "</int></value></param><param><value><int>1</int></value></param><param><value><boolean>1</boolean>"
          + "</value></param></params></methodCall>").getBytes(StandardCharsets.US_ASCII));
    }
    byte[] zipped = z.toByteArray();
    assertTrue(zipped.length < 70_000, zipped.length + " bytes");
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<XmlRpcResponse>> burst = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String from = "127.0.3." + (i + 1);
        burst.add(pool.submit(() -> {
          try (RawHttp c = new RawHttp(host, resize, from)) {
            RawHttp.Answer a = c.send(RawHttp.post("/RPC2", zipped.length, "Content-Encoding: gzip")).send(zipped)
                .read(Duration.ofSeconds(60));
            assertEquals(200, a.status(), a.text());
            return codec.parseResponse(new ByteArrayInputStream(a.body()));
          }
        }));
      }
      normalCallMillis();
      int served = 0;
      for (Future<XmlRpcResponse> f : burst) {
        XmlRpcResponse r = f.get(90, TimeUnit.SECONDS);
        if (r.fault()) {
          // 60 MiB of base64 needs about 160 MB while it is parsed: more than the 144 MB one large request
          // may hold on a node with the default heap
          assertTrue(r.faultString().startsWith("<class 'MemoryError'>:request too large for this node's memory: "
              + "it needs about ") || r.faultString().startsWith("<class 'MemoryError'>:no memory came free"),
              r.faultString());
        } else {
          served++;
          assertTrue(String.valueOf(((Map<?, ?>) r.value()).get("message")).startsWith("Resize failed: "));
        }
      }
      System.out.println("gzip burst: " + served + " served, " + (burst.size() - served) + " refused");
    } finally {
      pool.shutdownNow();
    }
    normalCallMillis();
  }

  @Test
  void aMulticallOfAHundredImageCallsIsRefusedBeforeAnyRuns() throws Exception {
    Object[] calls = new Object[100];
    byte[] small = TestImages.png(TestImages.photoLike(64, 48, 3));
    Arrays.fill(calls, Map.of("methodName", "resize_image", "params", new Object[] {small, "m", 32, 24, true}));
    XmlRpcFault f = assertThrows(XmlRpcFault.class,
        () -> node.client(Role.RESIZE).call("system.multicall", (Object) calls));
    assertEquals("<class 'ValueError'>:system.multicall takes at most 64 calls, not 100 "
        + "(imgpipe.limits.max-multicall-calls)", f.faultString());
    normalCallMillis();
  }
}

package org.imgpipe.reliability;

import static org.imgpipe.reliability.Rpc.array;
import static org.imgpipe.reliability.Rpc.b64;
import static org.imgpipe.reliability.Rpc.bool;
import static org.imgpipe.reliability.Rpc.call;
import static org.imgpipe.reliability.Rpc.dbl;
import static org.imgpipe.reliability.Rpc.i4;
import static org.imgpipe.reliability.Rpc.str;
import static org.imgpipe.reliability.Rpc.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.reliability.Rpc.Answer;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input against one real node (a separate JVM, every role, default limits) over HTTP (issue 7,
 * "Hostile input"). Each case must get a clear error, fast, that leaks no internals, and the node must serve
 * a normal request right after (checked after every test). The XML-level attacks the bridge's own
 * ServicePortTest already covers on the same HTTP edge (malformed XML, billion laughs, deep nesting, XXE of a
 * file, gzip bombs) are not repeated, except where the real node adds something: XXE fetching a URL.
 */
class HostileInputTest {

  /** A clear error comes back within this (a normal request takes well under a second). */
  private static final Duration FAST = Duration.ofSeconds(10);

  static NodeProcess node;
  static long threadsAtStart;
  static final byte[] SMALL = TestImages.png(TestImages.photoLike(64, 48, 7));
  static final byte[] PHOTO = TestImages.png(TestImages.photoLike(320, 200, 8));

  @BeforeAll
  static void start() throws Exception {
    String host = Net.host(11);
    node = new NodeProcess("hostile", host, List.of("all"), Net.ports(host), List.of(), List.of());
    node.start().awaitReady(Duration.ofSeconds(240));
    normalRequestWorks();
    threadsAtStart = threads();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (node.isAlive()) {
        long threads = threads();
        Report.result("hostile input: node after every case", "alive, threads " + threadsAtStart + " -> " + threads
            + ", peak RSS " + node.peakRssKib() / 1024 + " MiB, XML-RPC calls in flight "
            + (long) NodeProcess.sum(node.metrics(), "imgpipe_xmlrpc_in_flight"));
        assertTrue(threads < threadsAtStart + 40, "threads grew from " + threadsAtStart + " to " + threads);
        assertEquals(0, NodeProcess.sum(node.metrics(), "imgpipe_xmlrpc_in_flight"));
      }
    } finally {
      node.close();
    }
  }

  @AfterEach
  void nodeStillServes() throws Exception {
    assertTrue(node.isAlive(), "the node died:\n" + node.logTail(40));
    normalRequestWorks();
  }

  static long threads() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(node.pid()), "status"))) {
      if (line.startsWith("Threads:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static void normalRequestWorks() throws Exception {
    Answer a = Rpc.post(node.host, port(Role.RESIZE), call("resize_image", b64(SMALL), str("normal"), i4(32), i4(24),
        bool(true)));
    assertNotNull(a.rpc(), "normal request got HTTP " + a.status() + ": " + a.body());
    assertEquals(null, a.error(), "a normal request after a hostile one failed");
    assertEquals(32, a.struct().get("new_width"));
    assertEquals(24, a.struct().get("new_height"));
  }

  static int port(Role r) {
    return node.port(r);
  }

  /** Asserts a clear, fast error that names what is wrong and shows no Java internals. */
  static String clearError(String testCase, Answer a, String... mustContain) {
    String e = a.error();
    assertNotNull(e, testCase + ": expected an error, got success: " + (a.rpc() == null ? a.body() : a.rpc().value()));
    for (String s : mustContain) {
      assertTrue(e.toLowerCase(java.util.Locale.ROOT).contains(s.toLowerCase(java.util.Locale.ROOT)),
          testCase + ": the error does not say '" + s + "': " + e);
    }
    noInternals(testCase, e);
    assertTrue(a.millis() < Timing.scaled(FAST).toMillis(), testCase + " took " + a.millis() + " ms");
    Report.result("hostile: " + testCase, "error in " + a.millis() + " ms: " + shorten(e));
    return e;
  }

  static void noInternals(String testCase, String text) {
    for (String leak : List.of("\tat ", ".java:", "java.lang.", "java.io.", "java.util.", "org.imgpipe.", "akka.",
        "scala.", "NullPointer", "ArrayIndexOutOfBounds", "OutOfMemory", "Caused by")) {
      assertFalse(text.contains(leak), testCase + ": the error leaks internals (" + leak.trim() + "): " + text);
    }
  }

  static String shorten(String s) {
    String one = s.replaceAll("\\s+", " ");
    return one.length() > 160 ? one.substring(0, 160) + "..." : one;
  }

  // ---- transport and XML

  @Test
  void xxeFetchingAUrlOrAFileLeaksNothingAndConnectsNowhere(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-XXE-CONTENT");
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      listener.setSoTimeout(200);
      Thread acceptor = new Thread(() -> {
        long end = System.nanoTime() + Timing.scaled(Duration.ofSeconds(60)).toNanos();
        while (!listener.isClosed() && System.nanoTime() < end) {
          try (Socket s = listener.accept()) {
            connections.incrementAndGet();
          } catch (IOException e) {
            // timeout tick, or closed
          }
        }
      }, "xxe-listener");
      acceptor.setDaemon(true);
      acceptor.start();
      String url = "http://127.0.0.1:" + listener.getLocalPort() + "/x";
      List<String> bodies = List.of(
          "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"" + url + "\">]><methodCall><methodName>"
              + "system.methodHelp</methodName><params><param><value><string>&x;</string></value></param></params>"
              + "</methodCall>",
          "<?xml version=\"1.0\"?><!DOCTYPE m SYSTEM \"" + url + "/dtd\"><methodCall><methodName>system.listMethods"
              + "</methodName><params/></methodCall>",
          "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY % p SYSTEM \"" + url + "/p\"> %p;]><methodCall><methodName>"
              + "system.listMethods</methodName><params/></methodCall>",
          "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><methodCall><methodName>"
              + "resize_image</methodName><params><param><value><string>&x;</string></value></param></params>"
              + "</methodCall>");
      for (String body : bodies) {
        Answer a = Rpc.post(node.host, port(Role.RESIZE), body);
        assertFalse(a.body().contains("TOP-SECRET"), a.body());
        assertTrue(a.fault(), "XXE must be a fault: " + a.body());
        clearError("XXE (" + (body.contains("file:") ? "local file" : "URL") + ")", a, "DOCTYPE");
      }
      Thread.sleep(Timing.scaled(Duration.ofSeconds(1)).toMillis());
      assertEquals(0, connections.get(), "the node connected to the URL of an external entity");
      Report.result("hostile: XXE URL", "0 connections to the loopback listener of the entity URLs");
    }
  }

  @Test
  void aThreeHundredMegabyteBodyIsRefusedWhileStreaming() throws Exception {
    long size = 300L * 1024 * 1024;
    // Declared length: refused before the body is read.
    StreamResult declared = streamBody(size, false);
    assertEquals(413, declared.status, "declared 300 MB: " + declared.statusLine);
    // Chunked, no length: refused once it grows past what one request may hold. This body is string text,
    // which costs ten bytes of heap a byte to parse, so the request memory refuses it (a MemoryError fault)
    // long before max-request-bytes (64 MiB, HTTP 413) would.
    StreamResult chunked = streamBody(size, true);
    // The fault string is XML text in the answer: "<class 'MemoryError'>" arrives escaped.
    assertTrue(chunked.status == 413 || chunked.status == 200 && chunked.answer.contains("<fault>")
        && chunked.answer.contains("&lt;class 'MemoryError'&gt;:request too large for this node's memory"),
        "chunked 300 MB: " + chunked.statusLine + "\n" + chunked.answer);
    assertTrue(chunked.sentBeforeAnswer < size, "the whole body was read before the refusal");
    Report.result("hostile: 300 MB body", "Content-Length: HTTP 413 in " + declared.millis + " ms after "
        + declared.sentBeforeAnswer / (1024 * 1024) + " MiB sent; chunked: " + (chunked.status == 413 ? "HTTP 413" : "MemoryError fault") + " in " + chunked.millis + " ms after "
        + chunked.sentBeforeAnswer / (1024 * 1024) + " MiB sent; node peak RSS " + node.peakRssKib() / 1024 + " MiB");
    assertTrue(declared.millis < Timing.scaled(FAST).toMillis());
    assertTrue(chunked.millis < Timing.scaled(Duration.ofSeconds(60)).toMillis());
  }

  record StreamResult(int status, String statusLine, long sentBeforeAnswer, long millis, String answer) {}

  /** Streams a body of {@code size} bytes of XML-looking text from a generator (never held in memory). */
  static StreamResult streamBody(long size, boolean chunked) throws Exception {
    long t0 = System.nanoTime();
    try (Socket s = new Socket(node.host, port(Role.RESIZE))) {
      s.setSoTimeout((int) Timing.scaled(Duration.ofSeconds(60)).toMillis());
      OutputStream out = s.getOutputStream();
      String head = "POST /RPC2 HTTP/1.1\r\nHost: " + node.host + "\r\nContent-Type: text/xml\r\n"
          + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n") + "\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      AtomicLong sent = new AtomicLong();
      AtomicLong sentAtAnswer = new AtomicLong(-1);
      Thread writer = new Thread(() -> {
        byte[] block = ("<value><string>" + "a".repeat(65_000) + "</string></value>").getBytes(StandardCharsets.US_ASCII);
        try {
          byte[] preamble = "<?xml version='1.0'?><methodCall><methodName>resize_image</methodName><params><param>"
              .getBytes(StandardCharsets.US_ASCII);
          if (chunked) {
            out.write((Integer.toHexString(preamble.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(preamble);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          } else {
            out.write(preamble);
          }
          while (sent.get() < size && sentAtAnswer.get() < 0) {
            int n = (int) Math.min(block.length, size - sent.get());
            if (chunked) {
              out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
              out.write(block, 0, n);
              out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
              out.write(block, 0, n);
            }
            sent.addAndGet(n);
          }
        } catch (IOException e) {
          // the server closed the connection after refusing: expected
        }
      }, "big-body-writer");
      writer.setDaemon(true);
      writer.start();
      InputStream in = s.getInputStream();
      String statusLine;
      try {
        statusLine = readLine(in);
      } catch (SocketTimeoutException e) {
        statusLine = "(no answer within the timeout)";
      }
      sentAtAnswer.set(sent.get());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      String answer = readRest(in, 8192);
      s.close();
      writer.join(10_000);
      int status = statusLine.startsWith("HTTP/1.1 ") ? Integer.parseInt(statusLine.substring(9, 12)) : -1;
      return new StreamResult(status, statusLine, sentAtAnswer.get(), ms, answer);
    }
  }

  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        b.write(c);
      }
      if (b.size() > 1000) {
        break;
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  /** What follows the status line, up to {@code max} bytes, the connection end or the socket timeout. */
  static String readRest(InputStream in, int max) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      int c;
      while (b.size() < max && (c = in.read()) >= 0) {
        b.write(c);
        if (c == '>' && b.toString(StandardCharsets.US_ASCII).endsWith("</methodResponse>")) {
          break;
        }
      }
    } catch (IOException e) {
      // closed or timed out: what came is the answer
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  // ---- parameters

  @Test
  void invalidBase64() throws Exception {
    Answer a = Rpc.post(node.host, port(Role.RESIZE), call("resize_image", "<base64>!!!not*base64@@@</base64>",
        str("x"), i4(10), i4(10), bool(true)));
    clearError("invalid base64", a, "base64");
  }

  @Test
  void wrongArityAndTypes() throws Exception {
    clearError("wrong arity (2 of 5)", Rpc.post(node.host, port(Role.RESIZE), call("resize_image", b64(SMALL),
        str("x"))), "takes 5 arguments", "2 were given");
    clearError("wrong arity (6 of 5)", Rpc.post(node.host, port(Role.RESIZE), call("resize_image", b64(SMALL),
        str("x"), i4(1), i4(1), bool(true), i4(9))), "takes 5 arguments");
    clearError("string for int", Rpc.post(node.host, port(Role.RESIZE), call("resize_image", b64(SMALL), str("x"),
        str("100"), i4(10), bool(true))), "target_width", "int");
    clearError("string for double", Rpc.post(node.host, port(Role.FILTER), call("apply_filter", b64(SMALL), str("x"),
        str("blur"), str("0.5"))), "intensity", "double");
    clearError("string for base64", Rpc.post(node.host, port(Role.FORMAT), call("convert_format", str("hello"),
        str("x"), str("PNG"), i4(90))), "image_data");
    clearError("int too large for i4", Rpc.post(node.host, port(Role.RESIZE), call("resize_image", b64(SMALL),
        str("x"), "<int>99999999999</int>", i4(10), bool(true))));
  }

  @Test
  void nanAndInfinity() throws Exception {
    for (String v : List.of("NaN", "nan", "Infinity", "inf", "-inf", "1e999")) {
      Answer a = Rpc.post(node.host, port(Role.FILTER), call("apply_filter", b64(SMALL), str("x"), str("blur"), dbl(v)));
      clearError("double " + v, a);
    }
    // Inside process_image's options struct.
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("target_width", i4(32));
    opts.put("filters", array(List.of(str("blur"))));
    opts.put("filter_intensity", dbl("NaN"));
    clearError("NaN in options", Rpc.post(node.host, port(Role.ORCHESTRATOR), call("process_image", str("f.png"),
        b64(SMALL), struct(opts))));
  }

  @Test
  void optionsThatAreNotAStruct() throws Exception {
    for (String v : List.of(array(List.of(str("a"))), str("target_width=10"), i4(3))) {
      clearError("options not a struct (" + v.substring(1, v.indexOf('>')) + ")",
          Rpc.post(node.host, port(Role.ORCHESTRATOR), call("process_image", str("f.png"), b64(SMALL), v)),
          "options", "struct");
    }
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("target_width", str("wide"));
    clearError("option of the wrong type", Rpc.post(node.host, port(Role.ORCHESTRATOR), call("process_image",
        str("f.png"), b64(SMALL), struct(opts))), "target_width");
    opts.clear();
    opts.put("filters", str("blur"));
    clearError("filters not an array", Rpc.post(node.host, port(Role.ORCHESTRATOR), call("process_image",
        str("f.png"), b64(SMALL), struct(opts))), "filters");
  }

  // ---- images

  @Test
  void nonImageBytesAndTruncatedImages() throws Exception {
    byte[] text = "this is not an image, just some text bytes".getBytes(StandardCharsets.US_ASCII);
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(320, 200, 9), 90);
    Map<String, byte[]> cases = new LinkedHashMap<>();
    cases.put("non-image bytes", text);
    cases.put("empty image", new byte[0]);
    cases.put("truncated PNG (40%)", TestImages.truncated(PHOTO, 0.4));
    cases.put("PNG header only", TestImages.truncated(PHOTO, 0.02));
    cases.put("truncated JPEG (40%)", TestImages.truncated(jpeg, 0.4));
    cases.put("JPEG header only", TestImages.truncated(jpeg, 0.01));
    for (Map.Entry<String, byte[]> c : cases.entrySet()) {
      clearError(c.getKey() + " (resize)", Rpc.post(node.host, port(Role.RESIZE), call("resize_image",
          b64(c.getValue()), str("x"), i4(50), i4(50), bool(true))));
      clearError(c.getKey() + " (process_image)", Rpc.post(node.host, port(Role.ORCHESTRATOR), call("process_image",
          str("x.png"), b64(c.getValue()), struct(Map.of("target_width", i4(50), "target_height", i4(50))))));
    }
  }

  @Test
  void decompressionBombIsRefusedByItsHeader() throws Exception {
    byte[] bomb = bomb();
    for (Role r : List.of(Role.RESIZE, Role.FILTER, Role.FORMAT)) {
      String xml = switch (r) {
        case RESIZE -> call("resize_image", b64(bomb), str("bomb"), i4(100), i4(100), bool(true));
        case FILTER -> call("apply_filter", b64(bomb), str("bomb"), str("blur"), dbl("0.5"));
        default -> call("convert_format", b64(bomb), str("bomb"), str("JPEG"), i4(80));
      };
      clearError("PNG claiming 30000x30000 (" + bomb.length / 1024 + " KiB, " + r.configName() + ")",
          Rpc.post(node.host, port(r), xml), "30000");
    }
    clearError("PNG claiming 30000x30000 (process_image)", Rpc.post(node.host, port(Role.ORCHESTRATOR),
        call("process_image", str("bomb.png"), b64(bomb), struct(Map.of("target_width", i4(100))))), "30000");
    assertTrue(node.peakRssKib() < 1_500_000, "peak RSS " + node.peakRssKib() + " KiB");
  }

  /**
   * Valid images just under the pixel limit, several at once: a 13 MB JPEG of 7000x7000 needs about
   * 230 MB while it is decoded and resized, so eight at once would need 1.8 GB of the default 768 MB
   * heap (they ran the node out of heap, and it exited). The node's memory budgets make them take turns,
   * and every one is answered.
   */
  @Test
  void eightFortyNineMegapixelJpegsAtOnceTakeTurnsInsteadOfExhaustingTheHeap() throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(7000, 7000, 9), 85);
    String xml = call("process_image", str("big.jpg"), b64(jpeg), struct(Map.of("target_width", i4(1280),
        "target_height", i4(720), "filters", array(List.of(str("BLUR"))), "output_format", str("JPEG"))));
    double waitsBefore = NodeProcess.sum(node.metrics(), "imgpipe_image_memory_waits_total");
    java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<Answer>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(clients.submit(() -> Rpc.post(node.host, port(Role.ORCHESTRATOR), xml)));
      }
      long slowest = 0;
      for (java.util.concurrent.Future<Answer> f : answers) {
        Answer a = f.get(Timing.scaled(Duration.ofSeconds(120)).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        assertEquals(null, a.error(), "a large image failed");
        java.awt.image.BufferedImage out = javax.imageio.ImageIO.read(
            new java.io.ByteArrayInputStream((byte[]) a.struct().get("processed_image")));
        assertEquals(720, out.getWidth(), "7000x7000 fitted into 1280x720");
        assertEquals(720, out.getHeight());
        slowest = Math.max(slowest, a.millis());
      }
      assertTrue(node.isAlive(), "the node died:\n" + node.logTail(40));
      double waits = NodeProcess.sum(node.metrics(), "imgpipe_image_memory_waits_total") - waitsBefore;
      assertTrue(waits >= 1, "no image job waited for memory: the budget was not in the way");
      Report.result("hostile: 8 x 7000x7000 JPEG (" + jpeg.length / 1024 + " KiB) at once", "8/8 answered, slowest "
          + slowest + " ms, " + (long) waits + " image jobs waited for memory, peak RSS " + node.peakRssKib() / 1024
          + " MiB");
    } finally {
      clients.shutdownNow();
    }
  }

  private static byte[] bomb;

  /** The 30000x30000 bomb, made once (deflating 900 MB of zeros takes a while). */
  static synchronized byte[] bomb() throws IOException {
    if (bomb == null) {
      bomb = bombPng(30000, 30000);
    }
    return bomb;
  }

  /** A real bomb: a valid 8-bit grey PNG of width x height zero pixels, deflated (about 1 MB for 30000²). */
  static byte[] bombPng(int width, int height) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9), 64 * 1024)) {
      byte[] row = new byte[width + 1];
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    }
    return TestImages.pngFile(width, height, 0, idat.toByteArray());
  }

  @Test
  void hugeZeroAndNegativeResizeTargets() throws Exception {
    clearError("resize 100000x100000", Rpc.post(node.host, port(Role.RESIZE), call("resize_image", b64(SMALL),
        str("x"), i4(100000), i4(100000), bool(false))), "100000");
    clearError("resize 100000x100000 keeping aspect", Rpc.post(node.host, port(Role.RESIZE), call("resize_image",
        b64(SMALL), str("x"), i4(100000), i4(100000), bool(true))));
    clearError("thumbnail 100000", Rpc.post(node.host, port(Role.RESIZE), call("get_thumbnail", b64(SMALL), str("x"),
        i4(-5))));
    clearError("process_image resize 100000x100000", Rpc.post(node.host, port(Role.ORCHESTRATOR), call("process_image",
        str("x.png"), b64(SMALL), struct(Map.of("target_width", i4(100000), "target_height", i4(100000),
            "maintain_aspect_ratio", bool(false))))));
    // Zero and negative sizes: the original's rule is "a target <= 0 keeps (or follows) the other dimension";
    // both <= 0 must not produce an empty or a failing image, and must not hang.
    for (long[] wh : new long[][] {{0, 0}, {-5, -5}, {0, -1}, {-100000, 50}}) {
      for (boolean keep : new boolean[] {true, false}) {
        Answer a = Rpc.post(node.host, port(Role.RESIZE), call("resize_image", b64(SMALL), str("x"), i4(wh[0]),
            i4(wh[1]), bool(keep)));
        String what = "resize " + wh[0] + "x" + wh[1] + (keep ? " keeping aspect" : "");
        assertNotNull(a.rpc(), what + ": HTTP " + a.status());
        assertTrue(a.millis() < Timing.scaled(FAST).toMillis(), what + " took " + a.millis() + " ms");
        if (a.error() != null) {
          clearError(what, a);
        } else {
          int w = (Integer) a.struct().get("new_width");
          int h = (Integer) a.struct().get("new_height");
          assertTrue(w > 0 && h > 0 && w <= 64 * 100 && h <= 48 * 100, what + " gave " + w + "x" + h);
          Report.result("hostile: " + what, "success, " + w + "x" + h + " (the original's rule), in " + a.millis()
              + " ms");
        }
      }
    }
  }

  @Test
  void unknownFilterFormatAndPositionNames() throws Exception {
    clearError("unknown filter", Rpc.post(node.host, port(Role.FILTER), call("apply_filter", b64(SMALL), str("x"),
        str("glow"), dbl("0.5"))), "glow", "BLUR");
    clearError("unknown filter in batch_filter", Rpc.post(node.host, port(Role.FILTER), call("batch_filter",
        b64(SMALL), str("x"), array(List.of(str("blur"), str("melt"))))), "melt");
    clearError("unknown format", Rpc.post(node.host, port(Role.FORMAT), call("convert_format", b64(SMALL), str("x"),
        str("TIFF2"), i4(90))), "TIFF2", "PNG");
    clearError("unknown position", Rpc.post(node.host, port(Role.WATERMARK), call("add_text_watermark", b64(SMALL),
        str("x"), str("hi"), str("middle-ish"), i4(12), str("#FFFFFF"), dbl("0.5"))), "middle-ish");
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("filters", array(List.of(str("nosuchfilter"))));
    clearError("unknown filter in process_image", Rpc.post(node.host, port(Role.ORCHESTRATOR), call("process_image",
        str("x.png"), b64(SMALL), struct(opts))), "nosuchfilter");
    opts.clear();
    opts.put("output_format", str("XCF"));
    clearError("unknown format in process_image", Rpc.post(node.host, port(Role.ORCHESTRATOR), call("process_image",
        str("x.png"), b64(SMALL), struct(opts))), "XCF");
    opts.clear();
    opts.put("add_watermark", bool(true));
    opts.put("watermark_text", str("hi"));
    opts.put("watermark_position", str("upside-down"));
    clearError("unknown position in process_image", Rpc.post(node.host, port(Role.ORCHESTRATOR),
        call("process_image", str("x.png"), b64(SMALL), struct(opts))), "upside-down");
  }

  @Test
  void badColours() throws Exception {
    for (String colour : List.of("#GGHHII", "notacolour", "#12345", "", "rgb(999,0,0)", "#" + "F".repeat(5000))) {
      clearError("bad colour '" + (colour.length() > 12 ? colour.substring(0, 12) + "..." : colour) + "'",
          Rpc.post(node.host, port(Role.WATERMARK), call("add_text_watermark", b64(SMALL), str("x"), str("hi"),
              str("center"), i4(12), str(colour), dbl("0.5"))), "colo");
    }
  }

  @Test
  void tenMegabytesOfWatermarkText() throws Exception {
    String text = "W".repeat(10 * 1024 * 1024);
    clearError("10 MB watermark text", Rpc.post(node.host, port(Role.WATERMARK), call("add_text_watermark",
        b64(SMALL), str("x"), str(text), str("center"), i4(12), str("#FFFFFF"), dbl("0.5"))), "4096");
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("add_watermark", bool(true));
    opts.put("watermark_text", str(text));
    clearError("10 MB watermark text (process_image)", Rpc.post(node.host, port(Role.ORCHESTRATOR),
        call("process_image", str("x.png"), b64(SMALL), struct(opts))), "4096");
  }

  @Test
  void aLogoLargerThanTheImage() throws Exception {
    byte[] logo = TestImages.png(TestImages.photoLikeWithAlpha(2000, 1500, 3));
    Answer a = Rpc.post(node.host, port(Role.WATERMARK), call("add_logo_watermark", b64(SMALL), str("x"), b64(logo),
        str("center"), dbl("1.0"), dbl("0.5")));
    assertNotNull(a.rpc(), "HTTP " + a.status());
    assertTrue(a.millis() < Timing.scaled(FAST).toMillis(), "took " + a.millis() + " ms");
    if (a.error() != null) {
      clearError("logo larger than the image", a, "logo");
    } else {
      // Accepted: the logo must have been fitted into the image, which keeps its size.
      var img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
          (byte[]) a.struct().get("watermarked_image")));
      assertEquals(64, img.getWidth());
      assertEquals(48, img.getHeight());
      Report.result("hostile: logo larger than the image", "success: the logo is fitted into the 64x48 image, in "
          + a.millis() + " ms");
    }
    byte[] hugeLogo = bomb();
    clearError("logo claiming 30000x30000", Rpc.post(node.host, port(Role.WATERMARK), call("add_logo_watermark",
        b64(SMALL), str("x"), b64(hugeLogo), str("center"), dbl("1.0"), dbl("0.5"))), "30000");
    clearError("logo scale 100000", Rpc.post(node.host, port(Role.WATERMARK), call("add_logo_watermark",
        b64(SMALL), str("x"), b64(SMALL), str("center"), dbl("100000"), dbl("0.5"))));
  }

  @Test
  void tenThousandFiltersInOneRequest() throws Exception {
    List<String> filters = new ArrayList<>(Collections.nCopies(10_000, str("blur")));
    clearError("10 000 filters (batch_filter)", Rpc.post(node.host, port(Role.FILTER), call("batch_filter",
        b64(SMALL), str("x"), array(filters))), "too many filters", "64");
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("filters", array(filters));
    clearError("10 000 filters (process_image)", Rpc.post(node.host, port(Role.ORCHESTRATOR), call("process_image",
        str("x.png"), b64(SMALL), struct(opts))), "too many filters", "64");
    // At the limit it works.
    Answer ok = Rpc.post(node.host, port(Role.FILTER), call("batch_filter", b64(SMALL), str("x"),
        array(Collections.nCopies(64, str("negative")))));
    assertEquals(null, ok.error(), "64 filters (the limit) must work");
  }
}

package org.imgpipe.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.imgpipe.xmlrpc.XmlRpcCodec;
import org.imgpipe.xmlrpc.XmlRpcResponse;
import org.imgpipe.xmlrpc.client.ImgpipeClient;
import org.imgpipe.xmlrpc.client.XmlRpcFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP edge and the method-table machinery, on a real port, with a small table of test methods. */
class ServicePortTest {

  private static final int LIMIT = 4 * 1024 * 1024;

  private static TablePort server;
  private static int port;
  private static final AtomicBoolean READY = new AtomicBoolean(false);
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final XmlRpcCodec codec = new XmlRpcCodec(XmlRpcCodec.Limits.clientDefaults());

  @BeforeAll
  static void start() throws Exception {
    MethodTable table = new MethodTable("TestService", List.of(
        new RemoteMethod("echo", List.of(Param.any("value")), WireType.ANY, "Answers its parameter.",
            a -> CompletableFuture.completedFuture(Reply.ok(a.any(0)))),
        new RemoteMethod("sized", List.of(Param.integer("n")), WireType.STRING, "Answers n letters.",
            a -> CompletableFuture.completedFuture(Reply.ok("x".repeat(a.integer(0))))),
        new RemoteMethod("mix", List.of(Param.base64("data"), Param.string("id"), Param.decimal("f"),
            Param.bool("b")), WireType.STRUCT, "Answers what it was given.",
            a -> CompletableFuture.completedFuture(Reply.ok(Map.of("len", a.bytes(0).length, "f", a.decimal(2))))),
        new RemoteMethod("boom", List.of(), WireType.STRUCT, "Fails inside.",
            a -> CompletableFuture.failedFuture(new IllegalStateException("secret internals")))));
    server = TablePort.start("service-port-test", "imgpipe.limits.max-request-bytes = " + LIMIT + "\n"
        + "imgpipe.limits.xml-max-elements = 5000\n"
        + "imgpipe.http.gzip-answers = on", table, READY::get, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    port = server.port;
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static HttpResponse<byte[]> post(String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    b.header("Content-Type", "text/xml");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static XmlRpcResponse rpc(String path, String method, Object... params) throws Exception {
    HttpResponse<byte[]> r = post(path, codec.requestBytes(method, Arrays.asList(params)));
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/xml"));
    return codec.parseResponse(new ByteArrayInputStream(r.body()));
  }

  private static String fault(String method, Object... params) throws Exception {
    XmlRpcResponse r = rpc("/RPC2", method, params);
    assertTrue(r.fault(), "expected a fault, got " + r.value());
    assertEquals(1, r.faultCode());
    return r.faultString();
  }

  @Test
  void servesBothPaths() throws Exception {
    assertEquals("hello", rpc("/", "echo", "hello").value());
    assertEquals(42, rpc("/RPC2", "echo", 42).value());
  }

  @Test
  void otherPathsAndMethodsGetClearNon200Answers() throws Exception {
    HttpResponse<String> getRoot = get("/");
    assertEquals(405, getRoot.statusCode());
    assertTrue(getRoot.body().contains("POST"), getRoot.body());
    assertEquals(404, post("/nope", codec.requestBytes("echo", List.of(1))).statusCode());
    assertEquals(404, get("/RPC3").statusCode());
  }

  @Test
  void healthReadyMetrics() throws Exception {
    assertEquals(200, get("/health").statusCode());
    READY.set(false);
    assertEquals(503, get("/ready").statusCode());
    READY.set(true);
    assertEquals(200, get("/ready").statusCode());
    rpc("/", "echo", "m");
    fault("nosuch");
    String metrics = get("/metrics").body();
    assertTrue(metrics.contains("imgpipe_xmlrpc_requests_total{method=\"echo\",outcome=\"ok\",service=\"TestService\"}"),
        metrics);
    assertTrue(metrics.contains("method=\"unknown\",outcome=\"fault\""), metrics);
    assertTrue(metrics.contains("imgpipe_xmlrpc_request_duration_seconds_bucket{method=\"echo\""), metrics);
  }

  @Test
  void protocolErrorsAreFaultsWithClearStrings() throws Exception {
    assertEquals("<class 'Exception'>:method \"nosuch\" is not supported", fault("nosuch"));
    assertEquals("<class 'TypeError'>:mix() takes 4 arguments (data, id, f, b) but 3 were given",
        fault("mix", new byte[1], "a", 1.0));
    assertEquals("<class 'TypeError'>:mix() argument 3 (f) must be double, not string",
        fault("mix", new byte[1], "a", "0.5", true));
    assertEquals("<class 'TypeError'>:mix() argument 1 (data) must be base64, not string",
        fault("mix", "abc", "a", 0.5, true));
    assertEquals("<class 'TypeError'>:sized() argument 1 (n) must be int, not double", fault("sized", 2.5));
    assertEquals("<class 'Exception'>:internal error: IllegalStateException", fault("boom"));
    // an int where a double belongs is accepted, as Python clients send 1 for 1.0
    assertEquals(1.0, ((Map<?, ?>) rpc("/", "mix", new byte[3], "a", 1, false).value()).get("f"));
  }

  @Test
  void nonFiniteNumbersAreFaults() throws Exception {
    String body = "<?xml version='1.0'?><methodCall><methodName>mix</methodName><params>"
        + "<param><value><base64>AA==</base64></value></param><param><value>x</value></param>"
        + "<param><value><double>NaN</double></value></param><param><value><boolean>1</boolean></value></param>"
        + "</params></methodCall>";
    XmlRpcResponse r = codec.parseResponse(new ByteArrayInputStream(post("/", body.getBytes(StandardCharsets.UTF_8)).body()));
    assertTrue(r.fault());
    assertEquals("<class 'ValueError'>:mix() argument 3 (f) must be a finite number, not NaN", r.faultString());
  }

  @Test
  void malformedXmlIsAFault() throws Exception {
    HttpResponse<byte[]> r = post("/", "<methodCall><methodName>echo".getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.statusCode());
    XmlRpcResponse f = codec.parseResponse(new ByteArrayInputStream(r.body()));
    assertTrue(f.fault());
    assertTrue(f.faultString().startsWith("<class 'xml.parsers.expat.ExpatError'>:"), f.faultString());
  }

  @Test
  void gzipAnswersOnlyWhenAskedAndLarge() throws Exception {
    byte[] big = codec.requestBytes("sized", List.of(5000));
    HttpResponse<byte[]> zipped = post("/", big, "Accept-Encoding", "gzip");
    assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(""));
    byte[] plain = new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes();
    assertEquals("x".repeat(5000), codec.parseResponse(new ByteArrayInputStream(plain)).value());

    HttpResponse<byte[]> small = post("/", codec.requestBytes("sized", List.of(10)), "Accept-Encoding", "gzip");
    assertTrue(small.headers().firstValue("Content-Encoding").isEmpty());
    HttpResponse<byte[]> notAsked = post("/", big);
    assertTrue(notAsked.headers().firstValue("Content-Encoding").isEmpty());
    assertEquals("x".repeat(5000), codec.parseResponse(new ByteArrayInputStream(notAsked.body())).value());
  }

  @Test
  void acceptsGzipRequestBodies() throws Exception {
    byte[] data = new byte[20_000];
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(z)) {
      out.write(codec.requestBytes("mix", List.of(data, "id", 0.25, true)));
    }
    HttpResponse<byte[]> r = post("/RPC2", z.toByteArray(), "Content-Encoding", "gzip");
    Map<?, ?> m = (Map<?, ?>) codec.parseResponse(new ByteArrayInputStream(r.body())).value();
    assertEquals(20_000, m.get("len"));
  }

  @Test
  void oversizedBodyIsRefusedEarly() throws Exception {
    // Content-Length above the limit: refused from the headers, the body is never read
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: " + (LIMIT * 100L)
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[1000]);
      out.flush();
      long start = System.nanoTime();
      String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertEquals("HTTP/1.1 413", head);
      assertTrue(System.nanoTime() - start < 2_000_000_000L);
    }
    // no Content-Length (chunked): refused as soon as it grows past the limit; the answer is read while the
    // body is still being sent, since the server closes the connection after refusing it
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      Thread writer = new Thread(() -> {
        byte[] chunk = new byte[64 * 1024];
        byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
          for (long sent = 0; sent <= LIMIT * 2L; sent += chunk.length) {
            out.write(head);
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          }
          out.flush();
        } catch (java.io.IOException e) {
          // the server stopped reading: expected
        }
      });
      writer.setDaemon(true);
      writer.start();
      String answer = readUntil(s.getInputStream(), "(imgpipe.limits.max-request-bytes)");
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(answer.contains("limit is " + LIMIT + " bytes"), answer);
      writer.join(20_000);
    }
  }

  @Test
  void gzipBombIsRefused() throws Exception {
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(z)) {
      out.write("<?xml version='1.0'?><methodCall><methodName>echo</methodName><params><param><value><string>"
          .getBytes(StandardCharsets.US_ASCII));
      byte[] letters = new byte[LIMIT];
      Arrays.fill(letters, (byte) 'a');
      for (int i = 0; i < 4; i++) {
        out.write(letters);
      }
    }
    assertTrue(z.size() < LIMIT);
    assertEquals(413, post("/", z.toByteArray(), "Content-Encoding", "gzip").statusCode());
  }

  @Test
  void keepsTheConnectionAlive() throws Exception {
    byte[] body = codec.requestBytes("echo", List.of("again"));
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 0; i < 3; i++) {
        out.write(("POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: " + body.length
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        String head = readHead(in);
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
        String xml = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        assertTrue(xml.contains("again"), xml);
      }
    }
  }

  /** Reads until the text appears, the stream ends or the connection is reset; answers what was read. */
  private static String readUntil(InputStream in, String marker) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try {
      int b;
      while (!got.toString(StandardCharsets.UTF_8).contains(marker) && (b = in.read()) >= 0) {
        got.write(b);
      }
    } catch (java.io.IOException e) {
      // reset after the answer: keep what arrived
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  private static String readHead(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    while (last4 != 0x0d0a0d0a) {
      int b = in.read();
      if (b < 0) {
        throw new IllegalStateException("connection closed");
      }
      head.write(b);
      last4 = (last4 << 8) | b;
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void introspection() throws Exception {
    Object[] names = (Object[]) rpc("/", "system.listMethods").value();
    assertEquals(List.of("boom", "echo", "mix", "sized", "system.listMethods", "system.methodHelp",
        "system.methodSignature", "system.multicall"), Arrays.asList(names));
    assertEquals("Answers its parameter.", rpc("/", "system.methodHelp", "echo").value());
    Object[] sigs = (Object[]) rpc("/", "system.methodSignature", "mix").value();
    assertEquals(List.of("struct", "base64", "string", "double", "boolean"), Arrays.asList((Object[]) sigs[0]));
    assertEquals("<class 'Exception'>:method \"nope\" is not supported", fault("system.methodHelp", "nope"));
  }

  @Test
  void multicallAnswersEachCallInOrder() throws Exception {
    Object[] results = (Object[]) rpc("/", "system.multicall", (Object) new Object[] {
        Map.of("methodName", "echo", "params", new Object[] {"one"}),
        Map.of("methodName", "nosuch", "params", new Object[0]),
        Map.of("methodName", "sized", "params", new Object[] {3}),
        Map.of("methodName", "system.multicall", "params", new Object[] {new Object[0]})}).value();
    assertEquals(4, results.length);
    assertArrayEquals(new Object[] {"one"}, (Object[]) results[0]);
    Map<?, ?> f = (Map<?, ?>) results[1];
    assertEquals(1, f.get("faultCode"));
    assertEquals("<class 'Exception'>:method \"nosuch\" is not supported", f.get("faultString"));
    assertArrayEquals(new Object[] {"xxx"}, (Object[]) results[2]);
    assertTrue(((Map<?, ?>) results[3]).get("faultString").toString().contains("cannot be nested"));
  }

  @Test
  void xxeIsRefusedAndLeaksNothing(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("passwd");
    Files.writeString(secret, "root:SECRET-XXE-CONTENT");
    String body = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
        + "<methodCall><methodName>echo</methodName><params><param><value><string>&x;</string></value></param>"
        + "</params></methodCall>";
    HttpResponse<byte[]> r = post("/", body.getBytes(StandardCharsets.UTF_8));
    String text = new String(r.body(), StandardCharsets.UTF_8);
    assertFalse(text.contains("SECRET-XXE-CONTENT"), text);
    XmlRpcResponse f = codec.parseResponse(new ByteArrayInputStream(r.body()));
    assertTrue(f.fault());
    assertTrue(f.faultString().contains("DOCTYPE"), f.faultString());
  }

  @Test
  void billionLaughsIsRefusedWithinASecond() throws Exception {
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for (int i = 1; i < 10; i++) {
      sb.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
          .append("\">");
    }
    sb.append("]><methodCall><methodName>echo</methodName><params><param><value>&lol9;</value></param>"
        + "</params></methodCall>");
    long start = System.nanoTime();
    HttpResponse<byte[]> r = post("/", sb.toString().getBytes(StandardCharsets.UTF_8));
    assertTrue(System.nanoTime() - start < 1_000_000_000L);
    assertTrue(codec.parseResponse(new ByteArrayInputStream(r.body())).fault());
    assertFalse(new String(r.body(), StandardCharsets.UTF_8).contains("lollol"));
  }

  @Test
  void deepNestingIsRefusedAndTheServerStaysUp() throws Exception {
    StringBuilder sb = new StringBuilder("<?xml version='1.0'?><methodCall><methodName>echo</methodName><params><param>");
    sb.append("<value><array><data>".repeat(50_000)).append("</data></array></value>".repeat(50_000));
    sb.append("</param></params></methodCall>");
    XmlRpcResponse f = codec.parseResponse(new ByteArrayInputStream(post("/", sb.toString().getBytes(StandardCharsets.UTF_8)).body()));
    assertTrue(f.fault());
    assertTrue(f.faultString().contains("nested deeper than 64"), f.faultString());
    assertEquals("still here", rpc("/", "echo", "still here").value());
  }

  @Test
  void javaClientSeesValuesAndFaults() throws Exception {
    ImgpipeClient client = new ImgpipeClient("127.0.0.1", port, Duration.ofSeconds(10));
    assertEquals("x".repeat(3000), client.call("sized", 3000));
    XmlRpcFault f = assertThrows(XmlRpcFault.class, () -> client.call("nosuch"));
    assertEquals(1, f.faultCode());
    assertEquals("<class 'Exception'>:method \"nosuch\" is not supported", f.faultString());
    assertTrue(client.listMethods().contains("system.multicall"));
    ImgpipeClient nobody = new ImgpipeClient("127.0.0.1", freePort(), Duration.ofSeconds(2));
    assertThrows(java.io.IOException.class, () -> nobody.call("echo", 1));
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}

package org.imgpipe.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.imgpipe.xmlrpc.XmlRpcCodec;
import org.imgpipe.xmlrpc.XmlRpcResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are read only while the port's request-body memory has room (the body and what its parse
 * takes, counted as it arrives and held until the call is answered): a body that does not fit waits
 * unread, one larger than the whole budget gets a MemoryError fault, and the port keeps serving. A real
 * port on loopback.
 */
class RequestMemoryTest {

  private static final int MB = 1 << 20;
  private static TablePort server;
  private static int port;
  private static PrometheusMeterRegistry registry;
  private static volatile CompletableFuture<Reply> held = new CompletableFuture<>();
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final XmlRpcCodec codec = new XmlRpcCodec(XmlRpcCodec.Limits.clientDefaults());

  @BeforeAll
  static void start() throws Exception {
    MethodTable table = new MethodTable("TestService", List.of(
        new RemoteMethod("len", List.of(Param.base64("data")), WireType.INT, "Answers the data's length.",
            a -> CompletableFuture.completedFuture(Reply.ok(a.bytes(0).length))),
        new RemoteMethod("hold", List.of(Param.base64("data")), WireType.INT, "Answers when the test says so.",
            a -> held)));
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    server = TablePort.start("request-memory-test", "imgpipe.limits.max-request-bytes = 16 MiB\n"
        + "imgpipe.limits.request-memory = 20 MiB", table, () -> true, registry);
    port = server.port;
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static CompletableFuture<XmlRpcResponse> call(String method, int dataBytes) throws Exception {
    byte[] body = codec.requestBytes(method, List.of(new byte[dataBytes]));
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/RPC2"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "text/xml")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
      assertEquals(200, r.statusCode());
      try {
        return codec.parseResponse(new ByteArrayInputStream(r.body()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static double meter(String name) {
    return registry.find(name).meters().stream().findFirst()
        .map(m -> m.measure().iterator().next().getValue()).orElse(Double.NaN);
  }

  @Test
  void bodyThatDoesNotFitWaitsUnreadUntilTheCallBeforeItIsAnswered() throws Exception {
    held = new CompletableFuture<>();
    // 3 MB of data is about 4 MB of XML, which holds about 10.5 MB (the body, and its parse: ParseCost) until
    // the call is answered; two such calls do not fit in the 15 MiB one client may hold (75% of 20 MiB).
    CompletableFuture<XmlRpcResponse> first = call("hold", 3 * MB);
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (meter("imgpipe.request.memory.used") < 10 * MB) {
      assertFalse(first.isDone(), () -> "the first call was answered: " + first.join());
      assertTrue(System.nanoTime() < end, "the first call never reserved its body's memory");
      Thread.sleep(10);
    }
    double waitsBefore = meter("imgpipe.request.memory.waits");
    CompletableFuture<XmlRpcResponse> second = call("len", 3 * MB);
    while (meter("imgpipe.request.memory.waits") < waitsBefore + 1) {
      assertTrue(System.nanoTime() < end, "the second call did not wait for memory");
      Thread.sleep(10);
    }
    Thread.sleep(200);
    assertFalse(second.isDone(), "the second call was answered while the first still held the memory");

    held.complete(Reply.ok(7));
    assertEquals(7, first.get(30, TimeUnit.SECONDS).value());
    assertEquals(3 * MB, second.get(30, TimeUnit.SECONDS).value());
    end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (meter("imgpipe.request.memory.used") != 0) {
      assertTrue(System.nanoTime() < end, "request memory not given back");
      Thread.sleep(10);
    }
  }

  @Test
  void bodyLargerThanTheWholeBudgetGetsAMemoryErrorFaultAndThePortKeepsServing() throws Exception {
    // 6 MB of data is about 8 MB of XML: at least 2.6 times that (ParseCost), more than the 20 MiB there is.
    XmlRpcResponse r = call("len", 6 * MB).get(30, TimeUnit.SECONDS);
    assertTrue(r.fault(), "expected a fault, got " + r.value());
    assertTrue(r.faultString().startsWith("<class 'MemoryError'>:request too large for this node's memory: it needs"
        + " about 2"), r.faultString());
    assertTrue(r.faultString().contains("the node allows 20 MB for request bodies"), r.faultString());
    assertEquals(1000, call("len", 1000).get(30, TimeUnit.SECONDS).value());
    assertEquals(2 * MB, call("len", 2 * MB).get(30, TimeUnit.SECONDS).value());
  }
}

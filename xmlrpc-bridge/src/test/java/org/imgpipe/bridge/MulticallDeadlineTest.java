package org.imgpipe.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.imgpipe.xmlrpc.client.ImgpipeClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A system.multicall stops at the request deadline: the call running then is answered with a fault, and
 * the calls after it are not run (each gets a fault that says so). A real port with a test method that
 * never answers, and a deadline of 1 s.
 */
class MulticallDeadlineTest {

  private static TablePort server;
  private static final List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    MethodTable table = new MethodTable("TestService", List.of(
        new RemoteMethod("echo", List.of(Param.any("value")), WireType.ANY, "Answers its parameter.", a -> {
          ran.add(String.valueOf(a.any(0)));
          return CompletableFuture.completedFuture(Reply.ok(a.any(0)));
        }),
        new RemoteMethod("hang", List.of(), WireType.ANY, "Never answers.", a -> new CompletableFuture<>())));
    server = TablePort.start("multicall-deadline-test", "imgpipe.timeouts.request = 1s", table, () -> true,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void theCallRunningAtTheDeadlineAndTheOnesAfterItGetFaults() throws Exception {
    ImgpipeClient client = new ImgpipeClient("127.0.0.1", server.port, Duration.ofSeconds(30));
    long start = System.nanoTime();
    Object[] results = (Object[]) client.call("system.multicall", (Object) new Object[] {
        Map.of("methodName", "echo", "params", new Object[] {"before"}),
        Map.of("methodName", "hang", "params", new Object[0]),
        Map.of("methodName", "echo", "params", new Object[] {"after"})});
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= 900 && ms < 5000, "answered after " + ms + " ms");
    assertArrayEquals(new Object[] {"before"}, (Object[]) results[0]);
    assertEquals("<class 'TimeoutError'>:this call did not finish within the request deadline of 1000 ms",
        ((Map<?, ?>) results[1]).get("faultString"));
    assertEquals("<class 'TimeoutError'>:system.multicall reached the request deadline of 1000 ms; this call "
        + "was not run", ((Map<?, ?>) results[2]).get("faultString"));
    assertEquals(List.of("before"), ran, "a call after the deadline was run");
    assertEquals("still here", client.call("echo", "still here"));
  }
}

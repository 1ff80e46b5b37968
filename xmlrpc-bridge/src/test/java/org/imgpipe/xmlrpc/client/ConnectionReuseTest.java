package org.imgpipe.xmlrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client keeps its HTTP connection open between calls, as Python's xmlrpc.client does: the fork's
 * transport calls disconnect() after each call, but only once the answer has been read and the JDK has
 * put the connection back in its keep-alive cache, so the socket stays open (with or without gzip).
 */
class ConnectionReuseTest {

  private HttpServer server;
  private ExecutorService executor;
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private volatile boolean gzip;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", exchange -> {
      clientPorts.add(exchange.getRemoteAddress().getPort());
      exchange.getRequestBody().readAllBytes();
      String n = String.valueOf(clientPorts.size());
      byte[] body = ("<?xml version='1.0'?>\n<methodResponse><params><param><value><string>" + "x".repeat(3000)
          + n + "</string></value></param></params></methodResponse>\n").getBytes(StandardCharsets.US_ASCII);
      if (gzip) {
        var z = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
          g.write(body);
        }
        body = z.toByteArray();
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      }
      exchange.getResponseHeaders().set("Content-Type", "text/xml");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Test
  void sequentialCallsShareOneConnection() throws Exception {
    for (boolean zipped : List.of(false, true)) {
      gzip = zipped;
      clientPorts.clear();
      ImgpipeClient client = new ImgpipeClient("127.0.0.1", server.getAddress().getPort(), Duration.ofSeconds(10));
      for (int i = 0; i < 10; i++) {
        assertEquals("x".repeat(3000) + "1", client.call("ping", i), "answer " + i + (zipped ? " (gzip)" : ""));
      }
      assertEquals(1, clientPorts.size(), "connections used for 10 calls" + (zipped ? " (gzip)" : "") + ": " + clientPorts);
    }
  }
}

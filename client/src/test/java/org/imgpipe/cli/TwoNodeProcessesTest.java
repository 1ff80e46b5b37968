package org.imgpipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.node.LocalPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes as separate JVMs, each on its own loopback address, with the roles split between them:
 * the demo batch sent to the first is served by both, and SIGTERM stops each gracefully with exit 0.
 */
class TwoNodeProcessesTest {

  private static final String A = "127.0.0.5";
  private static final String B = "127.0.0.6";

  @TempDir Path dir;

  /** A node JVM whose output is collected, and a latch for its banner. */
  static final class NodeProcess {
    final Process process;
    final StringBuffer output = new StringBuffer();
    final CountDownLatch started = new CountDownLatch(1);
    final Thread reader;

    NodeProcess(List<String> args, Path log) throws IOException {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
          "org.imgpipe.node.NodeCommand"));
      cmd.addAll(args);
      process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            output.append(line).append('\n');
            if (line.startsWith("imgpipe node started")) {
              started.countDown();
            }
          }
        } catch (IOException ignored) {
          // the process ended
        } finally {
          try {
            Files.writeString(log, output);
          } catch (IOException ignored) {
            // diagnostics only
          }
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    void awaitStarted() throws InterruptedException {
      if (!started.await(240, TimeUnit.SECONDS)) { // start-up is slow on a loaded 2-core machine
        throw new AssertionError("node did not start:\n" + output);
      }
    }

    /** Waits (30 s at most) until the output holds {@code text}: the banner's lines follow its first line. */
    void awaitOutput(String text) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!output.toString().contains(text)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the node never printed '" + text + "':\n" + output);
        }
        Thread.sleep(50);
      }
    }
  }

  private static List<String> args(String host, int clusterPort, ImgpipeSettings.Ports p, String roles,
      String seeds) {
    List<String> a = new ArrayList<>(List.of("--host", host, "--cluster-port", "" + clusterPort, "--roles", roles,
        "--resize-port", "" + p.resize(), "--filter-port", "" + p.filter(), "--watermark-port", "" + p.watermark(),
        "--orchestrator-port", "" + p.orchestrator(), "--format-port", "" + p.format(), "--join-timeout", "90s"));
    if (seeds != null) {
      a.addAll(List.of("--seed-nodes", seeds));
    }
    return a;
  }

  private static void terminate(Process p) throws Exception {
    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
  }

  private static void awaitReady(String host, int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    int status = 0;
    while (System.nanoTime() < deadline) {
      try {
        status = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/ready"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200) {
          return;
        }
      } catch (IOException notYet) {
        // keep polling
      }
      Thread.sleep(250);
    }
    throw new AssertionError("orchestrator never ready, last /ready status " + status);
  }

  @Test
  void splitRolesServeTheDemoBatchTogetherAndStopGracefully() throws Exception {
    ImgpipeSettings.Ports pa = LocalPorts.freeServicePorts(A);
    ImgpipeSettings.Ports pb = LocalPorts.freeServicePorts(B);
    int clusterA = LocalPorts.free(A);
    int clusterB = LocalPorts.free(B);
    NodeProcess a = new NodeProcess(args(A, clusterA, pa, "orchestrator,resize", null), dir.resolve("a.log"));
    NodeProcess b = new NodeProcess(args(B, clusterB, pb, "filter,watermark,format", A + ":" + clusterA),
        dir.resolve("b.log"));
    try {
      a.awaitStarted();
      b.awaitStarted();
      b.awaitOutput("seed nodes    " + A + ":" + clusterA);
      awaitReady(A, pa.orchestrator());

      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      picocli.CommandLine cl = ImgpipeCli.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      Path output = dir.resolve("output");
      int code = cl.execute("demo", "--images", "4", "--no-embedded", "--orchestrator", A + ":" + pa.orchestrator(),
          "--output", output.toString());
      String text = out.toString();
      assertEquals(0, code, text + err + "\nA:\n" + a.output + "\nB:\n" + b.output);
      for (int i = 1; i <= 4; i++) {
        assertEquals(1280, ImageIO.read(output.resolve(String.format("batch_%03d.png", i)).toFile()).getWidth());
      }
      // Resize ran on A, every filter (1 + 2 + 1 + 2), watermark and format on B.
      assertTrue(text.contains(String.format("  %-24s -> Resize 4", A + ":" + pa.resize())), text);
      assertTrue(text.contains(String.format("  %-24s -> Filter 6", B + ":" + pb.filter())), text);
      assertTrue(text.contains(String.format("  %-24s -> Watermark 4", B + ":" + pb.watermark())), text);
      assertTrue(text.contains(String.format("  %-24s -> Format 4", B + ":" + pb.format())), text);
    } finally {
      // SIGTERM by pid: Process.destroy() would also close the output pipes, losing the farewell lines.
      terminate(b.process);
      terminate(a.process);
      boolean bEnded = b.process.waitFor(150, TimeUnit.SECONDS);
      boolean aEnded = a.process.waitFor(150, TimeUnit.SECONDS);
      if (!aEnded) {
        a.process.destroyForcibly();
      }
      if (!bEnded) {
        b.process.destroyForcibly();
      }
      assertTrue(aEnded && bEnded, "both nodes stopped after SIGTERM\nA:\n" + a.output + "\nB:\n" + b.output);
    }
    assertEquals(0, b.process.exitValue(), b.output.toString());
    assertEquals(0, a.process.exitValue(), a.output.toString());
    a.reader.join(30_000); // all output read
    b.reader.join(30_000);
    assertTrue(b.output.toString().contains("imgpipe node: leaving the cluster"), b.output.toString());
    assertTrue(b.output.toString().contains("imgpipe node: stopped"), b.output.toString());
    assertTrue(a.output.toString().contains("cluster: member up akka://imgpipe@" + B + ":" + clusterB),
        a.output.toString());
  }
}

package org.imgpipe.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.node.ImgpipeNode;
import org.imgpipe.node.LocalPorts;
import org.imgpipe.node.NodeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real window on a virtual display: this test starts its own Xvfb and an embedded all-roles node,
 * then a child JVM (with DISPLAY set, not headless) runs {@link PanelWindowDriver}, which types the
 * node's address, checks the services, runs a 3-image batch with the buttons and reports what the
 * window shows. Fails, never skips, when Xvfb or the JDK's X11 toolkit is missing.
 */
class PanelWindowTest {

  private static final String HOST = "127.0.0.47";
  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(180);

  @TempDir Path dir;

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void theWindowRunsAThreeImageBatchAgainstAnEmbeddedNode() throws Exception {
    Path xvfb = onPath("Xvfb");
    if (xvfb == null) {
      fail("Xvfb is not installed, so the window test cannot open a display: install Debian's xvfb "
          + "(apt-get install -y xvfb; .ci/run does this)");
    }
    Path xawt = Path.of(System.getProperty("java.home"), "lib", "libawt_xawt.so");
    if (!Files.exists(xawt)) {
      fail("this JDK has no X11 toolkit (" + xawt + " is missing): install the full JRE, e.g. openjdk-17-jre, "
          + "not only openjdk-17-jre-headless");
    }
    String classpath = System.getProperty("java.class.path");
    assertTrue(classpath.contains("test-classes"), "the test classpath is not visible to the child JVM: " + classpath);

    Path target = Path.of("target").toAbsolutePath();
    Files.createDirectories(target);
    Path output = dir.resolve("output");
    Path report = dir.resolve("report.properties");
    Path screenshot = target.resolve("panel-window.png");
    Path childLog = target.resolve("panel-window-driver.log");
    Files.deleteIfExists(screenshot);

    ImgpipeNode node = null;
    Xvfb display = null;
    Process child = null;
    try {
      // The window comes up while the node starts: the driver waits for the orchestrator port to answer.
      ImgpipeSettings.Ports ports = LocalPorts.freeServicePorts(HOST);
      display = Xvfb.start(xvfb);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String otherPorts = ports.resize() + ", " + ports.filter() + ", " + ports.watermark() + ", " + ports.format();
      ProcessBuilder pb = new ProcessBuilder(java, "-Djava.awt.headless=false", "-Xmx384m", "-cp", classpath,
          PanelWindowDriver.class.getName(), HOST + ":" + ports.orchestrator(), otherPorts, "3",
          output.toString(), report.toString(), screenshot.toString());
      pb.environment().put("DISPLAY", display.name());
      pb.redirectErrorStream(true);
      pb.redirectOutput(childLog.toFile());
      child = pb.start();
      node = ImgpipeNode.start(NodeOptions.allInOne(HOST, LocalPorts.free(HOST), ports).toBuilder()
          .joinTimeout(Duration.ofSeconds(90)).build());
      assertEquals(ports.orchestrator(), node.openPorts().get(Role.ORCHESTRATOR));
      if (!child.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        fail("the window driver did not finish within " + CHILD_TIMEOUT.toSeconds() + " s; its output:\n"
            + tail(childLog));
      }
      assertEquals(0, child.exitValue(), "the window driver failed; its output:\n" + tail(childLog));

      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(report)) {
        p.load(in);
      }
      assertTrue(p.getProperty("title").contains("imgpipe"), p.getProperty("title"));
      for (String indicator : ServiceProbe.indicatorNames()) {
        assertEquals("UP", p.getProperty("probe." + indicator),
            indicator + " indicator: " + p.getProperty("probe." + indicator + ".detail"));
      }
      assertEquals("false", p.getProperty("startEnabledWhileRunning"), "Start stays pressed while a batch runs");
      assertEquals("true", p.getProperty("cancelEnabledWhileRunning"));
      assertEquals("true", p.getProperty("finishedInTime"));
      assertEquals("3", p.getProperty("progress.max"));
      assertEquals("3", p.getProperty("progress.value"));
      assertEquals("false", p.getProperty("progress.indeterminate"));
      assertEquals("Complete! 3/3 successful", p.getProperty("status"));
      String log = p.getProperty("log");
      for (String line : List.of("IMAGE 1/3: Processing...", "IMAGE 3/3: Processing...", "image 1 OK: total ",
          "image 3 OK: total ", "BATCH PROCESSING COMPLETE", "Total images: 3 | successful: 3 | failed: 0")) {
        assertTrue(log.contains(line), "the log lacks '" + line + "':\n" + log);
      }
      assertEquals("3", p.getProperty("table.rows"));
      for (int r = 0; r < 3; r++) {
        String row = p.getProperty("table.row." + r);
        assertTrue(row.startsWith((r + 1) + " | batch_00" + (r + 1) + ".png | OK | "), row);
        assertTrue(row.contains(HOST + ":" + node.openPorts().get(Role.RESIZE)), row);
      }
      assertEquals("true", p.getProperty("preview.before"));
      assertEquals("true", p.getProperty("preview.after"));
      assertEquals("true", p.getProperty("startEnabledAfter"));

      // The files the batch wrote: the original's names, every source fitted into 1280x720.
      for (int i = 1; i <= 3; i++) {
        Path f = output.resolve(String.format("batch_%03d.png", i));
        assertTrue(Files.exists(f), f + " was not written");
        BufferedImage img = ImageIO.read(f.toFile());
        assertEquals(1280, img.getWidth(), f.toString());
        assertEquals(720, img.getHeight(), f.toString());
      }
      try (var files = Files.list(output)) {
        assertEquals(3, files.count());
      }

      BufferedImage shot = ImageIO.read(screenshot.toFile());
      assertTrue(shot.getWidth() >= 1000 && shot.getHeight() >= 700, shot.getWidth() + "x" + shot.getHeight());
      assertTrue(distinctColours(shot) > 50, "the screenshot looks blank");
    } finally {
      if (child != null && child.isAlive()) {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
      }
      if (display != null) {
        display.close();
      }
      if (node != null) {
        node.close();
      }
    }
  }

  private static int distinctColours(BufferedImage img) {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        seen.add(img.getRGB(x, y));
      }
    }
    return seen.size();
  }

  private static Path onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      Path p = Path.of(d, program);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** An Xvfb server on the first free display number from :60, stopped by {@link #close()}. */
  static final class Xvfb implements AutoCloseable {
    private final Process process;
    private final int number;

    private Xvfb(Process process, int number) {
      this.process = process;
      this.number = number;
    }

    String name() {
      return ":" + number;
    }

    static Xvfb start(Path binary) throws IOException, InterruptedException {
      List<String> tried = new ArrayList<>();
      for (int n = 60; n < 100; n++) {
        if (Files.exists(Path.of("/tmp/.X" + n + "-lock")) || Files.exists(Path.of("/tmp/.X11-unix/X" + n))) {
          continue;
        }
        Process p = new ProcessBuilder(binary.toString(), ":" + n, "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (p.isAlive() && !Files.exists(Path.of("/tmp/.X11-unix/X" + n)) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        if (p.isAlive() && Files.exists(Path.of("/tmp/.X11-unix/X" + n))) {
          return new Xvfb(p, n);
        }
        // Another server took the number first, or it did not come up in time: next number.
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        tried.add(":" + n + (p.isAlive() ? " (hung)" : " (exit " + p.exitValue() + ")"));
        if (tried.size() >= 5) {
          break;
        }
      }
      throw new AssertionError("could not start Xvfb; tried " + tried);
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}

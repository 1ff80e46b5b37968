package org.imgpipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.demo.SyntheticBatch;
import org.imgpipe.node.ImgpipeNode;
import org.imgpipe.node.LocalPorts;
import org.imgpipe.node.NodeOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's commands against one live all-roles node on its own loopback address. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliAgainstLiveNodeTest {

  private static final String HOST = "127.0.0.41";

  private ImgpipeNode node;
  private ImgpipeSettings.Ports ports;
  @TempDir Path dir;
  private Path input;

  /** What one command printed and returned. */
  record Run(int code, String out, String err) {}

  @BeforeAll
  void startNode() throws IOException {
    ports = LocalPorts.freeServicePorts(HOST);
    node = ImgpipeNode.start(NodeOptions.allInOne(HOST, LocalPorts.free(HOST), ports).toBuilder()
        .joinTimeout(Duration.ofSeconds(60)).build());
    input = Files.createTempDirectory("imgpipe-cli-input").resolve("scene.png");
    Files.write(input, SyntheticBatch.png(2)); // 1600x900
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = ImgpipeCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private String at(Role role) {
    return HOST + ":" + ports.of(role);
  }

  private static BufferedImage image(Path p) throws IOException {
    BufferedImage img = ImageIO.read(p.toFile());
    assertTrue(img != null, p + " is an image");
    return img;
  }

  @Test
  void resizeWritesTheResizedImageAndPrintsTheServicesMessage() throws IOException {
    Path out = dir.resolve("resize");
    Run r = run("resize", input.toString(), "--width", "800", "--height", "600", "--node", at(Role.RESIZE),
        "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Resized from 1600x900 to 800x450"), r.out());
    BufferedImage img = image(out.resolve("scene_resized.png"));
    assertEquals(800, img.getWidth());
    assertEquals(450, img.getHeight());
  }

  @Test
  void filterNegativeInvertsThePixels() throws IOException {
    Path out = dir.resolve("filter");
    Run r = run("filter", input.toString(), "--type", "NEGATIVE", "--node", at(Role.FILTER), "--output",
        out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Applied NEGATIVE filter"), r.out());
    int src = SyntheticBatch.image(2).getRGB(10, 10) & 0xffffff;
    int neg = image(out.resolve("scene_negative.png")).getRGB(10, 10) & 0xffffff;
    assertEquals(0xffffff - src, neg);
  }

  @Test
  void watermarkAndFormatCallTheirServices() throws IOException {
    Path out = dir.resolve("wm");
    Run w = run("watermark", input.toString(), "--text", "imgpipe", "--position", "top-left", "--node",
        at(Role.WATERMARK), "--output", out.toString());
    assertEquals(0, w.code(), w.err());
    assertTrue(w.out().contains("Text watermark added"), w.out());
    assertEquals(1600, image(out.resolve("scene_watermarked.png")).getWidth());

    Run f = run("format", input.toString(), "--to", "JPEG", "--quality", "80", "--node", at(Role.FORMAT),
        "--output", out.toString());
    assertEquals(0, f.code(), f.err());
    byte[] jpg = Files.readAllBytes(out.resolve("scene_formatted.jpg"));
    assertEquals(0xFF, jpg[0] & 0xff);
    assertEquals(0xD8, jpg[1] & 0xff);
  }

  @Test
  void processRunsTheWholePipelineAndStatusFindsTheJob() throws IOException {
    Path out = dir.resolve("process");
    Run p = run("process", input.toString(), "--width", "640", "--height", "480", "--filters", "GRAYSCALE",
        "--watermark", "hello", "--format", "PNG", "--orchestrator", at(Role.ORCHESTRATOR), "--output",
        out.toString());
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().contains("Processing completed successfully"), p.out());
    assertTrue(p.out().contains("Filter-1 (GRAYSCALE) -> "), p.out());
    BufferedImage img = image(out.resolve("scene_processed.png"));
    assertEquals(640, img.getWidth());
    assertEquals(360, img.getHeight());
    int px = img.getRGB(5, 5);
    assertEquals((px >> 16) & 0xff, px & 0xff, "grayscale: red equals blue");

    Matcher m = Pattern.compile("process_id (\\S+)").matcher(p.out());
    assertTrue(m.find(), p.out());
    Run s = run("status", m.group(1), "--orchestrator", at(Role.ORCHESTRATOR));
    assertEquals(0, s.code(), s.err());
    assertTrue(s.out().contains("process_id        " + m.group(1)), s.out());
    assertTrue(s.out().contains("status            completed"), s.out());
    assertTrue(s.out().contains("progress_percent  100"), s.out());
  }

  @Test
  void probeShowsAllFiveServicesAnswering() {
    Run r = run("probe", HOST, "--resize-port", "" + ports.resize(), "--filter-port", "" + ports.filter(),
        "--watermark-port", "" + ports.watermark(), "--orchestrator-port", "" + ports.orchestrator(),
        "--format-port", "" + ports.format());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("5 of 5 services answer."), r.out());
    assertTrue(r.out().contains("ok: Resized from 16x16 to 8x8"), r.out());
    assertTrue(r.out().contains("ok: Processing completed successfully"), r.out());
  }

  @Test
  void probeOfAnAddressWithNothingListeningSaysSoAndExitsOne() {
    String dead = "127.0.0.43";
    Run r = run("probe", dead, "--resize-port", "" + LocalPorts.free(dead), "--filter-port", "" + LocalPorts.free(dead),
        "--watermark-port", "" + LocalPorts.free(dead), "--orchestrator-port", "" + LocalPorts.free(dead),
        "--format-port", "" + LocalPorts.free(dead), "--timeout", "3s");
    assertEquals(1, r.code());
    assertTrue(r.out().contains("0 of 5 services answer."), r.out());
    assertTrue(r.out().contains("connection refused"), r.out());
  }

  @Test
  void aWrongAddressAndAnUnreadableFileAreClearOneLineErrors() {
    String nowhere = HOST + ":" + LocalPorts.free(HOST);
    Run r = run("resize", input.toString(), "--width", "10", "--node", nowhere, "--output", dir.toString());
    assertEquals(1, r.code());
    assertEquals("imgpipe resize: nothing answers on " + nowhere + " (connection refused): is an imgpipe node with "
        + "that service running there? Start one with ./imgpipe node, or give the right address", r.err().strip());

    Run f = run("filter", dir.resolve("missing.png").toString(), "--type", "SEPIA", "--node", at(Role.FILTER));
    assertEquals(1, f.code());
    assertEquals("imgpipe filter: cannot read " + dir.resolve("missing.png") + ": no such file", f.err().strip());

    Run bad = run("demo", "--orchestrator", "127.0.0.1:99999");
    assertEquals(2, bad.code(), "a usage error");
    assertTrue(bad.err().contains("'99999' is not a port (1-65535)"), bad.err());
  }

  @Test
  void theDemoWritesEveryImagePrintsTheSummaryAndNeverOverwritesSilently() throws IOException {
    Path out = dir.resolve("output");
    Run r = run("demo", "--images", "3", "--orchestrator", at(Role.ORCHESTRATOR), "--output", out.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    for (int i = 1; i <= 3; i++) {
      BufferedImage img = image(out.resolve(String.format("batch_%03d.png", i)));
      assertEquals(1280, img.getWidth());
      assertEquals(720, img.getHeight());
    }
    assertTrue(r.out().contains("🎯 IMAGE 3/3: ✅ Success! Total: "), r.out());
    assertTrue(r.out().contains("Successful:        3"), r.out());
    assertTrue(r.out().contains("Failed:            0"), r.out());
    for (String stage : List.of("resize", "filters", "watermark", "format", "total per image (server)")) {
      assertTrue(Pattern.compile("  " + Pattern.quote(stage) + " +\\d+\\.\\d +\\d+").matcher(r.out()).find(),
          stage + " row in\n" + r.out());
    }
    // Image 1 has 1 filter, 2 has 2, 3 has 1: four filter runs, three of each other stage, all on this node.
    assertTrue(r.out().contains(at(Role.RESIZE) + " ".repeat(24 - at(Role.RESIZE).length()) + " -> Resize 3"),
        r.out());
    assertTrue(r.out().contains(at(Role.FILTER) + " ".repeat(24 - at(Role.FILTER).length()) + " -> Filter 4"),
        r.out());

    long before = Files.getLastModifiedTime(out.resolve("batch_001.png")).toMillis();
    Run again = run("demo", "--images", "1", "--orchestrator", at(Role.ORCHESTRATOR), "--output", out.toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("is not empty; writing to output-2/ beside it instead"), again.out());
    assertTrue(Files.exists(dir.resolve("output-2/batch_001.png")));
    assertEquals(3, Files.list(out).count());
    assertEquals(before, Files.getLastModifiedTime(out.resolve("batch_001.png")).toMillis());
  }

  @Test
  void benchReportsThroughputAndLatencyPercentiles() {
    Run r = run("bench", "--requests", "6", "--concurrency", "2", "--warmup", "1", "--orchestrator",
        at(Role.ORCHESTRATOR));
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("requests     6 (ok 6, failed 0"), r.out());
    assertTrue(Pattern.compile("throughput   \\d+\\.\\d\\d requests/s").matcher(r.out()).find(), r.out());
    assertTrue(Pattern.compile("latency ms   p50 \\d+   p95 \\d+   p99 \\d+").matcher(r.out()).find(), r.out());
  }

  @Test
  void everyCommandHasHelp() {
    List<String> missing = new ArrayList<>();
    for (String cmd : List.of("node", "demo", "process", "resize", "filter", "watermark", "format", "status", "probe",
        "bench")) {
      Run r = run(cmd, "--help");
      if (r.code() != 0 || !r.out().startsWith("Usage: imgpipe " + cmd)) {
        missing.add(cmd);
      }
    }
    assertEquals(List.of(), missing);
  }
}

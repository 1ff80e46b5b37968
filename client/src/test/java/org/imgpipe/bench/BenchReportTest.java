package org.imgpipe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class BenchReportTest {

  private static RunResult run(String workload, int c, long wallMillis, int ok) {
    return new RunResult(workload, c, ok, ok, 0, 0, wallMillis, new Percentiles(ok, 40, 38, 70, 90, 95),
        new RunResult.StageSplit(5, 20, 3, 8, 40, 55), 61.25, 300L << 20, 700L << 20, List.of());
  }

  @Test
  void markdownHasOneRowPerLevelWithTheFigures() {
    List<RunResult> runs = List.of(run("demo", 1, 2000, 50), run("demo", 4, 1000, 50));
    String md = BenchReport.markdown(runs, new Machine("Test CPU", 2, 4L << 30, "Linux", "JVM"), "1.00 0.50 0.20",
        "1.10 0.60 0.30", "node pid 1", "127.0.0.1:50055");
    assertTrue(md.contains("| demo | 1 | 50 | 0 | 25.00 | 38 | 70 | 90 | 61.3 | 300 | 700 |"), md);
    assertTrue(md.contains("| demo | 4 | 50 | 0 | 50.00 | 38 | 70 | 90 | 61.3 | 300 | 700 |"), md);
    assertTrue(md.contains("| demo | 4 | 5.0 | 20.0 | 3.0 | 8.0 | 4.0 | 15.0 | 55.0 |"), md);
    assertTrue(md.contains("1.00 0.50 0.20 before, 1.10 0.60 0.30 after"), md);
    assertTrue(md.contains("2 cores (Test CPU)"), md);
    String text = BenchReport.text(runs);
    assertTrue(text.contains("50.00"), text);
    assertEquals("n/a", BenchReport.mb(-1));
    assertEquals("n/a", BenchReport.ms(-1));
  }

  @Test
  void chartIsAPngWithBarsInTheSeriesColours() throws Exception {
    List<RunResult> runs = List.of(run("demo", 1, 2000, 50), run("demo", 4, 1000, 50), run("photo", 1, 5000, 20),
        run("photo", 4, 2500, 20));
    byte[] png = BenchChart.png(runs, List.of(new BenchChart.Reference("libvips", 5)), "test");
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(BenchChart.WIDTH, img.getWidth());
    assertEquals(BenchChart.HEIGHT, img.getHeight());
    int demo = 0;
    int photo = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth() / 3; x++) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        demo += rgb == 0x1f77b4 ? 1 : 0;
        photo += rgb == 0xff7f0e ? 1 : 0;
      }
    }
    // demo's bars (25 and 50 images/s) are far taller than photo's (4 and 8).
    assertTrue(demo > 3 * photo && photo > 0, "demo " + demo + " px, photo " + photo + " px");
    assertEquals(50.0, BenchChart.nice(41), 1e-9);
    assertEquals(2.0, BenchChart.nice(1.2), 1e-9);
    assertEquals(100.0, BenchChart.nice(100), 1e-9);
  }
}

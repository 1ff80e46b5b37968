package org.imgpipe.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import javax.swing.JComponent;
import org.imgpipe.demo.ImageResult;
import org.junit.jupiter.api.Test;

/** The charts and table pieces, drawn into images without a display. */
class PanelViewPartsTest {

  static ImageResult result(int i, boolean ok, long resize, long filter, long watermark, long format) {
    return new ImageResult(i, "batch_" + i + ".png", ok, ok ? "done" : "Resize failed: x", "p", null, resize, filter,
        watermark, format, resize + filter + watermark + format, 100, 1000, 500,
        ok ? Map.of("Resize", "10.0.0.1:50052", "Filter-1 (SEPIA)", "10.0.0.2:50053") : Map.of(), 1);
  }

  static BufferedImage draw(JComponent c, int w, int h) {
    c.setSize(w, h);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    c.paint(g);
    g.dispose();
    return img;
  }

  static int count(BufferedImage img, Color colour) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xFFFFFF) == (colour.getRGB() & 0xFFFFFF)) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void stageBarsAreAsTallAsTheirTimes() {
    StageTimesChart chart = new StageTimesChart();
    // Image 1: 100 ms resize only; image 2: 50 ms resize + 50 ms format.
    chart.setResults(List.of(result(1, true, 100, 0, 0, 0), result(2, true, 50, 0, 0, 50)));
    BufferedImage img = draw(chart, 300, 240);
    int resize = count(img, Charts.STAGE_COLOURS.get(0));
    int format = count(img, Charts.STAGE_COLOURS.get(3));
    int filterBarPixels = count(img, Charts.STAGE_COLOURS.get(1)) - 100; // legend swatches are 10x10
    assertTrue(resize > 1000, "resize pixels " + resize);
    // Resize is 150 ms in all, format 50 ms: three times the area (legend swatches aside).
    double ratio = (resize - 100) / (double) (format - 100);
    assertEquals(3.0, ratio, 0.25, "resize/format area");
    assertEquals(0, filterBarPixels);
  }

  @Test
  void failedImagesShowAsRedMarksNotBars() {
    StageTimesChart chart = new StageTimesChart();
    chart.setResults(List.of(result(1, true, 100, 0, 0, 0), result(2, false, -1, -1, -1, -1)));
    assertTrue(count(draw(chart, 300, 240), Charts.FAILED) > 0);
    assertEquals(100, StageTimesChart.tallest(List.of(result(1, true, 100, 0, 0, 0), result(2, false, 900, 0, 0, 0))));
  }

  @Test
  void theNodeChartDrawsOneBarPerHostSplitByStage() {
    NodeDistributionChart chart = new NodeDistributionChart();
    chart.setDistribution(Map.of("10.0.0.1", Map.of("Resize", 4, "Watermark", 4), "10.0.0.2", Map.of("Filter", 2)));
    BufferedImage img = draw(chart, 360, 220);
    int resize = count(img, Charts.STAGE_COLOURS.get(0)) - 100;
    int watermark = count(img, Charts.STAGE_COLOURS.get(2)) - 100;
    int filter = count(img, Charts.STAGE_COLOURS.get(1)) - 100;
    assertTrue(resize > 0 && filter > 0, resize + " " + filter);
    assertEquals(1.0, resize / (double) watermark, 0.1);
    assertEquals(2.0, resize / (double) filter, 0.2);
    assertEquals(8, NodeDistributionChart.served(Map.of("Resize", 4, "Watermark", 4, "Orchestrator", 4)));
  }

  @Test
  void axisTopsAreRoundNumbers() {
    assertEquals(1, Charts.niceCeiling(1));
    assertEquals(5, Charts.niceCeiling(3));
    assertEquals(200, Charts.niceCeiling(120));
    assertEquals(500, Charts.niceCeiling(500));
    assertEquals(1000, Charts.niceCeiling(501));
  }

  @Test
  void nodesPerStageComeFromTheHostMap() {
    Map<String, String> hm = Map.of("Resize", "a:1", "Filter-1 (BLUR)", "b:2", "Filter-2 (SHARPEN)", "b:2");
    assertEquals("a:1", ResultsCsv.nodes(hm, "Resize"));
    assertEquals("b:2", ResultsCsv.nodes(hm, "Filter"));
    assertEquals("", ResultsCsv.nodes(hm, "Format"));
    assertEquals("127.0.0.2", PanelModel.hostOf("127.0.0.2:50052"));
    assertEquals("::1", PanelModel.hostOf("[::1]:50052"));
    assertEquals("node-a", PanelModel.hostOf("node-a"));
  }

  @Test
  void theTableShowsOkOrTheErrorPerImage() {
    ResultsTableModel t = new ResultsTableModel();
    t.setRows(List.of(result(1, true, 10, 20, 5, 7), result(2, false, -1, -1, -1, -1)));
    assertEquals(2, t.getRowCount());
    assertEquals("OK", t.getValueAt(0, 2));
    assertEquals("42", t.getValueAt(0, 3));
    assertEquals("10.0.0.1:50052", t.getValueAt(0, 7));
    assertEquals("10.0.0.2:50053", t.getValueAt(0, 9));
    assertEquals("FAILED", t.getValueAt(1, 2));
    assertEquals("", t.getValueAt(1, 3));
    assertEquals("Resize failed: x", t.getValueAt(1, 14));
    assertFalse(String.valueOf(t.getValueAt(0, 14)).contains("done"));
  }
}

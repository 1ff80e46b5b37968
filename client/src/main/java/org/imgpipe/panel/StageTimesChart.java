package org.imgpipe.panel;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.util.List;
import java.util.Locale;
import javax.swing.JComponent;
import org.imgpipe.demo.ImageResult;

/**
 * A live stacked bar chart: one bar per finished image, split into the four stage times the server
 * reported (resize, filter, watermark, format). Failed images show as a short red mark.
 */
final class StageTimesChart extends JComponent {

  private static final long serialVersionUID = 1L;

  private transient List<ImageResult> results = List.of();

  StageTimesChart() {
    setPreferredSize(new Dimension(360, 220));
    setOpaque(true);
    setBackground(Color.WHITE);
  }

  void setResults(List<ImageResult> r) {
    results = List.copyOf(r);
    repaint();
  }

  static long[] stageTimes(ImageResult r) {
    return new long[] {Math.max(0, r.resizeMillis()), Math.max(0, r.filterMillis()),
        Math.max(0, r.watermarkMillis()), Math.max(0, r.formatMillis())};
  }

  /** The largest stacked bar, in ms (0 when nothing succeeded yet). */
  static long tallest(List<ImageResult> results) {
    long max = 0;
    for (ImageResult r : results) {
      if (r.success()) {
        long sum = 0;
        for (long t : stageTimes(r)) {
          sum += t;
        }
        max = Math.max(max, sum);
      }
    }
    return max;
  }

  @Override
  protected void paintComponent(Graphics graphics) {
    Graphics2D g = Charts.prepare(graphics, this);
    int w = getWidth();
    int h = getHeight();
    FontMetrics fm = g.getFontMetrics();
    Charts.title(g, "Stage times per image (ms)", 8, fm.getAscent() + 4);
    int legendY = fm.getHeight() + 8;
    int top = Charts.legend(g, Charts.STAGES, Charts.STAGE_COLOURS, 8, legendY, getWidth() - 8) + 6;
    int left = 8 + fm.stringWidth("00000");
    int bottom = h - fm.getHeight() - 6;
    int right = w - 10;
    if (tallest(results) == 0 || bottom - top < 20 || right - left < 20) {
      long failed = results.stream().filter(r -> !r.success()).count();
      Charts.empty(g, failed == 0 ? "no image finished yet" : "no successful image yet (" + failed + " failed)",
          left, top, right, bottom);
      return;
    }
    long max = Charts.niceCeiling(Math.max(1, tallest(results)));
    Charts.yAxis(g, max, left, top, right, bottom);
    int n = results.size();
    double slot = (double) (right - left) / n;
    int barW = (int) Math.max(1, Math.min(40, slot * 0.75));
    for (int i = 0; i < n; i++) {
      ImageResult r = results.get(i);
      int x = (int) (left + i * slot + (slot - barW) / 2);
      if (!r.success()) {
        g.setColor(Charts.FAILED);
        g.fillRect(x, bottom - 4, barW, 4);
        continue;
      }
      double y = bottom;
      long[] times = stageTimes(r);
      for (int s = 0; s < times.length; s++) {
        double hh = (bottom - top) * (double) times[s] / max;
        g.setColor(Charts.STAGE_COLOURS.get(s));
        g.fillRect(x, (int) Math.round(y - hh), barW, (int) Math.max(0, Math.round(y) - Math.round(y - hh)));
        y -= hh;
      }
    }
    // Image numbers under the bars, thinned out so they never overlap.
    g.setColor(Color.DARK_GRAY);
    int every = Math.max(1, (int) Math.ceil(fm.stringWidth("000") / slot));
    for (int i = 0; i < n; i += every) {
      String label = Integer.toString(results.get(i).index());
      int cx = (int) (left + i * slot + slot / 2);
      g.drawString(label, cx - fm.stringWidth(label) / 2, bottom + fm.getAscent() + 2);
    }
    g.dispose();
  }

  @Override
  public String getToolTipText() {
    return String.format(Locale.ROOT, "%d images; tallest bar %d ms", results.size(), tallest(results));
  }
}

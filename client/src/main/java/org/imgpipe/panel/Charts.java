package org.imgpipe.panel;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.List;
import java.util.Locale;
import javax.swing.JComponent;

/** What the panel's two charts share: the stage colours, legend, axis and an empty-state message. */
final class Charts {

  /** The stage names as host_map and the demo's distribution spell them. */
  static final List<String> STAGES = List.of("Resize", "Filter", "Watermark", "Format");
  static final List<Color> STAGE_COLOURS = List.of(new Color(0x3B7DD8), new Color(0xF0A030),
      new Color(0x3AA55D), new Color(0x8E5CC4));
  static final Color FAILED = new Color(0xD03030);
  private static final Color GRID = new Color(0xE4E4E4);

  private Charts() {}

  static Graphics2D prepare(Graphics graphics, JComponent c) {
    Graphics2D g = (Graphics2D) graphics.create();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(c.getBackground());
    g.fillRect(0, 0, c.getWidth(), c.getHeight());
    g.setFont(c.getFont() == null ? new Font(Font.SANS_SERIF, Font.PLAIN, 11) : c.getFont().deriveFont(11f));
    return g;
  }

  static void title(Graphics2D g, String text, int x, int baseline) {
    Font f = g.getFont();
    g.setFont(f.deriveFont(Font.BOLD));
    g.setColor(Color.BLACK);
    g.drawString(text, x, baseline);
    g.setFont(f);
  }

  /** Draws the legend from (x, y), wrapping before {@code maxX}; returns the y below it. */
  static int legend(Graphics2D g, List<String> names, List<Color> colours, int x, int y, int maxX) {
    FontMetrics fm = g.getFontMetrics();
    int cx = x;
    for (int i = 0; i < names.size(); i++) {
      int itemW = 14 + fm.stringWidth(names.get(i));
      if (cx > x && cx + itemW > maxX) {
        cx = x;
        y += fm.getHeight();
      }
      g.setColor(colours.get(i));
      g.fillRect(cx, y + 2, 10, 10);
      g.setColor(Color.DARK_GRAY);
      g.drawString(names.get(i), cx + 14, y + fm.getAscent());
      cx += itemW + 10;
    }
    return y + fm.getHeight();
  }

  static void empty(Graphics2D g, String text, int left, int top, int right, int bottom) {
    g.setColor(Color.GRAY);
    FontMetrics fm = g.getFontMetrics();
    g.drawString(text, (left + right - fm.stringWidth(text)) / 2, (top + bottom) / 2);
    g.dispose();
  }

  /** Horizontal grid lines at quarters of {@code max}, labelled on the left. */
  static void yAxis(Graphics2D g, long max, int left, int top, int right, int bottom) {
    FontMetrics fm = g.getFontMetrics();
    for (int q = 0; q <= 4; q++) {
      int y = bottom - (bottom - top) * q / 4;
      g.setColor(q == 0 ? Color.GRAY : GRID);
      g.drawLine(left, y, right, y);
      String label = String.format(Locale.ROOT, "%d", max * q / 4);
      g.setColor(Color.DARK_GRAY);
      g.drawString(label, left - 4 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
    }
  }

  /** The smallest 1, 2 or 5 times a power of ten that is at least {@code v}. */
  static long niceCeiling(long v) {
    long p = 1;
    while (true) {
      for (long m : new long[] {1, 2, 5}) {
        if (m * p >= v) {
          return m * p;
        }
      }
      p *= 10;
    }
  }
}

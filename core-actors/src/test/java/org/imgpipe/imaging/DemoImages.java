package org.imgpipe.imaging;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;

/**
 * Demo-batch-like pictures for resize tests and timings: a vertical colour gradient, a yellow box
 * outline, a cyan ellipse and two lines of small white text, laid out on a 1920x1080 grid scaled to the
 * image (the same drawing the client's synthetic batch makes, redone here since core-actors cannot
 * depend on the client module).
 */
final class DemoImages {

  private DemoImages() {}

  static Raster demo(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      int r = (int) (255.0 * y / h);
      int b = (int) (255.0 * (1 - (double) y / h));
      java.util.Arrays.fill(row, (r << 16) | (128 << 8) | b);
      img.setRGB(0, y, w, 1, row, 0, w);
    }
    double sx = w / 1920.0;
    double sy = h / 1080.0;
    Graphics2D g = img.createGraphics();
    try {
      int line = Math.max(5, (int) (15 * Math.min(sx, sy)));
      int x0 = (int) (400 * sx);
      int y0 = (int) (300 * sy);
      int x1 = (int) (1500 * sx);
      int y1 = (int) (800 * sy);
      g.setColor(Color.YELLOW);
      g.fillRect(x0, y0, x1 - x0 + 1, line);
      g.fillRect(x0, y1 - line + 1, x1 - x0 + 1, line);
      g.fillRect(x0, y0, line, y1 - y0 + 1);
      g.fillRect(x1 - line + 1, y0, line, y1 - y0 + 1);
      g.setColor(Color.CYAN);
      g.fill(new Ellipse2D.Double((int) (600 * sx), (int) (400 * sy),
          (int) (1300 * sx) - (int) (600 * sx) + 1, (int) (700 * sy) - (int) (400 * sy) + 1));
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      int ascent = g.getFontMetrics().getAscent();
      g.drawString("SAMPLE IMAGE", w / 2 - 100, h / 2 - 30 + ascent);
      g.drawString("For XML-RPC Processing", w / 2 - 120, h / 2 + 30 + ascent);
    } finally {
      g.dispose();
    }
    int[] px = new int[w * h];
    img.getRGB(0, 0, w, h, px, 0, w);
    return new Raster(px, w, h, false);
  }
}

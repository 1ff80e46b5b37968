package org.imgpipe.imaging;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Test images for the kernel oracles and A/B timings: the demo batch's picture (drawn the way the
 * client's SyntheticBatch draws it: vertical gradient, yellow frame, cyan ellipse, white text), pure
 * noise, and translucent noise.
 */
final class DemoImages {

  private DemoImages() {}

  /** The demo picture at any size, as a BufferedImage (for ImageIO). */
  static BufferedImage demo(int w, int h) {
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
      g.setColor(new Color(255, 255, 0));
      g.fillRect(x0, y0, x1 - x0 + 1, line);
      g.fillRect(x0, y1 - line + 1, x1 - x0 + 1, line);
      g.fillRect(x0, y0, line, y1 - y0 + 1);
      g.fillRect(x1 - line + 1, y0, line, y1 - y0 + 1);
      g.setColor(new Color(0, 255, 255));
      int ex0 = (int) (600 * sx);
      int ey0 = (int) (400 * sy);
      int ex1 = (int) (1300 * sx);
      int ey1 = (int) (700 * sy);
      g.fill(new Ellipse2D.Double(ex0, ey0, ex1 - ex0 + 1, ey1 - ey0 + 1));
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      int ascent = g.getFontMetrics().getAscent();
      g.drawString("SAMPLE IMAGE", w / 2 - 100, h / 2 - 30 + ascent);
      g.drawString("For XML-RPC Processing", w / 2 - 120, h / 2 + 30 + ascent);
    } finally {
      g.dispose();
    }
    return img;
  }

  /** The demo picture as a raster. */
  static Raster demoRaster(int w, int h) {
    return Raster.fromBufferedImage(demo(w, h));
  }

  /** Uniform noise in every channel; alpha noise too when {@code alpha}. */
  static Raster noise(int w, int h, long seed, boolean alpha) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] px = new int[w * h];
    for (int i = 0; i < px.length; i++) {
      int p = rnd.nextInt();
      px[i] = alpha ? p : 0xFF000000 | p;
    }
    return new Raster(px, w, h, alpha);
  }
}

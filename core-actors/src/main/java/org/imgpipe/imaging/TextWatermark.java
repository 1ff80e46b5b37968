package org.imgpipe.imaging;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Draws text in DejaVu Sans at {@code fontSize} pixels, with alpha trunc(255 * opacity) (opacity
 * clamped to 0..1, times the colour's own alpha), placed so that its ink box is 20 px from the
 * named edges (or centred). Text running off the image is clipped.
 */
public final class TextWatermark implements ImageOperation {

  /** Largest font size accepted; bigger text would not fit any allowed image anyway. */
  public static final int MAX_FONT_SIZE = 2000;

  /** Above this many ink pixels the ink box is taken from the outline instead of the rendered pixels. */
  private static final long EXACT_INK_PIXELS = 4_000_000L;

  private final String text;
  private final Position position;
  private final int fontSize;
  private final int argb;

  public TextWatermark(String text, Position position, int fontSize, String color, double opacity)
      throws ImagingException {
    if (position == null) {
      throw new ImagingException("watermark position is missing");
    }
    if (fontSize < 1 || fontSize > MAX_FONT_SIZE) {
      throw new ImagingException("font_size must be between 1 and " + MAX_FONT_SIZE + ", was " + fontSize);
    }
    if (Double.isNaN(opacity)) {
      throw new ImagingException("opacity must be a number between 0 and 1");
    }
    int c = Colors.parse(color);
    int alpha = (int) (255 * Math.max(0.0, Math.min(1.0, opacity)));
    alpha = alpha * (c >>> 24) / 255;
    this.text = text == null ? "" : text;
    this.position = position;
    this.fontSize = fontSize;
    this.argb = (alpha << 24) | (c & 0xFFFFFF);
  }

  /** The ARGB the text is drawn with: the colour with the effective alpha. */
  public int inkColor() {
    return argb;
  }

  @Override
  public Raster apply(Raster source) throws ImagingException {
    int[] out = source.argb().clone();
    Raster result = new Raster(out, source.width(), source.height(), source.hasAlpha());
    if ((argb >>> 24) == 0 || text.isBlank()) {
      return result;
    }
    Font font = WatermarkFont.at(fontSize);
    FontRenderContext frc = new FontRenderContext(null, true, true);
    GlyphVector glyphs = font.createGlyphVector(frc, text);
    Rectangle outline = glyphs.getPixelBounds(frc, 0, 0);
    if (outline.isEmpty()) {
      return result;
    }
    Ink ink = (long) (outline.width + 4) * (outline.height + 4) <= EXACT_INK_PIXELS
        ? renderExact(glyphs, outline)
        : null;
    int inkW = ink != null ? ink.w : outline.width;
    int inkH = ink != null ? ink.h : outline.height;
    if (inkW == 0 || inkH == 0) {
      return result;
    }
    int[] xy = position.place(source.width(), source.height(), inkW, inkH);
    int x0 = Math.max(0, xy[0]);
    int y0 = Math.max(0, xy[1]);
    int x1 = Math.min(source.width(), xy[0] + inkW);
    int y1 = Math.min(source.height(), xy[1] + inkH);
    if (x1 <= x0 || y1 <= y0) {
      return result;
    }
    int cw = x1 - x0;
    int ch = y1 - y0;
    int[] overlay;
    if (ink != null) {
      overlay = new int[cw * ch];
      int sx = x0 - xy[0];
      int sy = y0 - xy[1];
      for (int y = 0; y < ch; y++) {
        System.arraycopy(ink.px, (sy + y) * ink.w + sx, overlay, y * cw, cw);
      }
    } else {
      // Draw only the visible part: shift the outline so the clipped box starts at (0, 0).
      overlay = draw(glyphs, cw, ch, xy[0] - outline.x - x0, xy[1] - outline.y - y0);
    }
    Composite.over(out, source.width(), overlay, cw, ch, x0, y0);
    return result;
  }

  private record Ink(int[] px, int w, int h) {}

  /** Renders the text with padding and crops it to the pixels that received ink. */
  private Ink renderExact(GlyphVector glyphs, Rectangle outline) {
    int pad = 2;
    int w = outline.width + 2 * pad;
    int h = outline.height + 2 * pad;
    int[] px = draw(glyphs, w, h, pad - outline.x, pad - outline.y);
    int minX = w;
    int minY = h;
    int maxX = -1;
    int maxY = -1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if ((px[y * w + x] >>> 24) != 0) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    if (maxX < 0) {
      return new Ink(new int[0], 0, 0);
    }
    int iw = maxX - minX + 1;
    int ih = maxY - minY + 1;
    int[] crop = new int[iw * ih];
    for (int y = 0; y < ih; y++) {
      System.arraycopy(px, (minY + y) * w + minX, crop, y * iw, iw);
    }
    return new Ink(crop, iw, ih);
  }

  private int[] draw(GlyphVector glyphs, int w, int h, float originX, float originY) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setColor(new Color(argb, true));
      g.drawGlyphVector(glyphs, originX, originY);
    } finally {
      g.dispose();
    }
    return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
  }
}

package org.imgpipe.imaging;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The watermark typeface, DejaVu Sans, loaded from the classpath (jasperreports-fonts) so text looks
 * the same on every machine, with or without system fonts.
 */
final class WatermarkFont {

  static final String RESOURCE = "/net/sf/jasperreports/fonts/dejavu/DejaVuSans.ttf";

  private static volatile Font base;

  private WatermarkFont() {}

  static Font base() throws ImagingException {
    Font f = base;
    if (f == null) {
      synchronized (WatermarkFont.class) {
        f = base;
        if (f == null) {
          try (InputStream in = WatermarkFont.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
              throw new ImagingException("the watermark font is not installed");
            }
            f = Font.createFont(Font.TRUETYPE_FONT, in);
          } catch (IOException | FontFormatException e) {
            throw new ImagingException("the watermark font cannot be loaded", e);
          }
          base = f;
        }
      }
    }
    return f;
  }

  /** The font at a pixel size (Java2D's point size at identity transform is pixels). */
  static Font at(int pixelSize) throws ImagingException {
    return base().deriveFont((float) pixelSize);
  }
}

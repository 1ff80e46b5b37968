package org.imgpipe.imaging;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.WritableRaster;

/** Conversion of any BufferedImage layout to packed ARGB, with fast paths for the common ones. */
final class AwtPixels {

  private AwtPixels() {}

  /**
   * A TYPE_INT_ARGB (if the raster has alpha) or TYPE_INT_RGB image over the raster's own pixel array,
   * not a copy: for encoders, which only read it. It must not be written to.
   */
  static BufferedImage view(Raster r) {
    int type = r.hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    ColorModel cm = new BufferedImage(1, 1, type).getColorModel();
    int[] masks = r.hasAlpha() ? new int[] {0xFF0000, 0xFF00, 0xFF, 0xFF000000} : new int[] {0xFF0000, 0xFF00, 0xFF};
    WritableRaster wr = java.awt.image.Raster.createPackedRaster(new DataBufferInt(r.argb(), r.argb().length),
        r.width(), r.height(), r.width(), masks, null);
    return new BufferedImage(cm, wr, false, null);
  }

  /**
   * The pixels of a TYPE_INT_RGB image that nobody else holds (one a decoder has just made), taken
   * over: alpha set in place, no copy. Any other layout is converted by {@link #toRaster}.
   */
  static Raster adoptIntRgb(BufferedImage img) {
    WritableRaster wr = img.getRaster();
    int n = img.getWidth() * img.getHeight();
    if (img.getType() != BufferedImage.TYPE_INT_RGB || wr.getParent() != null || wr.getSampleModelTranslateX() != 0
        || wr.getSampleModelTranslateY() != 0 || ((DataBufferInt) wr.getDataBuffer()).getData().length != n) {
      return toRaster(img);
    }
    int[] d = ((DataBufferInt) wr.getDataBuffer()).getData();
    for (int i = 0; i < n; i++) {
      d[i] |= 0xFF000000;
    }
    return new Raster(d, img.getWidth(), img.getHeight(), false);
  }

  static Raster toRaster(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int n = w * h;
    ColorModel cm = img.getColorModel();
    WritableRaster wr = img.getRaster();
    boolean plain = wr.getParent() == null && wr.getSampleModelTranslateX() == 0 && wr.getSampleModelTranslateY() == 0;
    int[] out = new int[n];
    if (plain) {
      switch (img.getType()) {
        case BufferedImage.TYPE_INT_ARGB: {
          int[] d = ((DataBufferInt) wr.getDataBuffer()).getData();
          if (d.length == n) {
            System.arraycopy(d, 0, out, 0, n);
            return new Raster(out, w, h, true);
          }
          break;
        }
        case BufferedImage.TYPE_INT_RGB: {
          int[] d = ((DataBufferInt) wr.getDataBuffer()).getData();
          if (d.length == n) {
            for (int i = 0; i < n; i++) {
              out[i] = d[i] | 0xFF000000;
            }
            return new Raster(out, w, h, false);
          }
          break;
        }
        case BufferedImage.TYPE_3BYTE_BGR: {
          byte[] d = ((DataBufferByte) wr.getDataBuffer()).getData();
          if (d.length == 3 * n) {
            for (int i = 0, j = 0; i < n; i++, j += 3) {
              out[i] = 0xFF000000 | ((d[j + 2] & 0xFF) << 16) | ((d[j + 1] & 0xFF) << 8) | (d[j] & 0xFF);
            }
            return new Raster(out, w, h, false);
          }
          break;
        }
        case BufferedImage.TYPE_4BYTE_ABGR: {
          byte[] d = ((DataBufferByte) wr.getDataBuffer()).getData();
          if (d.length == 4 * n) {
            for (int i = 0, j = 0; i < n; i++, j += 4) {
              out[i] = ((d[j] & 0xFF) << 24) | ((d[j + 3] & 0xFF) << 16) | ((d[j + 2] & 0xFF) << 8) | (d[j + 1] & 0xFF);
            }
            return new Raster(out, w, h, true);
          }
          break;
        }
        default:
          break;
      }
    }
    if (cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      // Read grey samples directly: getRGB would run them through a linear-to-sRGB conversion.
      boolean alpha = cm.hasAlpha();
      int max0 = (1 << cm.getComponentSize(0)) - 1;
      int maxA = alpha ? (1 << cm.getComponentSize(1)) - 1 : 1;
      int[] row = new int[w * wr.getNumBands()];
      int bands = wr.getNumBands();
      for (int y = 0; y < h; y++) {
        wr.getPixels(0, y, w, 1, row);
        for (int x = 0; x < w; x++) {
          int v = scale(row[x * bands], max0);
          int a = alpha ? scale(row[x * bands + 1], maxA) : 0xFF;
          out[y * w + x] = (a << 24) | (v << 16) | (v << 8) | v;
        }
      }
      return new Raster(out, w, h, alpha);
    }
    img.getRGB(0, 0, w, h, out, 0, w);
    return new Raster(out, w, h, cm.hasAlpha());
  }

  private static int scale(int v, int max) {
    if (max == 255) {
      return v & 0xFF;
    }
    return (int) ((v * 255L + max / 2) / max);
  }
}

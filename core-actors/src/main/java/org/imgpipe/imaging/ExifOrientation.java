package org.imgpipe.imaging;

/** Finds the EXIF orientation tag in a JPEG and turns a raster upright accordingly. */
final class ExifOrientation {

  private ExifOrientation() {}

  /** The orientation 1..8 from the first APP1 Exif segment, or 1 when there is none. */
  static int read(byte[] b) {
    try {
      int i = 2;
      while (i + 4 <= b.length && (b[i] & 0xFF) == 0xFF) {
        int marker = b[i + 1] & 0xFF;
        if (marker == 0xDA || marker == 0xD9) {
          return 1;
        }
        int len = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
        if (marker == 0xE1 && len > 14 && b[i + 4] == 'E' && b[i + 5] == 'x' && b[i + 6] == 'i'
            && b[i + 7] == 'f' && b[i + 8] == 0 && b[i + 9] == 0) {
          return fromTiff(b, i + 10, i + 2 + len);
        }
        i += 2 + len;
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      return 1;
    }
    return 1;
  }

  /**
   * The orientation tag of IFD0 in the TIFF structure at {@code t}; every offset from the data is checked
   * against the segment's end in long arithmetic before it is used.
   */
  private static int fromTiff(byte[] b, int t, int end) {
    long limit = Math.min(end, b.length);
    if (t + 8L > limit) {
      return 1;
    }
    boolean little = b[t] == 'I';
    long p = t + u32(b, t + 4, little);
    if (p + 2 > limit) {
      return 1;
    }
    int count = u16(b, (int) p, little);
    for (int k = 0; k < count; k++) {
      long e = p + 2 + 12L * k;
      if (e + 12 > limit) {
        break;
      }
      if (u16(b, (int) e, little) == 0x0112) {
        int v = u16(b, (int) e + 8, little);
        return v >= 1 && v <= 8 ? v : 1;
      }
    }
    return 1;
  }

  private static int u16(byte[] b, int i, boolean little) {
    int x = b[i] & 0xFF;
    int y = b[i + 1] & 0xFF;
    return little ? x | (y << 8) : (x << 8) | y;
  }

  private static long u32(byte[] b, int i, boolean little) {
    long lo = u16(b, little ? i : i + 2, little);
    long hi = u16(b, little ? i + 2 : i, little);
    return (hi << 16) | lo;
  }

  /** The raster turned upright for an EXIF orientation. */
  static Raster apply(Raster r, int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return r;
    }
    int w = r.width();
    int h = r.height();
    boolean swap = orientation >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    int[] in = r.argb();
    int[] out = new int[in.length];
    for (int y = 0; y < h; y++) {
      if ((y & 63) == 0) {
        WorkDeadline.check();
      }
      for (int x = 0; x < w; x++) {
        int nx;
        int ny;
        switch (orientation) {
          case 2 -> { nx = w - 1 - x; ny = y; }
          case 3 -> { nx = w - 1 - x; ny = h - 1 - y; }
          case 4 -> { nx = x; ny = h - 1 - y; }
          case 5 -> { nx = y; ny = x; }
          case 6 -> { nx = h - 1 - y; ny = x; }
          case 7 -> { nx = h - 1 - y; ny = w - 1 - x; }
          default -> { nx = y; ny = w - 1 - x; }
        }
        out[ny * ow + nx] = in[y * w + x];
      }
    }
    return new Raster(out, ow, oh, r.hasAlpha());
  }
}

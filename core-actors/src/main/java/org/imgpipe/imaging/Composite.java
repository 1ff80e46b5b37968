package org.imgpipe.imaging;

/** Porter-Duff "over" of a non-premultiplied ARGB overlay onto a raster's pixels. */
final class Composite {

  private Composite() {}

  /**
   * Draws {@code overlay} ({@code ow x oh}) over {@code dst} ({@code w} wide) with its top-left at
   * (x0, y0); the overlay must lie inside the destination.
   */
  static void over(int[] dst, int w, int[] overlay, int ow, int oh, int x0, int y0) {
    for (int y = 0; y < oh; y++) {
      int drow = (y0 + y) * w + x0;
      int orow = y * ow;
      for (int x = 0; x < ow; x++) {
        int s = overlay[orow + x];
        int sa = s >>> 24;
        if (sa == 0) {
          continue;
        }
        int i = drow + x;
        dst[i] = pixel(s, dst[i]);
      }
    }
  }

  static int pixel(int s, int d) {
    int sa = s >>> 24;
    if (sa == 255) {
      return s;
    }
    int da = d >>> 24;
    int inv = 255 - sa;
    if (da == 255) {
      int r = div255(((s >> 16) & 0xFF) * sa + ((d >> 16) & 0xFF) * inv);
      int g = div255(((s >> 8) & 0xFF) * sa + ((d >> 8) & 0xFF) * inv);
      int b = div255((s & 0xFF) * sa + (d & 0xFF) * inv);
      return 0xFF000000 | (r << 16) | (g << 8) | b;
    }
    // General case: out_a = sa + da(1 - sa); colour weighted by each side's share.
    int dw = da * inv; // scaled by 255
    int outA255 = sa * 255 + dw;
    if (outA255 == 0) {
      return 0;
    }
    int half = outA255 >> 1;
    int r = (((s >> 16) & 0xFF) * sa * 255 + ((d >> 16) & 0xFF) * dw + half) / outA255;
    int g = (((s >> 8) & 0xFF) * sa * 255 + ((d >> 8) & 0xFF) * dw + half) / outA255;
    int b = ((s & 0xFF) * sa * 255 + (d & 0xFF) * dw + half) / outA255;
    int a = div255(outA255);
    return (a << 24) | (r << 16) | (g << 8) | b;
  }

  /** round(v / 255) for v in 0..65025. */
  static int div255(int v) {
    int t = v + 128;
    return (t + (t >> 8)) >> 8;
  }
}

package org.imgpipe.imaging;

/**
 * Pillow's Sharpness enhancer: extrapolates at factor 1 + 2i away from a SMOOTH-filtered copy (3x3,
 * 5 at the centre and 1 around, divided by 13, rounded). Border pixels stay unchanged, as in Pillow.
 */
final class Sharpen implements ImageOperation {

  /** floor(v / 26) == (v * DIV26) >> 20 for every v below 2^16 (checked in the tests). */
  static final int DIV26 = 40330;

  private final double intensity;

  Sharpen(double intensity) {
    this.intensity = intensity;
  }

  /** round(numerator / 13) for numerator = 3x3 sum + 4 * centre (at most 13 * 255). */
  static int smooth(int numerator) {
    return ((numerator * 2 + 13) * DIV26) >> 20;
  }

  @Override
  public Raster apply(Raster src) {
    int w = src.width();
    int h = src.height();
    int[] in = src.argb();
    int[] out = in.clone();
    if (w < 3 || h < 3) {
      return new Raster(out, w, h, src.hasAlpha());
    }
    float f = (float) (1.0 + 2.0 * intensity);
    // enhance() for every (smoothed, centre) pair: one table load per channel instead of float math.
    byte[] table = new byte[1 << 16];
    for (int d = 0; d < 256; d++) {
      for (int v = 0; v < 256; v++) {
        table[(d << 8) | v] = (byte) enhance(d, v, f);
      }
    }
    // Rows 1 .. h-2 split over the free cores; each part has its own 3x3 window.
    Rows.split(h - 2, 64, (from, to) -> {
      Box3x3 box = new Box3x3(in, w);
      for (int y = from + 1; y < to + 1; y++) {
        if ((y & 63) == 0) {
          WorkDeadline.check();
        }
        box.row(y);
        int row = y * w;
        for (int x = 1; x < w - 1; x++) {
          long c = box.centre(x);
          long s = box.sum(x) + (c << 2);
          int r = table[(smooth(Box3x3.red(s)) << 8) | Box3x3.red(c)] & 0xFF;
          int g = table[(smooth(Box3x3.green(s)) << 8) | Box3x3.green(c)] & 0xFF;
          int b = table[(smooth(Box3x3.blue(s)) << 8) | Box3x3.blue(c)] & 0xFF;
          out[row + x] = (in[row + x] & 0xFF000000) | (r << 16) | (g << 8) | b;
        }
      }
    });
    return new Raster(out, w, h, src.hasAlpha());
  }

  /** Pillow's blend(degenerate, value, f): clipped to 0..255, truncated (same as Blend.channel). */
  private static int enhance(int degenerate, int value, float f) {
    float t = degenerate + f * (value - degenerate);
    return (int) Math.max(0f, Math.min(255f, t));
  }
}

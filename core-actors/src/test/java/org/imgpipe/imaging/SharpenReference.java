package org.imgpipe.imaging;

/**
 * Test oracle: the Sharpen code as it was before the issue 8 rewrite.
 *
 * Pillow's Sharpness enhancer: extrapolates at factor 1 + 2i away from a SMOOTH-filtered copy (3x3,
 * 5 at the centre and 1 around, divided by 13, rounded). Border pixels stay unchanged, as in Pillow.
 */
final class SharpenReference implements ImageOperation {

  /** floor(v / 26) == (v * DIV26) >> 20 for every v below 2^16 (checked in the tests). */
  static final int DIV26 = 40330;

  private final double intensity;

  SharpenReference(double intensity) {
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
    Box3x3Reference box = new Box3x3Reference(in, w);
    for (int y = 1; y < h - 1; y++) {
      box.row(y);
      int row = y * w;
      for (int x = 1; x < w - 1; x++) {
        long c = box.centre(x);
        long s = box.sum(x) + (c << 2);
        int r = enhance(smooth(Box3x3Reference.red(s)), Box3x3Reference.red(c), f);
        int g = enhance(smooth(Box3x3Reference.green(s)), Box3x3Reference.green(c), f);
        int b = enhance(smooth(Box3x3Reference.blue(s)), Box3x3Reference.blue(c), f);
        out[row + x] = (in[row + x] & 0xFF000000) | (r << 16) | (g << 8) | b;
      }
    }
    return new Raster(out, w, h, src.hasAlpha());
  }

  /** Pillow's blend(degenerate, value, f): clipped to 0..255, truncated (same as Blend.channel). */
  private static int enhance(int degenerate, int value, float f) {
    float t = degenerate + f * (value - degenerate);
    return (int) Math.max(0f, Math.min(255f, t));
  }
}

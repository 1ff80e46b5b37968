package org.imgpipe.imaging;

/**
 * Test oracle: the EdgeDetect code as it was before the issue 8 rewrite.
 *
 * Pillow's FIND_EDGES: 8 at the centre and -1 around it, clipped; border pixels are copied as
 * Pillow does. Alpha is kept (the original filtered it to 0). Below intensity 1 a blend.
 */
final class EdgeDetectReference implements ImageOperation {

  private final double intensity;

  EdgeDetectReference(double intensity) {
    this.intensity = intensity;
  }

  @Override
  public Raster apply(Raster src) {
    int w = src.width();
    int h = src.height();
    int[] in = src.argb();
    int[] out = in.clone();
    if (w >= 3 && h >= 3) {
      Box3x3Reference box = new Box3x3Reference(in, w);
      for (int y = 1; y < h - 1; y++) {
        box.row(y);
        int row = y * w;
        for (int x = 1; x < w - 1; x++) {
          long c = box.centre(x);
          long s = box.sum(x);
          // 8c - (sum of the 8 neighbours) = 9c - (3x3 sum)
          int r = clip(9 * Box3x3Reference.red(c) - Box3x3Reference.red(s));
          int g = clip(9 * Box3x3Reference.green(c) - Box3x3Reference.green(s));
          int b = clip(9 * Box3x3Reference.blue(c) - Box3x3Reference.blue(s));
          out[row + x] = (in[row + x] & 0xFF000000) | (r << 16) | (g << 8) | b;
        }
      }
    }
    if (intensity < 1.0) {
      out = Blend.images(in, out, (float) intensity);
    }
    return new Raster(out, w, h, src.hasAlpha());
  }

  private static int clip(int v) {
    return v < 0 ? 0 : (v > 255 ? 255 : v);
  }
}

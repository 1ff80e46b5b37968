package org.imgpipe.imaging;

/**
 * Pillow's FIND_EDGES: 8 at the centre and -1 around it, clipped; border pixels are copied as
 * Pillow does. Alpha is kept (the original filtered it to 0). Below intensity 1 a blend.
 */
final class EdgeDetect implements ImageOperation {

  private final double intensity;

  EdgeDetect(double intensity) {
    this.intensity = intensity;
  }

  @Override
  public Raster apply(Raster src) {
    int w = src.width();
    int h = src.height();
    int[] in = src.argb();
    int[] out = in.clone();
    if (w >= 3 && h >= 3) {
      int[] dst = out;
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
            long s = box.sum(x);
            // 8c - (sum of the 8 neighbours) = 9c - (3x3 sum)
            int r = clip(9 * Box3x3.red(c) - Box3x3.red(s));
            int g = clip(9 * Box3x3.green(c) - Box3x3.green(s));
            int b = clip(9 * Box3x3.blue(c) - Box3x3.blue(s));
            dst[row + x] = (in[row + x] & 0xFF000000) | (r << 16) | (g << 8) | b;
          }
        }
      });
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

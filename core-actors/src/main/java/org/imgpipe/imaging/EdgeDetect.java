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
    for (int y = 1; y < h - 1; y++) {
      int row = y * w;
      for (int x = 1; x < w - 1; x++) {
        int i = row + x;
        int c = in[i];
        int n0 = in[i - w - 1];
        int n1 = in[i - w];
        int n2 = in[i - w + 1];
        int n3 = in[i - 1];
        int n4 = in[i + 1];
        int n5 = in[i + w - 1];
        int n6 = in[i + w];
        int n7 = in[i + w + 1];
        int r = 8 * ((c >> 16) & 0xFF) - (((n0 >> 16) & 0xFF) + ((n1 >> 16) & 0xFF) + ((n2 >> 16) & 0xFF)
            + ((n3 >> 16) & 0xFF) + ((n4 >> 16) & 0xFF) + ((n5 >> 16) & 0xFF) + ((n6 >> 16) & 0xFF)
            + ((n7 >> 16) & 0xFF));
        int g = 8 * ((c >> 8) & 0xFF) - (((n0 >> 8) & 0xFF) + ((n1 >> 8) & 0xFF) + ((n2 >> 8) & 0xFF)
            + ((n3 >> 8) & 0xFF) + ((n4 >> 8) & 0xFF) + ((n5 >> 8) & 0xFF) + ((n6 >> 8) & 0xFF)
            + ((n7 >> 8) & 0xFF));
        int b = 8 * (c & 0xFF) - ((n0 & 0xFF) + (n1 & 0xFF) + (n2 & 0xFF) + (n3 & 0xFF) + (n4 & 0xFF)
            + (n5 & 0xFF) + (n6 & 0xFF) + (n7 & 0xFF));
        out[i] = (c & 0xFF000000) | (clip(r) << 16) | (clip(g) << 8) | clip(b);
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

package org.imgpipe.imaging;

/**
 * Pillow's Sharpness enhancer: extrapolates at factor 1 + 2i away from a SMOOTH-filtered copy (3x3,
 * 5 at the centre and 1 around, divided by 13, rounded). Border pixels stay unchanged, as in Pillow.
 */
final class Sharpen implements ImageOperation {

  private final double intensity;

  Sharpen(double intensity) {
    this.intensity = intensity;
  }

  @Override
  public Raster apply(Raster src) {
    int w = src.width();
    int h = src.height();
    int[] in = src.argb();
    int[] out = in.clone();
    float f = (float) (1.0 + 2.0 * intensity);
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
        int cr = (c >> 16) & 0xFF;
        int cg = (c >> 8) & 0xFF;
        int cb = c & 0xFF;
        int sr = 5 * cr + ((n0 >> 16) & 0xFF) + ((n1 >> 16) & 0xFF) + ((n2 >> 16) & 0xFF)
            + ((n3 >> 16) & 0xFF) + ((n4 >> 16) & 0xFF) + ((n5 >> 16) & 0xFF) + ((n6 >> 16) & 0xFF)
            + ((n7 >> 16) & 0xFF);
        int sg = 5 * cg + ((n0 >> 8) & 0xFF) + ((n1 >> 8) & 0xFF) + ((n2 >> 8) & 0xFF)
            + ((n3 >> 8) & 0xFF) + ((n4 >> 8) & 0xFF) + ((n5 >> 8) & 0xFF) + ((n6 >> 8) & 0xFF)
            + ((n7 >> 8) & 0xFF);
        int sb = 5 * cb + (n0 & 0xFF) + (n1 & 0xFF) + (n2 & 0xFF) + (n3 & 0xFF) + (n4 & 0xFF)
            + (n5 & 0xFF) + (n6 & 0xFF) + (n7 & 0xFF);
        int r = Blend.channel((sr * 2 + 13) / 26, cr, f);
        int g = Blend.channel((sg * 2 + 13) / 26, cg, f);
        int b = Blend.channel((sb * 2 + 13) / 26, cb, f);
        out[i] = (c & 0xFF000000) | (r << 16) | (g << 8) | b;
      }
    }
    return new Raster(out, w, h, src.hasAlpha());
  }
}

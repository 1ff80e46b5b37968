package org.imgpipe.imaging;

/** The original's sepia matrix, clipped then truncated; below intensity 1 a blend with the original. */
final class Sepia implements ImageOperation {

  private final double intensity;

  Sepia(double intensity) {
    this.intensity = intensity;
  }

  static int sepia(int p) {
    int r = (p >> 16) & 0xFF;
    int g = (p >> 8) & 0xFF;
    int b = p & 0xFF;
    int nr = clip(0.393 * r + 0.769 * g + 0.189 * b);
    int ng = clip(0.349 * r + 0.686 * g + 0.168 * b);
    int nb = clip(0.272 * r + 0.534 * g + 0.131 * b);
    return (p & 0xFF000000) | (nr << 16) | (ng << 8) | nb;
  }

  private static int clip(double v) {
    return v >= 255.0 ? 255 : (int) v;
  }

  @Override
  public Raster apply(Raster src) {
    int[] in = src.argb();
    int[] out = new int[in.length];
    boolean blend = intensity < 1.0;
    float f = (float) intensity;
    for (int i = 0; i < in.length; i++) {
      int s = sepia(in[i]);
      out[i] = blend ? Blend.pixel(in[i], s, f) : s;
    }
    return new Raster(out, src.width(), src.height(), src.hasAlpha());
  }
}

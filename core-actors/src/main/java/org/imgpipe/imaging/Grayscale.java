package org.imgpipe.imaging;

/** Luma as three equal channels (Pillow's L rounding); below intensity 1 a blend with the original. */
final class Grayscale implements ImageOperation {

  private final double intensity;

  Grayscale(double intensity) {
    this.intensity = intensity;
  }

  @Override
  public Raster apply(Raster src) {
    int[] in = src.argb();
    int[] out = new int[in.length];
    boolean blend = intensity < 1.0;
    float f = (float) intensity;
    for (int i = 0; i < in.length; i++) {
      int p = in[i];
      int l = Blend.luma(p);
      int g = (p & 0xFF000000) | (l << 16) | (l << 8) | l;
      out[i] = blend ? Blend.pixel(p, g, f) : g;
    }
    return new Raster(out, src.width(), src.height(), src.hasAlpha());
  }
}

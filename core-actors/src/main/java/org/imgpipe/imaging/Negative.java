package org.imgpipe.imaging;

/** 255 - v on the colour channels; alpha is kept (the original inverted it too). */
final class Negative implements ImageOperation {

  private final double intensity;

  Negative(double intensity) {
    this.intensity = intensity;
  }

  @Override
  public Raster apply(Raster src) {
    int[] in = src.argb();
    int[] out = new int[in.length];
    boolean blend = intensity < 1.0;
    float f = (float) intensity;
    for (int i = 0; i < in.length; i++) {
      int n = in[i] ^ 0x00FFFFFF;
      out[i] = blend ? Blend.pixel(in[i], n, f) : n;
    }
    return new Raster(out, src.width(), src.height(), src.hasAlpha());
  }
}

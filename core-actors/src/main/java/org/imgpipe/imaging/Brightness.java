package org.imgpipe.imaging;

/** Pillow's Brightness enhancer at factor 1 + (i - 0.5) * 2 = 2i: 0.5 leaves the image unchanged. */
final class Brightness implements ImageOperation {

  private final double intensity;

  Brightness(double intensity) {
    this.intensity = intensity;
  }

  @Override
  public Raster apply(Raster src) {
    float factor = (float) (1.0 + (intensity - 0.5) * 2.0);
    int[] lut = Blend.enhanceTable(0, factor);
    return new Raster(Blend.lookup(src.argb(), lut), src.width(), src.height(), src.hasAlpha());
  }
}

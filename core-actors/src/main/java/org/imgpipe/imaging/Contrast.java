package org.imgpipe.imaging;

/** Pillow's Contrast enhancer at factor 1 + 2i around the rounded mean luma of the image. */
final class Contrast implements ImageOperation {

  private final double intensity;

  Contrast(double intensity) {
    this.intensity = intensity;
  }

  static int meanLuma(int[] px) {
    long sum = 0;
    for (int p : px) {
      sum += Blend.luma(p);
    }
    return (int) ((double) sum / px.length + 0.5);
  }

  @Override
  public Raster apply(Raster src) {
    float factor = (float) (1.0 + 2.0 * intensity);
    int[] lut = Blend.enhanceTable(meanLuma(src.argb()), factor);
    return new Raster(Blend.lookup(src.argb(), lut), src.width(), src.height(), src.hasAlpha());
  }
}

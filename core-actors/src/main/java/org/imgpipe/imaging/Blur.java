package org.imgpipe.imaging;

/** Gaussian blur with sigma = max(1, trunc(20i)); the cost does not depend on sigma. */
final class Blur implements ImageOperation {

  private final double intensity;

  Blur(double intensity) {
    this.intensity = intensity;
  }

  static int sigma(double intensity) {
    double s = Math.floor(Math.abs(20.0 * intensity)) * Math.signum(intensity);
    return (int) Math.max(1.0, Math.min(s, 1_000_000.0));
  }

  @Override
  public Raster apply(Raster src) {
    return BoxGaussian.blur(src, sigma(intensity));
  }
}

package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** BLUR is a Gaussian of sigma = 20 at intensity 1 (its cost against sigma: CpuTimeReport, docs/performance.md). */
class BlurTest {

  /**
   * Largest allowed difference between the blurred profile and the ideal Gaussian, relative to its
   * peak. Three box passes per axis (what Pillow does too) give a piecewise-quadratic kernel with
   * exactly the Gaussian's variance but a flatter top: 0.94 of the peak per axis, 0.884 in 2D. The
   * tails match within 2% of the peak.
   */
  private static final double PROFILE_TOLERANCE = 0.12;

  @Test
  void singleBrightPixelSpreadsAsAGaussianOfSigma20() {
    int size = 241;
    int c = 120;
    int[] plane = new int[size * size];
    plane[c * size + c] = 1_000_000;
    BoxGaussian.blurPlane(plane, size, size, Blur.sigma(1.0));
    double sigma = 20.0;
    double peak = 1_000_000 / (2 * Math.PI * sigma * sigma);
    double total = 0;
    double second = 0;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double v = plane[y * size + x];
        total += v;
        second += v * (x - c) * (x - c);
      }
    }
    assertEquals(1_000_000, total, 1_000, "the blur keeps the total brightness");
    assertEquals(sigma, Math.sqrt(second / total), 0.2, "the spread (standard deviation) is sigma");
    assertEquals(0.884, plane[c * size + c] / peak, 0.01, "the three-box peak is 0.884 of the ideal");
    for (int d = 0; d <= 60; d += 5) {
      double ideal = peak * Math.exp(-(d * d) / (2 * sigma * sigma));
      double got = plane[c * size + c + d];
      double tolerance = d >= 20 ? 0.02 : PROFILE_TOLERANCE;
      assertEquals(ideal, got, tolerance * peak, "profile at distance " + d);
      double diagonal = plane[(c + d) * size + c];
      assertEquals(got, diagonal, 0.005 * peak, "the profile is the same along both axes");
    }
  }

  @Test
  void blurredEdgeFollowsTheGaussianIntegral() throws Exception {
    int w = 200;
    int h = 8;
    int[] px = new int[w * h];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i % w) < w / 2 ? 0xFF000000 : 0xFFFFFFFF;
    }
    Raster out = FilterType.BLUR.withIntensity(1.0).apply(new Raster(px, w, h, false));
    for (int d = -40; d <= 40; d += 10) {
      double ideal = 255 * 0.5 * (1 + erf((d + 0.5) / (20 * Math.sqrt(2))));
      int got = out.pixel(w / 2 + d, 4) & 0xFF;
      assertEquals(ideal, got, 4, "edge profile at " + d);
    }
  }

  /** Abramowitz and Stegun 7.1.26, error below 1.5e-7. */
  private static double erf(double x) {
    double t = 1 / (1 + 0.3275911 * Math.abs(x));
    double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
        * t * Math.exp(-x * x);
    return x >= 0 ? y : -y;
  }
}

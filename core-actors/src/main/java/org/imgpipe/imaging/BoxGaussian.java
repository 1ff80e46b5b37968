package org.imgpipe.imaging;

/**
 * Gaussian blur as three box blurs per axis (the extended box blur of Gwosdek et al., as Pillow
 * uses): each box has an integer half-width and a fractional weight for its two edge pixels, so the
 * three passes match the variance sigma^2 exactly. A running sum makes each pass cost O(1) per pixel
 * whatever sigma is. Edges repeat the border pixel. Channels are kept in float between passes.
 */
final class BoxGaussian {

  static final int PASSES = 3;

  private BoxGaussian() {}

  /** The extended box radius (integer part plus fraction) of one of {@code passes} boxes. */
  static double boxRadius(double sigma, int passes) {
    double sigma2 = sigma * sigma / passes;
    double bigL = Math.sqrt(12.0 * sigma2 + 1.0);
    double l = Math.floor((bigL - 1.0) / 2.0);
    double a = (2 * l + 1) * (l * (l + 1) - 3 * sigma2);
    a /= 6 * (sigma2 - (l + 1) * (l + 1));
    return l + a;
  }

  static Raster blur(Raster src, double sigma) {
    int w = src.width();
    int h = src.height();
    int n = w * h;
    int channels = src.hasAlpha() ? 4 : 3;
    int[] in = src.argb();
    float[][] planes = new float[channels][n];
    for (int i = 0; i < n; i++) {
      int p = in[i];
      planes[0][i] = (p >> 16) & 0xFF;
      planes[1][i] = (p >> 8) & 0xFF;
      planes[2][i] = p & 0xFF;
      if (channels == 4) {
        planes[3][i] = p >>> 24;
      }
    }
    float[] tmp = new float[n];
    for (int c = 0; c < channels; c++) {
      blurPlane(planes[c], tmp, w, h, sigma);
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int a = channels == 4 ? to8(planes[3][i]) : 0xFF;
      out[i] = (a << 24) | (to8(planes[0][i]) << 16) | (to8(planes[1][i]) << 8) | to8(planes[2][i]);
    }
    return new Raster(out, w, h, src.hasAlpha());
  }

  private static int to8(float v) {
    int r = (int) (v + 0.5f);
    return r < 0 ? 0 : (r > 255 ? 255 : r);
  }

  /** Blurs one plane in place ({@code tmp} is scratch of the same size). */
  static void blurPlane(float[] plane, float[] tmp, int w, int h, double sigma) {
    double r = boxRadius(sigma, PASSES);
    int l = (int) r;
    float edge = (float) (r - l);
    float norm = (float) (1.0 / (2 * r + 1));
    float[] a = plane;
    float[] b = tmp;
    for (int pass = 0; pass < PASSES; pass++) {
      for (int y = 0; y < h; y++) {
        boxLine(a, b, y * w, w, l, edge, norm);
      }
      float[] t = a;
      a = b;
      b = t;
    }
    double[] sums = new double[w];
    for (int pass = 0; pass < PASSES; pass++) {
      boxColumns(a, b, w, h, l, edge, norm, sums);
      float[] t = a;
      a = b;
      b = t;
    }
    if (a != plane) {
      System.arraycopy(a, 0, plane, 0, plane.length);
    }
  }

  private static int clamp(int i, int n) {
    return i < 0 ? 0 : (i >= n ? n - 1 : i);
  }

  /** One box pass along a row of {@code n} values starting at {@code off}. */
  private static void boxLine(float[] in, float[] out, int off, int n, int l, float edge, float norm) {
    double sum = initialSum(in, off, 1, n, l);
    for (int x = 0; x < n; x++) {
      float e = in[off + clamp(x - l - 1, n)] + in[off + clamp(x + l + 1, n)];
      out[off + x] = (float) ((sum + e * edge) * norm);
      sum += in[off + clamp(x + l + 1, n)] - in[off + clamp(x - l, n)];
    }
  }

  /** Sum of in[clamp(k)] for k = -l..l, in O(min(l, n)). */
  private static double initialSum(float[] in, int off, int stride, int n, int l) {
    double sum = (double) (l + 1) * in[off];
    int inside = Math.min(l, n - 1);
    for (int k = 1; k <= inside; k++) {
      sum += in[off + k * stride];
    }
    if (l > n - 1) {
      sum += (double) (l - (n - 1)) * in[off + (n - 1) * stride];
    }
    return sum;
  }

  /** One box pass down every column at once, walking rows so memory is read in order. */
  private static void boxColumns(float[] in, float[] out, int w, int h, int l, float edge, float norm, double[] sums) {
    for (int x = 0; x < w; x++) {
      sums[x] = initialSum(in, x, w, h, l);
    }
    for (int y = 0; y < h; y++) {
      int before = clamp(y - l - 1, h) * w;
      int after = clamp(y + l + 1, h) * w;
      int leaving = clamp(y - l, h) * w;
      int row = y * w;
      for (int x = 0; x < w; x++) {
        float e = in[before + x] + in[after + x];
        out[row + x] = (float) ((sums[x] + e * edge) * norm);
        sums[x] += in[after + x] - in[leaving + x];
      }
    }
  }
}

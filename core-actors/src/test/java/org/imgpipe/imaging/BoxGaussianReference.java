package org.imgpipe.imaging;

/**
 * Test oracle: the BoxGaussian code as it was before the issue 8 rewrite, kept to check that the
 * fast code gives the same pixels.
 *
 * Gaussian blur as three box blurs per axis (the extended box blur of Gwosdek et al., which Pillow
 * uses too): each box has an integer half-width and a fractional weight for its two edge pixels, so
 * the three passes have exactly the variance sigma^2. A running sum makes each pass cost O(1) per
 * pixel whatever sigma is. Edges repeat the border pixel. Channels are kept in 8.8 fixed point
 * between passes; running sums are exact integers.
 */
final class BoxGaussianReference {

  static final int PASSES = 3;

  /** Keeps 8.8 running sums inside an int: (2l + 1) * 65280 < 2^31. */
  static final double MAX_SIGMA = 15_000;

  private BoxGaussianReference() {}

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
    double s = Math.min(sigma, MAX_SIGMA);
    int w = src.width();
    int h = src.height();
    int n = w * h;
    int channels = src.hasAlpha() ? 4 : 3;
    int[] in = src.argb();
    Box box = new Box(s);
    int[][] planes = new int[channels][n];
    int pad = box.l + 1;
    int[] line = new int[w + 2 * pad];
    int[] line2 = new int[w + 2 * pad];
    // Horizontal passes row by row (the row stays in cache), writing the planes.
    for (int c = 0; c < channels; c++) {
      int shift = c == 3 ? 24 : 16 - 8 * c;
      int[] plane = planes[c];
      for (int y = 0; y < h; y++) {
        int row = y * w;
        for (int x = 0; x < w; x++) {
          line[pad + x] = ((in[row + x] >>> shift) & 0xFF) << 8;
        }
        int[] result = box.line(line, line2, w, pad);
        System.arraycopy(result, pad, plane, row, w);
      }
    }
    int[] tmp = new int[n];
    int[] sums = new int[w];
    for (int c = 0; c < channels; c++) {
      box.columns(planes[c], tmp, w, h, sums);
    }
    int[] out = new int[n];
    int[] r = planes[0];
    int[] g = planes[1];
    int[] b = planes[2];
    int[] a = channels == 4 ? planes[3] : null;
    for (int i = 0; i < n; i++) {
      int alpha = a != null ? to8(a[i]) : 0xFF;
      out[i] = (alpha << 24) | (to8(r[i]) << 16) | (to8(g[i]) << 8) | to8(b[i]);
    }
    return new Raster(out, w, h, src.hasAlpha());
  }

  private static int to8(int v) {
    int r = (v + 128) >> 8;
    return r < 0 ? 0 : (r > 255 ? 255 : r);
  }

  /**
   * Blurs one plane of non-negative values in place (three passes per axis). Values times
   * (2l + 1) must fit an int, l being about sigma.
   */
  static void blurPlane(int[] plane, int w, int h, double sigma) {
    Box box = new Box(sigma);
    int pad = box.l + 1;
    int[] line = new int[w + 2 * pad];
    int[] line2 = new int[w + 2 * pad];
    for (int y = 0; y < h; y++) {
      System.arraycopy(plane, y * w, line, pad, w);
      System.arraycopy(box.line(line, line2, w, pad), pad, plane, y * w, w);
    }
    box.columns(plane, new int[plane.length], w, h, new int[w]);
  }

  /** One box: half-width l, edge weight, and 1 / (2r + 1). */
  private static final class Box {
    final int l;
    final float edge;
    final float norm;

    Box(double sigma) {
      double r = boxRadius(sigma, PASSES);
      this.l = (int) r;
      this.edge = (float) (r - l);
      this.norm = (float) (1.0 / (2 * r + 1));
    }

    /**
     * Three passes over {@code n} values at line[pad..pad+n), the pads being scratch; returns the
     * buffer holding the result (line or other).
     */
    int[] line(int[] line, int[] other, int n, int pad) {
      int[] a = line;
      int[] b = other;
      for (int pass = 0; pass < PASSES; pass++) {
        fillPads(a, n, pad);
        int sum = 0;
        for (int k = pad - l; k <= pad + l; k++) {
          sum += a[k];
        }
        for (int o = pad, end = pad + n; o < end; o++) {
          b[o] = (int) ((sum + (float) (a[o - l - 1] + a[o + l + 1]) * edge) * norm + 0.5f);
          sum += a[o + l + 1] - a[o - l];
        }
        int[] t = a;
        a = b;
        b = t;
      }
      return a;
    }

    private static void fillPads(int[] a, int n, int pad) {
      int first = a[pad];
      int last = a[pad + n - 1];
      for (int i = 0; i < pad; i++) {
        a[i] = first;
        a[pad + n + i] = last;
      }
    }

    /** Three passes down all columns, walking rows in memory order; the result ends in {@code plane}. */
    void columns(int[] plane, int[] tmp, int w, int h, int[] sums) {
      int[] a = plane;
      int[] b = tmp;
      for (int pass = 0; pass < PASSES; pass++) {
        java.util.Arrays.fill(sums, 0);
        for (int k = -l; k <= l; k++) {
          int row = clamp(k, h) * w;
          for (int x = 0; x < w; x++) {
            sums[x] += a[row + x];
          }
        }
        for (int y = 0; y < h; y++) {
          int before = clamp(y - l - 1, h) * w;
          int after = clamp(y + l + 1, h) * w;
          int leaving = clamp(y - l, h) * w;
          int row = y * w;
          for (int x = 0; x < w; x++) {
            b[row + x] = (int) ((sums[x] + (float) (a[before + x] + a[after + x]) * edge) * norm + 0.5f);
            sums[x] += a[after + x] - a[leaving + x];
          }
        }
        int[] t = a;
        a = b;
        b = t;
      }
      if (a != plane) {
        System.arraycopy(a, 0, plane, 0, plane.length);
      }
    }
  }

  private static int clamp(int i, int n) {
    return i < 0 ? 0 : (i >= n ? n - 1 : i);
  }
}

package org.imgpipe.imaging;

/**
 * Gaussian blur as three box blurs per axis (the extended box blur of Gwosdek et al., which Pillow
 * uses too): each box has an integer half-width and a fractional weight for its two edge pixels, so
 * the three passes have exactly the variance sigma^2. A running sum makes each pass cost O(1) per
 * pixel whatever sigma is. Edges repeat the border pixel. Channels are kept in 8.8 fixed point
 * between passes; running sums are exact integers.
 */
final class BoxGaussian {

  static final int PASSES = 3;

  /** Keeps 8.8 running sums inside an int: (2l + 1) * 65280 < 2^31. */
  static final double MAX_SIGMA = 15_000;

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

  /** Rows per horizontal strip: the strip is transposed so the three passes run across its rows. */
  static final int STRIP = 64;

  /** The largest half-width for which the float path's running sums stay exact: (2l + 2) * 65281 < 2^24. */
  static final int MAX_FLOAT_L = 120;

  static Raster blur(Raster src, double sigma) {
    double s = Math.min(sigma, MAX_SIGMA);
    Box box = new Box(s);
    return box.l <= MAX_FLOAT_L ? blurFloat(src, box) : blurInt(src, box);
  }

  /**
   * The usual path. Channel values (whole numbers in 8.8 fixed point) and running sums are held
   * in floats, where they are exact, so each pass computes the very same float expression as the
   * int path, and its rounding to a whole number is done with float additions (see {@link Box#pass}):
   * the loops hold only float arithmetic on arrays indexed by x, which C2 vectorises. Planes are
   * arrays of rows; a strip of rows is transposed for the horizontal passes.
   */
  private static Raster blurFloat(Raster src, Box box) {
    int w = src.width();
    int h = src.height();
    int channels = src.hasAlpha() ? 4 : 3;
    int[] in = src.argb();
    float[][][] planes = planes(channels, h, w);
    Rows.split(h, STRIP, (from, to) -> {
      int k = Math.min(STRIP, to - from);
      float[][] t = new float[w][k * channels];
      float[][] u = new float[w][k * channels];
      float[] sums = new float[k * channels];
      int[] rowStart = new int[k];
      float[][] dst = new float[k * channels][];
      for (int y0 = from; y0 < to; y0 += k) {
        WorkDeadline.check();
        int rows = Math.min(k, to - y0);
        int cw = rows * channels;
        // Transposes: each x gets a line of the strip's rows (red, then green, blue, alpha).
        for (int j = 0; j < rows; j++) {
          rowStart[j] = (y0 + j) * w;
        }
        for (int x = 0; x < w; x++) {
          float[] tx = t[x];
          for (int j = 0; j < rows; j++) {
            int p = in[rowStart[j] + x];
            tx[j] = (p >> 8) & 0xFF00;
            tx[rows + j] = p & 0xFF00;
            tx[2 * rows + j] = (p << 8) & 0xFF00;
          }
          if (channels == 4) {
            for (int j = 0; j < rows; j++) {
              tx[3 * rows + j] = (in[rowStart[j] + x] >>> 16) & 0xFF00;
            }
          }
        }
        box.pass(t, u, 0, cw, sums);
        box.pass(u, t, 0, cw, sums);
        box.pass(t, u, 0, cw, sums);
        for (int c = 0; c < channels; c++) {
          for (int j = 0; j < rows; j++) {
            dst[c * rows + j] = planes[c][y0 + j];
          }
        }
        for (int x = 0; x < w; x++) {
          float[] ux = u[x];
          for (int q = 0; q < cw; q++) {
            dst[q][x] = ux[q];
          }
        }
      }
    });
    // Vertical passes on column ranges, the three passes rolled into one walk down the rows.
    Rows.split(w, 64, (from, to) -> {
      Rolling rolling = new Rolling(box, w, h);
      for (int c = 0; c < channels; c++) {
        rolling.run(planes[c], from, to);
      }
    });
    int[] out = new int[w * h];
    Rows.split(h, STRIP, (from, to) -> {
      for (int y = from; y < to; y++) {
        if ((y & 63) == 0) {
          WorkDeadline.check();
        }
        float[] r = planes[0][y];
        float[] g = planes[1][y];
        float[] bl = planes[2][y];
        float[] al = channels == 4 ? planes[3][y] : null;
        int o = y * w;
        for (int x = 0; x < w; x++) {
          int alpha = al != null ? to8(whole(al[x])) : 0xFF;
          out[o + x] = (alpha << 24) | (to8(whole(r[x])) << 16) | (to8(whole(g[x])) << 8) | to8(whole(bl[x]));
        }
      }
    });
    return new Raster(out, w, h, src.hasAlpha());
  }

  /** new float[channels][h][w], row by row with deadline checks: tens of megabytes to zero. */
  private static float[][][] planes(int channels, int h, int w) {
    float[][][] planes = new float[channels][h][];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < h; y++) {
        if ((y & 255) == 0) {
          WorkDeadline.check();
        }
        planes[c][y] = new float[w];
      }
    }
    return planes;
  }

  /** Any sigma: int planes and sums (the running sums of a wide box do not fit a float exactly). */
  private static Raster blurInt(Raster src, Box box) {
    int w = src.width();
    int h = src.height();
    int n = w * h;
    int channels = src.hasAlpha() ? 4 : 3;
    int[] in = src.argb();
    int[][] planes = new int[channels][n];
    int pad = box.l + 1;
    Rows.split(h, STRIP, (from, to) -> {
      int[] line = new int[w + 2 * pad];
      int[] line2 = new int[w + 2 * pad];
      for (int y = from; y < to; y++) {
        if ((y & 63) == 0) {
          WorkDeadline.check();
        }
        int row = y * w;
        for (int c = 0; c < channels; c++) {
          int shift = c == 3 ? 24 : 16 - 8 * c;
          for (int x = 0; x < w; x++) {
            line[pad + x] = ((in[row + x] >>> shift) & 0xFF) << 8;
          }
          System.arraycopy(box.line(line, line2, w, pad), pad, planes[c], row, w);
        }
      }
    });
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

  /** (int) v for a whole number 0 <= v < 2^23: its bits after adding 2^23 (a move, not a conversion). */
  private static int whole(float v) {
    return Float.floatToRawIntBits(v + 8388608f) - 0x4B000000;
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

  /**
   * The three vertical passes in one walk down the rows: pass 1 row t, pass 2 row t - (l + 1) and
   * pass 3 row t - 2(l + 1) at step t, passes 1 and 2 keeping only the 2l + 3 rows still needed, in
   * rings (which stay in cache); pass 3 writes back into the plane, whose rows at and above it are
   * no longer read. The same rows, clamped at the edges, as three separate passes, so the same values.
   */
  private static final class Rolling {
    private final Box box;
    private final int h;
    private final int lag;
    private final float[][] ring1;
    private final float[][] ring2;
    private final float[] sums1;
    private final float[] sums2;
    private final float[] sums3;

    Rolling(Box box, int w, int h) {
      this.box = box;
      this.h = h;
      this.lag = box.l + 1;
      int size = Math.min(2 * box.l + 3, h);
      this.ring1 = new float[size][w];
      this.ring2 = new float[size][w];
      this.sums1 = new float[w];
      this.sums2 = new float[w];
      this.sums3 = new float[w];
    }

    void run(float[][] plane, int x0, int x1) {
      for (int t = 0; t < h + 2 * lag; t++) {
        if ((t & 63) == 0) {
          WorkDeadline.check();
        }
        if (t < h) {
          if (t == 0) {
            box.start(plane, h, 0, x0, x1, sums1);
          }
          step(plane, 0, ring1, t, x0, x1, sums1);
        }
        int y2 = t - lag;
        if (y2 >= 0 && y2 < h) {
          if (y2 == 0) {
            box.start(ring1, h, ring1.length, x0, x1, sums2);
          }
          step(ring1, ring1.length, ring2, y2, x0, x1, sums2);
        }
        int y3 = y2 - lag;
        if (y3 >= 0) {
          if (y3 == 0) {
            box.start(ring2, h, ring2.length, x0, x1, sums3);
          }
          step(ring2, ring2.length, plane, y3, x0, x1, sums3);
        }
      }
    }

    /** Output row y of one pass: input rows from {@code in} (a ring of {@code ring} rows, or 0: all rows). */
    private void step(float[][] in, int ring, float[][] out, int y, int x0, int x1, float[] sums) {
      int l = box.l;
      float[] before = in[slot(clamp(y - l - 1, h), ring)];
      float[] after = in[slot(clamp(y + l + 1, h), ring)];
      float[] leaving = in[slot(clamp(y - l, h), ring)];
      float[] o = out == ring1 || out == ring2 ? out[slot(y, out.length)] : out[y];
      box.row(before, after, leaving, o, sums, x0, x1);
    }
  }

  private static int slot(int row, int ring) {
    return ring == 0 ? row : row % ring;
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
     * Three passes over {@code n} values at line[pad..pad+n), the pads (pad = l + 1) being scratch
     * that repeats the edge values; returns the buffer holding the result (line or other).
     */
    int[] line(int[] line, int[] other, int n, int pad) {
      int[] a = line;
      int[] b = other;
      for (int pass = 0; pass < PASSES; pass++) {
        int first = a[pad];
        int last = a[pad + n - 1];
        for (int i = 0; i < pad; i++) {
          a[i] = first;
          a[pad + n + i] = last;
        }
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

    /** 2^23: adding and taking it away rounds a float in [0, 2^23) to a whole number. */
    private static final float ROUND = 8388608f;

    /** 2^24: turns the smallest positive gap between a float >= 0.5 and a whole number into >= 1. */
    private static final float UNIT = 16777216f;

    /**
     * One box pass down columns [x0, x1) of the rows {@code a} into the rows {@code b}; rows outside
     * repeat the edge row. All values are whole numbers below 2^17 and the sums stay below 2^24, so
     * the floats are exact and {@code v} below is the int path's float expression, bit for bit. Its
     * truncation floor(v) (v >= 0.5) is computed as rint(v) minus one when rint(v) > v: rint by
     * adding and subtracting 2^23; the gap rint(v) - v is exact (Sterbenz) and a multiple of 2^-24,
     * so min(1, max(0, gap) * 2^24) is exactly 1 or 0.
     */
    void pass(float[][] a, float[][] b, int x0, int x1, float[] sums) {
      int height = a.length;
      start(a, height, 0, x0, x1, sums);
      for (int y = 0; y < height; y++) {
        row(a[clamp(y - l - 1, height)], a[clamp(y + l + 1, height)], a[clamp(y - l, height)], b[y], sums, x0, x1);
      }
    }

    /** The running sums of input rows -l..l (clamped) for output row 0; rows in a ring when ring > 0. */
    void start(float[][] a, int height, int ring, int x0, int x1, float[] sums) {
      java.util.Arrays.fill(sums, x0, x1, 0f);
      for (int k = -l; k <= l; k++) {
        float[] row = a[slot(clamp(k, height), ring)];
        for (int x = x0; x < x1; x++) {
          sums[x] += row[x];
        }
      }
    }

    /** One output row from the rows before, after and leaving the window; advances the sums. */
    void row(float[] before, float[] after, float[] leaving, float[] o, float[] sums, int x0, int x1) {
      float e = edge;
      float m = norm;
      for (int x = x0; x < x1; x++) {
        float s = sums[x];
        float v = (s + (before[x] + after[x]) * e) * m + 0.5f;
        float r = (v + ROUND) - ROUND;
        o[x] = r - Math.min(1f, Math.max(0f, r - v) * UNIT);
        sums[x] = s + after[x] - leaving[x];
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
          if ((y & 63) == 0) {
            WorkDeadline.check();
          }
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

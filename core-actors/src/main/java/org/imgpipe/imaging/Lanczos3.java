package org.imgpipe.imaging;

/**
 * Separable Lanczos3 resampling over packed ARGB, with Pillow's coefficient rules (support scaled
 * by the reduction factor, pixel centres at +0.5, weights normalised, 22-bit fixed point, 8-bit
 * intermediate rows). Translucent images are resampled premultiplied, as Pillow does for RGBA.
 *
 * <p>Every output channel is {@code clip8((HALF + sum of weight * channel) >> 22)} with exact integer
 * sums, so the loops below may add in any order and split the rows in any way: the pixels stay the
 * same. Both passes run their rows through {@link Rows}, so an idle node uses all its cores.
 */
final class Lanczos3 {

  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final int HALF = 1 << (PRECISION_BITS - 1);
  /** Rows per part at least when a pass is split over cores. */
  private static final int MIN_ROWS = 16;
  /** Columns the vertical pass accumulates at once: its accumulators stay in the L1 cache. */
  private static final int STRIP = 1024;

  private Lanczos3() {}

  /** How a pass's row loop is split: {@link Rows#split} in production, other splits in tests. */
  @FunctionalInterface
  interface Splitter {
    void split(int n, int minRows, Rows.Body body);
  }

  /** Precomputed taps of one axis: for output i, taps start at {@code first[i]}, {@code count[i]} of them. */
  static final class Taps {
    final int size;
    final int[] first;
    final int[] count;
    final int[] weights;
    /**
     * Whether output i of a constant input is that constant: its weights sum close enough to
     * {@code 1 << 22} that {@code (v * sum + HALF) >> 22 == v} for every 8-bit v.
     */
    final boolean[] exact;

    Taps(int inSize, int outSize) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = 3.0 * filterScale;
      this.size = (int) Math.ceil(support) * 2 + 1;
      this.first = new int[outSize];
      this.count = new int[outSize];
      this.weights = new int[outSize * size];
      this.exact = new boolean[outSize];
      double[] k = new double[size];
      double ss = 1.0 / filterScale;
      for (int i = 0; i < outSize; i++) {
        double center = (i + 0.5) * scale;
        int xmin = Math.max((int) (center - support + 0.5), 0);
        int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
        xmax = Math.min(xmax, size);
        double total = 0;
        for (int x = 0; x < xmax; x++) {
          double w = lanczos((x + xmin - center + 0.5) * ss);
          k[x] = w;
          total += w;
        }
        long sum = 0;
        for (int x = 0; x < xmax; x++) {
          double w = total != 0 ? k[x] / total : 0;
          int fixed = (int) (w < 0 ? w * (1 << PRECISION_BITS) - 0.5 : w * (1 << PRECISION_BITS) + 0.5);
          weights[i * size + x] = fixed;
          sum += fixed;
        }
        first[i] = xmin;
        count[i] = xmax;
        // v * (sum - one) + HALF is linear in v: in [0, one) for v = 0 and v = 255 means for all v.
        long off = 255 * (sum - (1L << PRECISION_BITS)) + HALF;
        exact[i] = xmax > 0 && off >= 0 && off < (1L << PRECISION_BITS);
      }
    }
  }

  static double lanczos(double x) {
    if (x <= -3.0 || x >= 3.0) {
      return 0.0;
    }
    return sinc(x) * sinc(x / 3.0);
  }

  private static double sinc(double x) {
    if (x == 0.0) {
      return 1.0;
    }
    double px = x * Math.PI;
    return Math.sin(px) / px;
  }

  /** Resamples {@code src} to {@code dw x dh}. */
  static Raster resize(Raster src, int dw, int dh) {
    return resize(src, dw, dh, Rows::split);
  }

  static Raster resize(Raster src, int dw, int dh, Splitter rows) {
    int sw = src.width();
    int sh = src.height();
    if (sw == dw && sh == dh) {
      return src;
    }
    boolean alpha = src.hasAlpha();
    int[] px = src.argb();
    int w = sw;
    if (dw != sw) {
      // Premultiplies (if translucent) each row as it reads it, and unpremultiplies if it is the last pass.
      px = horizontal(px, sw, sh, dw, new Taps(sw, dw), alpha, alpha && dh == sh, rows);
      w = dw;
    } else if (alpha) {
      px = premultiply(px, sw, sh, rows);
    }
    if (dh != sh) {
      px = vertical(px, w, sh, dh, new Taps(sh, dh), alpha, rows);
    }
    return new Raster(px, dw, dh, alpha);
  }

  private static int clip8(int v) {
    int c = v >> PRECISION_BITS;
    return c < 0 ? 0 : (c > 255 ? 255 : c);
  }

  /**
   * Horizontal pass. Two channels share one 64-bit multiply: a source row is first spread into
   * longs holding R and B (and G and A) 32 bits apart; each lane's sum fits 32 bits, so the low lane
   * is read as a signed int and the high lane is what remains. An output whose taps all read one
   * source value (flat areas, and most of every row of a vertical gradient) is that value, when its
   * weights sum close enough to one ({@link Taps#exact}), without multiplying.
   */
  private static int[] horizontal(int[] src, int sw, int sh, int dw, Taps t, boolean alpha, boolean unpremultiply,
      Splitter rows) {
    int[] out = new int[dw * sh];
    rows.split(sh, MIN_ROWS, (from, to) -> horizontalRows(src, sw, dw, t, alpha, unpremultiply, out, from, to));
    return out;
  }

  private static void horizontalRows(int[] src, int sw, int dw, Taps t, boolean alpha, boolean unpremultiply,
      int[] out, int from, int to) {
    int[] weights = t.weights;
    int ksize = t.size;
    int[] first = t.first;
    int[] count = t.count;
    boolean[] exact = t.exact;
    long[] rb = new long[sw];
    long[] ga = new long[sw];
    int[] line = alpha ? new int[sw] : null;
    int opaque = alpha ? 0 : 0xFF000000;
    long init = ((long) HALF << 32) + HALF;
    for (int y = from; y < to; y++) {
      int[] s;
      int row;
      if (alpha) {
        premultiply(src, y * sw, line, 0, sw);
        s = line;
        row = 0;
      } else {
        s = src;
        row = y * sw;
      }
      for (int x = 0; x < sw; x++) {
        int p = s[row + x];
        rb[x] = ((long) ((p >> 16) & 0xFF) << 32) | (p & 0xFF);
        ga[x] = ((long) ((p >> 8) & 0xFF) << 32) | (p >>> 24);
      }
      int orow = y * dw;
      // Source pixels [runFrom, runEnd) all equal runValue; taps start at non-decreasing positions.
      int runEnd = 0;
      int runValue = 0;
      for (int x = 0; x < dw; x++) {
        int base = first[x];
        int n = count[x];
        if (exact[x]) {
          if (base >= runEnd) {
            runValue = s[row + base];
            int e = base + 1;
            while (e < sw && s[row + e] == runValue) {
              e++;
            }
            runEnd = e;
          }
          if (base + n <= runEnd) {
            out[orow + x] = runValue | opaque;
            continue;
          }
        }
        int k = x * ksize;
        long s1 = init;
        long s2 = init;
        for (int j = 0; j < n; j++) {
          long wgt = weights[k + j];
          s1 += rb[base + j] * wgt;
          s2 += ga[base + j] * wgt;
        }
        int sb = (int) s1;
        int sr = (int) ((s1 - sb) >> 32);
        int sa = (int) s2;
        int sg = (int) ((s2 - sa) >> 32);
        int a = alpha ? clip8(sa) : 0xFF;
        out[orow + x] = (a << 24) | (clip8(sr) << 16) | (clip8(sg) << 8) | clip8(sb);
      }
      if (unpremultiply) {
        unpremultiply(out, orow, dw);
      }
    }
  }

  /**
   * Vertical pass, one output row at a time: for each tap, a whole source row (in strips of
   * {@link #STRIP} columns) is added into per-channel accumulators, a contiguous loop the JIT
   * vectorises.
   */
  private static int[] vertical(int[] src, int w, int sh, int dh, Taps t, boolean alpha, Splitter rows) {
    int[] out = new int[w * dh];
    rows.split(dh, MIN_ROWS, (from, to) -> verticalRows(src, w, t, alpha, out, from, to));
    return out;
  }

  private static void verticalRows(int[] src, int w, Taps t, boolean alpha, int[] out, int from, int to) {
    int[] weights = t.weights;
    int ksize = t.size;
    int strip = Math.min(w, STRIP);
    int[] ar = new int[strip];
    int[] ag = new int[strip];
    int[] ab = new int[strip];
    int[] aa = alpha ? new int[strip] : null;
    for (int y = from; y < to; y++) {
      int n = t.count[y];
      int k = y * ksize;
      int top = t.first[y];
      int orow = y * w;
      for (int x0 = 0; x0 < w; x0 += strip) {
        int len = Math.min(strip, w - x0);
        java.util.Arrays.fill(ar, 0, len, HALF);
        java.util.Arrays.fill(ag, 0, len, HALF);
        java.util.Arrays.fill(ab, 0, len, HALF);
        if (alpha) {
          java.util.Arrays.fill(aa, 0, len, HALF);
        }
        for (int j = 0; j < n; j++) {
          int wgt = weights[k + j];
          int off = (top + j) * w + x0;
          if (alpha) {
            addRow4(src, off, wgt, ar, ag, ab, aa, len);
          } else {
            addRow3(src, off, wgt, ar, ag, ab, len);
          }
        }
        int o = orow + x0;
        if (alpha) {
          for (int i = 0; i < len; i++) {
            out[o + i] = (clamp(aa[i]) << 24) | (clamp(ar[i]) << 16) | (clamp(ag[i]) << 8) | clamp(ab[i]);
          }
        } else {
          for (int i = 0; i < len; i++) {
            out[o + i] = 0xFF000000 | (clamp(ar[i]) << 16) | (clamp(ag[i]) << 8) | clamp(ab[i]);
          }
        }
      }
      if (alpha) {
        unpremultiply(out, orow, w);
      }
    }
  }

  private static void addRow3(int[] src, int off, int wgt, int[] ar, int[] ag, int[] ab, int len) {
    for (int i = 0; i < len; i++) {
      int p = src[off + i];
      ar[i] += ((p >> 16) & 0xFF) * wgt;
      ag[i] += ((p >> 8) & 0xFF) * wgt;
      ab[i] += (p & 0xFF) * wgt;
    }
  }

  private static void addRow4(int[] src, int off, int wgt, int[] ar, int[] ag, int[] ab, int[] aa, int len) {
    for (int i = 0; i < len; i++) {
      int p = src[off + i];
      ar[i] += ((p >> 16) & 0xFF) * wgt;
      ag[i] += ((p >> 8) & 0xFF) * wgt;
      ab[i] += (p & 0xFF) * wgt;
      aa[i] += (p >>> 24) * wgt;
    }
  }

  /** clip8 in a form the JIT vectorises (min and max instead of branches). */
  private static int clamp(int v) {
    return Math.min(Math.max(v >> PRECISION_BITS, 0), 255);
  }

  private static int[] premultiply(int[] src, int w, int h, Splitter rows) {
    int[] out = new int[src.length];
    rows.split(h, MIN_ROWS, (from, to) -> premultiply(src, from * w, out, from * w, (to - from) * w));
    return out;
  }

  private static void premultiply(int[] src, int from, int[] out, int to, int len) {
    for (int i = 0; i < len; i++) {
      int p = src[from + i];
      int a = p >>> 24;
      if (a == 255) {
        out[to + i] = p;
      } else if (a == 0) {
        out[to + i] = 0;
      } else {
        int r = mul255((p >> 16) & 0xFF, a);
        int g = mul255((p >> 8) & 0xFF, a);
        int b = mul255(p & 0xFF, a);
        out[to + i] = (a << 24) | (r << 16) | (g << 8) | b;
      }
    }
  }

  /** Unpremultiplies {@code px[from, from + len)} in place. */
  private static void unpremultiply(int[] px, int from, int len) {
    for (int i = from; i < from + len; i++) {
      int p = px[i];
      int a = p >>> 24;
      if (a == 0) {
        px[i] = 0;
      } else if (a != 255) {
        int r = Math.min(255, (((p >> 16) & 0xFF) * 255 + (a >> 1)) / a);
        int g = Math.min(255, (((p >> 8) & 0xFF) * 255 + (a >> 1)) / a);
        int b = Math.min(255, ((p & 0xFF) * 255 + (a >> 1)) / a);
        px[i] = (a << 24) | (r << 16) | (g << 8) | b;
      }
    }
  }

  /** round(v * a / 255) for 8-bit v and a. */
  static int mul255(int v, int a) {
    int t = v * a + 128;
    return (t + (t >> 8)) >> 8;
  }
}

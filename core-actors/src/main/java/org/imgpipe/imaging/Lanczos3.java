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
  /**
   * Source rows the horizontal pass transposes at once (its buffer stays small, and flat strips are
   * found more often than over whole columns).
   */
  private static final int HSTRIP = 256;
  /** Rows with at most width / SPARSE colour changes are resampled pixel by pixel. */
  private static final int SPARSE = 32;
  /** Tile edge of the transposes. */
  private static final int TILE = 32;

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
    // Rows of one colour in the vertical pass's input.
    boolean[] flat = new boolean[sh];
    if (dw != sw) {
      // Premultiplies (if translucent) as it reads, and unpremultiplies if it is the last pass.
      boolean last = alpha && dh == sh;
      px = horizontal(px, sw, sh, dw, new Taps(sw, dw), alpha, last, flat, rows);
      w = dw;
    } else if (alpha) {
      px = premultiply(px, sw, sh, rows);
    }
    if (dh != sh) {
      if (dw == sw) {
        int[] in = px;
        rows.split(sh, MIN_ROWS, (from, to) -> {
          for (int y = from; y < to; y++) {
            flat[y] = flat(in, y * sw, sw, in[y * sw]);
          }
        });
      }
      px = vertical(px, w, sh, dh, new Taps(sh, dh), alpha, flat, rows);
    }
    return new Raster(px, dw, dh, alpha);
  }

  /**
   * Horizontal pass. A source row of one colour gives an output row of that colour (when every
   * output's weights sum close enough to one, {@link Taps#exact}); the demo's vertical gradients are
   * mostly such rows (marked in {@code flat}). Rows of few colour changes are resampled pixel by
   * pixel, skipping the flat runs. The other rows are transposed into columns (premultiplying on the
   * way) and resampled with the vectorised row kernel {@link #accumulateRows}, which writes its output
   * rows back as columns.
   */
  private static int[] horizontal(int[] src, int sw, int sh, int dw, Taps t, boolean alpha,
      boolean unpremultiply, boolean[] flat, Splitter rows) {
    int[] out = new int[sh * dw];
    // Rows done here (flat or sparse), left for the transposed pass otherwise.
    boolean[] done = new boolean[sh];
    if (allTrue(t.exact)) {
      int opaque = alpha ? 0 : 0xFF000000;
      int sparse = sw / SPARSE;
      rows.split(sh, MIN_ROWS, (from, to) -> {
        int[] line = alpha ? new int[sw] : null;
        for (int y = from; y < to; y++) {
          if ((y & 63) == 0) {
            WorkDeadline.check();
          }
          int row = y * sw;
          int changes = changes(src, row, sw, sparse);
          if (changes == 0) {
            flat[y] = true;
            done[y] = true;
            int p = alpha ? premultiply(src[row]) : src[row] | opaque;
            java.util.Arrays.fill(out, y * dw, (y + 1) * dw, p);
          } else if (changes <= sparse) {
            done[y] = true;
            if (alpha) {
              premultiply(src, row, line, 0, sw);
              sparseRow(line, 0, sw, t, alpha, out, y * dw, dw);
            } else {
              sparseRow(src, row, sw, t, alpha, out, y * dw, dw);
            }
          } else {
            continue;
          }
          if (unpremultiply) {
            unpremultiply(out, y * dw, dw);
          }
        }
      });
    }
    int m = 0;
    int[] picked = new int[sh];
    for (int y = 0; y < sh; y++) {
      if (!done[y]) {
        picked[m++] = y;
      }
    }
    if (m == 0) {
      return out;
    }
    // The other rows, in bands of at most HSTRIP: transposed, resampled as columns, written back as rows.
    rows.split(m, MIN_ROWS, (from, to) -> {
      int[] cols = new int[sw * Math.min(HSTRIP, to - from)];
      for (int b = from; b < to; b += HSTRIP) {
        int h = Math.min(HSTRIP, to - b);
        gatherColumns(src, sw, picked, b, h, cols, alpha);
        accumulateRows(cols, h, t, alpha, unpremultiply, null, out, picked, b, dw, 0, dw, h);
      }
    });
    return out;
  }

  private static boolean allTrue(boolean[] b) {
    for (boolean v : b) {
      if (!v) {
        return false;
      }
    }
    return true;
  }

  /**
   * How many neighbouring pixels differ in the row of {@code len} from {@code at}, counting up to one
   * more than {@code max}.
   */
  private static int changes(int[] px, int at, int len, int max) {
    int n = 0;
    for (int i = at + 1; i < at + len; i++) {
      if (px[i] != px[i - 1] && ++n > max) {
        break;
      }
    }
    return n;
  }

  /**
   * One row of few colour changes, output pixel by pixel: an output whose taps all read one value is
   * that value (every output's weights are {@link Taps#exact} here); the others are summed.
   */
  private static void sparseRow(int[] s, int row, int sw, Taps t, boolean alpha, int[] out, int orow, int dw) {
    int[] weights = t.weights;
    int ksize = t.size;
    int[] first = t.first;
    int[] count = t.count;
    int opaque = alpha ? 0 : 0xFF000000;
    // Source pixels [base of the run, runEnd) all equal runValue; taps start at non-decreasing positions.
    int runEnd = 0;
    int runValue = 0;
    for (int x = 0; x < dw; x++) {
      int base = first[x];
      int n = count[x];
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
      } else {
        int p = column(s, row + base, 1, weights, x * ksize, n, alpha);
        out[orow + x] = p;
      }
    }
  }

  /** Whether {@code len} pixels from {@code at} all equal {@code v}. */
  private static boolean flat(int[] px, int at, int len, int v) {
    for (int i = at + 1; i < at + len; i++) {
      if (px[i] != v) {
        return false;
      }
    }
    return true;
  }

  /**
   * The source rows {@code picked[from, from + h)} as {@code w} rows of {@code h} pixels:
   * {@code cols[x * h + i] = src[picked[from + i] * w + x]}, premultiplied if asked.
   */
  private static void gatherColumns(int[] src, int w, int[] picked, int from, int h, int[] cols,
      boolean premultiply) {
    int[] start = new int[h];
    for (int i = 0; i < h; i++) {
      start[i] = picked[from + i] * w;
    }
    for (int x0 = 0; x0 < w; x0 += TILE) {
      int x1 = Math.min(w, x0 + TILE);
      for (int i0 = 0; i0 < h; i0 += TILE) {
        int i1 = Math.min(h, i0 + TILE);
        for (int x = x0; x < x1; x++) {
          int d = x * h;
          for (int i = i0; i < i1; i++) {
            cols[d + i] = src[start[i] + x];
          }
        }
      }
    }
    if (premultiply) {
      premultiply(cols, 0, cols, 0, w * h);
    }
  }

  private static int[] vertical(int[] src, int w, int sh, int dh, Taps t, boolean alpha, boolean[] flat,
      Splitter rows) {
    int[] out = new int[w * dh];
    rows.split(dh, MIN_ROWS,
        (from, to) -> accumulateRows(src, w, t, alpha, alpha, flat, out, null, 0, 0, from, to, STRIP));
    return out;
  }

  /**
   * Resamples along the columns of {@code src} (rows {@code w} wide), output rows [from, to): for each
   * tap, a source row (in strips of {@code stripWidth} columns) is added into per-channel accumulators,
   * a contiguous loop the JIT vectorises. Where all of an output's tap rows are equal over a strip and
   * its weights sum close enough to one ({@link Taps#exact}), the strip is that row. Where all of them
   * are rows of one colour ({@code flatRows}, may be null), one pixel is computed for the whole row.
   * Output row y goes to {@code out[y * w, (y + 1) * w)}, or, with {@code scatter}, transposed: pixel
   * i of it to {@code out[scatter[scatterFrom + i] * outWidth + y]}.
   */
  private static void accumulateRows(int[] src, int w, Taps t, boolean alpha, boolean unpremultiply,
      boolean[] flatRows, int[] out, int[] scatter, int scatterFrom, int outWidth, int from, int to,
      int stripWidth) {
    int[] weights = t.weights;
    int ksize = t.size;
    int strip = Math.min(w, stripWidth);
    int[] line = new int[strip];
    int[] ar = new int[strip];
    int[] ag = new int[strip];
    int[] ab = new int[strip];
    int[] aa = alpha ? new int[strip] : null;
    int opaque = alpha ? 0 : 0xFF000000;
    for (int y = from; y < to; y++) {
      WorkDeadline.check();
      int n = t.count[y];
      int k = y * ksize;
      int top = t.first[y] * w;
      int flatPixel = flatRows != null && allFlat(flatRows, t.first[y], n)
          ? column(src, top, w, weights, k, n, alpha) : 0;
      for (int x0 = 0; x0 < w; x0 += strip) {
        int len = Math.min(strip, w - x0);
        if (flatPixel != 0) {
          java.util.Arrays.fill(line, 0, len, flatPixel);
        } else if (t.exact[y] && sameRows(src, top + x0, w, n, len)) {
          for (int i = 0; i < len; i++) {
            line[i] = src[top + x0 + i] | opaque;
          }
        } else {
          java.util.Arrays.fill(ar, 0, len, HALF);
          java.util.Arrays.fill(ag, 0, len, HALF);
          java.util.Arrays.fill(ab, 0, len, HALF);
          if (alpha) {
            java.util.Arrays.fill(aa, 0, len, HALF);
          }
          for (int j = 0; j < n; j++) {
            // The copy gives the loop below one index for all its arrays, which C2 needs to vectorise it.
            System.arraycopy(src, top + j * w + x0, line, 0, len);
            int wgt = weights[k + j];
            if (alpha) {
              addRow4(line, wgt, ar, ag, ab, aa, len);
            } else {
              addRow3(line, wgt, ar, ag, ab, len);
            }
          }
          if (alpha) {
            for (int i = 0; i < len; i++) {
              line[i] = (clamp(aa[i]) << 24) | (clamp(ar[i]) << 16) | (clamp(ag[i]) << 8) | clamp(ab[i]);
            }
          } else {
            for (int i = 0; i < len; i++) {
              line[i] = 0xFF000000 | (clamp(ar[i]) << 16) | (clamp(ag[i]) << 8) | clamp(ab[i]);
            }
          }
        }
        if (unpremultiply) {
          unpremultiply(line, 0, len);
        }
        if (scatter == null) {
          System.arraycopy(line, 0, out, y * w + x0, len);
        } else {
          for (int i = 0; i < len; i++) {
            out[scatter[scatterFrom + x0 + i] * outWidth + y] = line[i];
          }
        }
      }
    }
  }

  private static boolean allFlat(boolean[] flat, int from, int n) {
    for (int i = from; i < from + n; i++) {
      if (!flat[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The resampled pixel of one column ({@code n} taps {@code w} apart from {@code at}), as the
   * vectorised loops compute it; 0 (transparent black) comes out as 0, which callers treat as "none"
   * and recompute the slow way, giving the same 0.
   */
  private static int column(int[] src, int at, int w, int[] weights, int k, int n, boolean alpha) {
    int sr = HALF;
    int sg = HALF;
    int sb = HALF;
    int sa = HALF;
    for (int j = 0; j < n; j++) {
      int p = src[at + j * w];
      int wgt = weights[k + j];
      sr += ((p >> 16) & 0xFF) * wgt;
      sg += ((p >> 8) & 0xFF) * wgt;
      sb += (p & 0xFF) * wgt;
      sa += (p >>> 24) * wgt;
    }
    int a = alpha ? clamp(sa) : 0xFF;
    return (a << 24) | (clamp(sr) << 16) | (clamp(sg) << 8) | clamp(sb);
  }

  /** Whether the {@code n} rows of {@code len} pixels from {@code at}, {@code w} apart, are all equal. */
  private static boolean sameRows(int[] src, int at, int w, int n, int len) {
    for (int j = 1; j < n; j++) {
      int b = at + j * w;
      if (!java.util.Arrays.equals(src, at, at + len, src, b, b + len)) {
        return false;
      }
    }
    return true;
  }

  private static void addRow3(int[] line, int wgt, int[] ar, int[] ag, int[] ab, int len) {
    for (int i = 0; i < len; i++) {
      int p = line[i];
      ar[i] += ((p >> 16) & 0xFF) * wgt;
      ag[i] += ((p >> 8) & 0xFF) * wgt;
      ab[i] += (p & 0xFF) * wgt;
    }
  }

  private static void addRow4(int[] line, int wgt, int[] ar, int[] ag, int[] ab, int[] aa, int len) {
    for (int i = 0; i < len; i++) {
      int p = line[i];
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
      out[to + i] = premultiply(src[from + i]);
    }
  }

  private static int premultiply(int p) {
    int a = p >>> 24;
    if (a == 255) {
      return p;
    } else if (a == 0) {
      return 0;
    }
    int r = mul255((p >> 16) & 0xFF, a);
    int g = mul255((p >> 8) & 0xFF, a);
    int b = mul255(p & 0xFF, a);
    return (a << 24) | (r << 16) | (g << 8) | b;
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

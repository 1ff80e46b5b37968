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
  static final int STRIP = Integer.getInteger("imgpipe.blur.strip", 32);

  /** Columns per vertical block, so the block's three passes stay in cache. */
  static final int BLOCK = Integer.getInteger("imgpipe.blur.block", 128);

  static Raster blur(Raster src, double sigma) {
    double s = Math.min(sigma, MAX_SIGMA);
    int w = src.width();
    int h = src.height();
    int n = w * h;
    int channels = src.hasAlpha() ? 4 : 3;
    int[] in = src.argb();
    Box box = new Box(s);
    int[][] planes = new int[channels][n];
    // Horizontal passes: a strip of rows is transposed (x becomes the row index, each row of the
    // strip and channel a column), so one pass walks all its lines at once in a loop C2 vectorises.
    Rows.split(h, STRIP, (from, to) -> {
      int k = Math.min(STRIP, to - from);
      int[] t = new int[w * k * channels];
      int[] u = new int[t.length];
      int[] sums = new int[k * channels];
      for (int y0 = from; y0 < to; y0 += k) {
        int rows = Math.min(k, to - y0);
        int cw = rows * channels;
        for (int j = 0; j < rows; j++) {
          int row = (y0 + j) * w;
          for (int x = 0, o = j; x < w; x++, o += cw) {
            int p = in[row + x];
            t[o] = (p >> 8) & 0xFF00;
            t[o + rows] = p & 0xFF00;
            t[o + 2 * rows] = (p << 8) & 0xFF00;
            if (channels == 4) {
              t[o + 3 * rows] = (p >>> 16) & 0xFF00;
            }
          }
        }
        box.pass(t, 0, cw, u, 0, cw, cw, w, sums);
        box.pass(u, 0, cw, t, 0, cw, cw, w, sums);
        box.pass(t, 0, cw, u, 0, cw, cw, w, sums);
        for (int c = 0; c < channels; c++) {
          int[] plane = planes[c];
          for (int j = 0; j < rows; j++) {
            int row = (y0 + j) * w;
            for (int x = 0, o = c * rows + j; x < w; x++, o += cw) {
              plane[row + x] = u[o];
            }
          }
        }
      }
    });
    // Vertical passes on blocks of columns: plane -> a -> b -> plane.
    Rows.split(w, BLOCK, (from, to) -> {
      int bw = Math.min(BLOCK, to - from);
      int[] a = new int[bw * h];
      int[] b = new int[bw * h];
      int[] sums = new int[bw];
      for (int x0 = from; x0 < to; x0 += bw) {
        int cols = Math.min(bw, to - x0);
        for (int c = 0; c < channels; c++) {
          int[] plane = planes[c];
          box.pass(plane, x0, w, a, 0, cols, cols, h, sums);
          box.pass(a, 0, cols, b, 0, cols, cols, h, sums);
          box.pass(b, 0, cols, plane, x0, w, cols, h, sums);
        }
      }
    });
    int[] out = new int[n];
    int[] r = planes[0];
    int[] g = planes[1];
    int[] b = planes[2];
    int[] a = channels == 4 ? planes[3] : null;
    Rows.split(h, STRIP, (from, to) -> {
      for (int i = from * w, end = to * w; i < end; i++) {
        int alpha = a != null ? to8(a[i]) : 0xFF;
        out[i] = (alpha << 24) | (to8(r[i]) << 16) | (to8(g[i]) << 8) | to8(b[i]);
      }
    });
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
    int[] row = new int[w];
    int[] row2 = new int[w];
    int[] one = new int[1];
    for (int y = 0; y < h; y++) {
      // One row as a w-tall, 1-wide image.
      box.pass(plane, y * w, 1, row, 0, 1, 1, w, one);
      box.pass(row, 0, 1, row2, 0, 1, 1, w, one);
      box.pass(row2, 0, 1, plane, y * w, 1, 1, w, one);
    }
    int[] a = new int[plane.length];
    int[] b = new int[plane.length];
    int[] sums = new int[w];
    box.pass(plane, 0, w, a, 0, w, w, h, sums);
    box.pass(a, 0, w, b, 0, w, w, h, sums);
    box.pass(b, 0, w, plane, 0, w, w, h, sums);
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
     * One box pass down the columns of a {@code width} x {@code height} image stored at {@code aOff}
     * with row stride {@code aStride}, written to b the same way; rows outside repeat the edge row.
     * Walks rows in memory order, one running sum per column; the inner loop has no dependency
     * between columns, so C2 vectorises it.
     */
    void pass(int[] a, int aOff, int aStride, int[] b, int bOff, int bStride, int width, int height,
        int[] sums) {
      float e = edge;
      float m = norm;
      java.util.Arrays.fill(sums, 0, width, 0);
      for (int k = -l; k <= l; k++) {
        int row = aOff + clamp(k, height) * aStride;
        for (int x = 0; x < width; x++) {
          sums[x] += a[row + x];
        }
      }
      for (int y = 0; y < height; y++) {
        int before = aOff + clamp(y - l - 1, height) * aStride;
        int after = aOff + clamp(y + l + 1, height) * aStride;
        int leaving = aOff + clamp(y - l, height) * aStride;
        int row = bOff + y * bStride;
        for (int x = 0; x < width; x++) {
          int s = sums[x];
          b[row + x] = (int) ((s + (float) (a[before + x] + a[after + x]) * e) * m + 0.5f);
          sums[x] = s + a[after + x] - a[leaving + x];
        }
      }
    }
  }

  private static int clamp(int i, int n) {
    return i < 0 ? 0 : (i >= n ? n - 1 : i);
  }
}

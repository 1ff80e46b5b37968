package org.imgpipe.imaging;

/**
 * Test oracle: the Box3x3 code as it was before the issue 8 rewrite.
 *
 * 3x3 neighbourhood sums of R, G and B for one row at a time. The three channels travel in one
 * long, 16 bits apart (a sum of nine 8-bit values needs 12 bits), so a 3x3 sum costs four long
 * additions per pixel instead of 27 extractions and additions.
 */
final class Box3x3Reference {

  private final int[] px;
  private final int w;
  private long[] above;
  private long[] here;
  private long[] below;
  private final long[] columns;

  Box3x3Reference(int[] px, int w) {
    this.px = px;
    this.w = w;
    this.above = new long[w];
    this.here = new long[w];
    this.below = new long[w];
    this.columns = new long[w];
  }

  static long spread(int p) {
    return ((long) ((p >> 16) & 0xFF) << 32) | ((p & 0xFF00L) << 8) | (p & 0xFF);
  }

  static int red(long lanes) {
    return (int) (lanes >>> 32) & 0xFFFF;
  }

  static int green(long lanes) {
    return (int) (lanes >>> 16) & 0xFFFF;
  }

  static int blue(long lanes) {
    return (int) lanes & 0xFFFF;
  }

  private void load(long[] dst, int y) {
    int row = y * w;
    for (int x = 0; x < w; x++) {
      dst[x] = spread(px[row + x]);
    }
  }

  /** Prepares row y (1 <= y < h - 1); call for increasing y. */
  void row(int y) {
    if (y == 1) {
      load(above, 0);
      load(here, 1);
      load(below, 2);
    } else {
      long[] t = above;
      above = here;
      here = below;
      below = t;
      load(below, y + 1);
    }
    for (int x = 0; x < w; x++) {
      columns[x] = above[x] + here[x] + below[x];
    }
  }

  /** The lanes of the centre pixel at x of the current row. */
  long centre(int x) {
    return here[x];
  }

  /** The lanes of the 3x3 sum around x (1 <= x < w - 1) of the current row. */
  long sum(int x) {
    return columns[x - 1] + columns[x] + columns[x + 1];
  }
}

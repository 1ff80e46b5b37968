package org.imgpipe.imaging;

/**
 * Shrink-on-load for big opaque sources: averages k x k blocks (the last row and column of blocks
 * average the pixels they have), so that the Lanczos3 resize that follows works on an image at most
 * twice its target instead of many times larger. libvips does the same for JPEG (decoding at 1/2, 1/4,
 * 1/8 scale, then a residual Lanczos3). Only for opaque rasters; one pass, integer sums.
 */
public final class BoxReduce {

  private BoxReduce() {}

  /**
   * The whole factor k (≥ 1) by which a {@code sw x sh} source can be reduced before resizing it to
   * {@code dw x dh} while staying at least as large as the target on both axes.
   */
  public static int factor(int sw, int sh, int dw, int dh) {
    if (dw <= 0 || dh <= 0) {
      return 1;
    }
    return Math.max(1, Math.min(sw / dw, sh / dh));
  }

  /**
   * {@code resize} applied to {@code src} after a k x k reduction when the source is at least twice
   * the output size on both axes and opaque, else {@code resize} alone. The output size is the one the
   * resize gives for the full source (if the reduced source would round to another size, no reduction).
   */
  public static Raster resize(Raster src, Resize resize) throws ImagingException {
    Size size = resize.outputSize(src.width(), src.height());
    int k = factor(src.width(), src.height(), size.width(), size.height());
    if (k > 1 && !src.hasAlpha()) {
      Raster small = reduce(src, k);
      if (resize.outputSize(small.width(), small.height()).equals(size)) {
        return resize.apply(small);
      }
    }
    return resize.apply(src);
  }

  /** The raster reduced by k on both axes (ceil(w/k) x ceil(h/k)); the raster itself when k ≤ 1 or it has alpha. */
  public static Raster reduce(Raster src, int k) {
    if (k <= 1 || src.hasAlpha()) {
      return src;
    }
    int sw = src.width();
    int sh = src.height();
    int dw = (sw + k - 1) / k;
    int dh = (sh + k - 1) / k;
    int[] in = src.argb();
    int[] out = new int[dw * dh];
    if (k == 2 && sw % 2 == 0 && sh % 2 == 0) {
      halve(in, sw, out, dw, dh);
      return new Raster(out, dw, dh, false);
    }
    // Per output column: R+B in one long lane pair would overflow for big k; plain int sums are cheap.
    int[] sr = new int[dw];
    int[] sg = new int[dw];
    int[] sb = new int[dw];
    for (int oy = 0; oy < dh; oy++) {
      java.util.Arrays.fill(sr, 0);
      java.util.Arrays.fill(sg, 0);
      java.util.Arrays.fill(sb, 0);
      int y0 = oy * k;
      int y1 = Math.min(sh, y0 + k);
      for (int y = y0; y < y1; y++) {
        int row = y * sw;
        int x = 0;
        for (int ox = 0; ox < dw; ox++) {
          int xEnd = Math.min(sw, x + k);
          int r = 0;
          int g = 0;
          int b = 0;
          for (; x < xEnd; x++) {
            int p = in[row + x];
            r += (p >> 16) & 0xFF;
            g += (p >> 8) & 0xFF;
            b += p & 0xFF;
          }
          sr[ox] += r;
          sg[ox] += g;
          sb[ox] += b;
        }
      }
      int rows = y1 - y0;
      int orow = oy * dw;
      for (int ox = 0; ox < dw; ox++) {
        int n = rows * (Math.min(sw, (ox + 1) * k) - ox * k);
        int half = n >> 1;
        out[orow + ox] = 0xFF000000 | ((sr[ox] + half) / n) << 16 | ((sg[ox] + half) / n) << 8 | ((sb[ox] + half) / n);
      }
    }
    return new Raster(out, dw, dh, false);
  }

  /** 2x2 averages of an even-sized opaque image, R+B and G summed in lanes of one int each. */
  private static void halve(int[] in, int sw, int[] out, int dw, int dh) {
    for (int oy = 0; oy < dh; oy++) {
      int a = 2 * oy * sw;
      int b = a + sw;
      int o = oy * dw;
      for (int ox = 0; ox < dw; ox++, a += 2, b += 2) {
        int p0 = in[a];
        int p1 = in[a + 1];
        int p2 = in[b];
        int p3 = in[b + 1];
        // R and B sit 16 bits apart: four 8-bit values sum to at most 10 bits, so the lanes do not meet.
        int rb = (p0 & 0xFF00FF) + (p1 & 0xFF00FF) + (p2 & 0xFF00FF) + (p3 & 0xFF00FF) + 0x00020002;
        int g = (p0 & 0xFF00) + (p1 & 0xFF00) + (p2 & 0xFF00) + (p3 & 0xFF00) + 0x0200;
        out[o + ox] = 0xFF000000 | ((rb >> 2) & 0xFF00FF) | ((g >> 2) & 0xFF00);
      }
    }
  }
}

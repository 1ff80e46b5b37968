package org.imgpipe.imaging;

/**
 * Test oracle: a frozen copy of {@link Lanczos3} as it was before the issue-8 speed work (the
 * straightforward per-pixel loops). The fast kernel must give the same pixels for every input.
 *
 * <p>Separable Lanczos3 resampling over packed ARGB, with Pillow's coefficient rules (support scaled
 * by the reduction factor, pixel centres at +0.5, weights normalised, 22-bit fixed point, 8-bit
 * intermediate rows). Translucent images are resampled premultiplied, as Pillow does for RGBA.
 */
final class Lanczos3Reference {

  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final int HALF = 1 << (PRECISION_BITS - 1);

  private Lanczos3Reference() {}

  /** Precomputed taps of one axis: for output i, taps start at {@code first[i]}, {@code count[i]} of them. */
  static final class Taps {
    final int size;
    final int[] first;
    final int[] count;
    final int[] weights;

    Taps(int inSize, int outSize) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = 3.0 * filterScale;
      this.size = (int) Math.ceil(support) * 2 + 1;
      this.first = new int[outSize];
      this.count = new int[outSize];
      this.weights = new int[outSize * size];
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
        for (int x = 0; x < xmax; x++) {
          double w = total != 0 ? k[x] / total : 0;
          weights[i * size + x] = (int) (w < 0 ? w * (1 << PRECISION_BITS) - 0.5 : w * (1 << PRECISION_BITS) + 0.5);
        }
        first[i] = xmin;
        count[i] = xmax;
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
    int sw = src.width();
    int sh = src.height();
    if (sw == dw && sh == dh) {
      return src;
    }
    boolean alpha = src.hasAlpha();
    int[] px = alpha ? premultiply(src.argb()) : src.argb();
    int w = sw;
    if (dw != sw) {
      px = horizontal(px, sw, sh, dw, new Taps(sw, dw), alpha);
      w = dw;
    }
    if (dh != sh) {
      px = vertical(px, w, sh, dh, new Taps(sh, dh), alpha);
    }
    if (alpha) {
      px = unpremultiply(px, px == src.argb());
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
   * is read as a signed int and the high lane is what remains.
   */
  private static int[] horizontal(int[] src, int sw, int sh, int dw, Taps t, boolean alpha) {
    int[] out = new int[dw * sh];
    int[] weights = t.weights;
    int ksize = t.size;
    int[] first = t.first;
    int[] count = t.count;
    long[] rb = new long[sw];
    long[] ga = new long[sw];
    long init = ((long) HALF << 32) + HALF;
    for (int y = 0; y < sh; y++) {
      int row = y * sw;
      for (int x = 0; x < sw; x++) {
        int p = src[row + x];
        rb[x] = ((long) ((p >> 16) & 0xFF) << 32) | (p & 0xFF);
        ga[x] = ((long) ((p >> 8) & 0xFF) << 32) | (p >>> 24);
      }
      int orow = y * dw;
      for (int x = 0; x < dw; x++) {
        int base = first[x];
        int n = count[x];
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
    }
    return out;
  }

  private static int[] vertical(int[] src, int w, int sh, int dh, Taps t, boolean alpha) {
    int[] out = new int[w * dh];
    int[] weights = t.weights;
    int ksize = t.size;
    for (int y = 0; y < dh; y++) {
      int n = t.count[y];
      int k = y * ksize;
      int base = t.first[y] * w;
      int orow = y * w;
      for (int x = 0; x < w; x++) {
        int sr = HALF;
        int sg = HALF;
        int sb = HALF;
        int sa = HALF;
        int idx = base + x;
        if (alpha) {
          for (int j = 0; j < n; j++, idx += w) {
            int p = src[idx];
            int wgt = weights[k + j];
            sr += ((p >> 16) & 0xFF) * wgt;
            sg += ((p >> 8) & 0xFF) * wgt;
            sb += (p & 0xFF) * wgt;
            sa += (p >>> 24) * wgt;
          }
        } else {
          // Opaque: three channels only.
          for (int j = 0; j < n; j++, idx += w) {
            int p = src[idx];
            int wgt = weights[k + j];
            sr += ((p >> 16) & 0xFF) * wgt;
            sg += ((p >> 8) & 0xFF) * wgt;
            sb += (p & 0xFF) * wgt;
          }
        }
        int a = alpha ? clip8(sa) : 0xFF;
        out[orow + x] = (a << 24) | (clip8(sr) << 16) | (clip8(sg) << 8) | clip8(sb);
      }
    }
    return out;
  }

  static int[] premultiply(int[] src) {
    int[] out = new int[src.length];
    for (int i = 0; i < src.length; i++) {
      int p = src[i];
      int a = p >>> 24;
      if (a == 255) {
        out[i] = p;
      } else if (a == 0) {
        out[i] = 0;
      } else {
        int r = mul255((p >> 16) & 0xFF, a);
        int g = mul255((p >> 8) & 0xFF, a);
        int b = mul255(p & 0xFF, a);
        out[i] = (a << 24) | (r << 16) | (g << 8) | b;
      }
    }
    return out;
  }

  static int[] unpremultiply(int[] px, boolean copy) {
    int[] out = copy ? new int[px.length] : px;
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      int a = p >>> 24;
      if (a == 255) {
        out[i] = p;
      } else if (a == 0) {
        out[i] = 0;
      } else {
        int r = Math.min(255, (((p >> 16) & 0xFF) * 255 + (a >> 1)) / a);
        int g = Math.min(255, (((p >> 8) & 0xFF) * 255 + (a >> 1)) / a);
        int b = Math.min(255, ((p & 0xFF) * 255 + (a >> 1)) / a);
        out[i] = (a << 24) | (r << 16) | (g << 8) | b;
      }
    }
    return out;
  }

  /** round(v * a / 255) for 8-bit v and a. */
  static int mul255(int v, int a) {
    int t = v * a + 128;
    return (t + (t >> 8)) >> 8;
  }
}

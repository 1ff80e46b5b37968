package org.imgpipe.imaging;

/**
 * Pillow's blend {@code out = a + f * (b - a)} in float, truncated to 8 bits; outside 0..1 the
 * result is clipped first. The alpha of {@code a} is kept.
 */
final class Blend {

  private Blend() {}

  static int channel(int a, int b, float f) {
    float t = a + f * (b - a);
    if (f >= 0f && f <= 1f) {
      return (int) t;
    }
    if (t <= 0f) {
      return 0;
    }
    if (t >= 255f) {
      return 255;
    }
    return (int) t;
  }

  /** Blends the colour channels of two ARGB pixels, keeping the alpha of {@code a}. */
  static int pixel(int a, int b, float f) {
    int r = channel((a >> 16) & 0xFF, (b >> 16) & 0xFF, f);
    int g = channel((a >> 8) & 0xFF, (b >> 8) & 0xFF, f);
    int bl = channel(a & 0xFF, b & 0xFF, f);
    return (a & 0xFF000000) | (r << 16) | (g << 8) | bl;
  }

  /** blend(original, filtered, f) over whole images, alpha from the original. */
  static int[] images(int[] original, int[] filtered, float f) {
    int[] out = new int[original.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = pixel(original[i], filtered[i], f);
    }
    return out;
  }

  /**
   * The 256-entry table of blend(degenerate, v, f) for a constant degenerate value: how Pillow's
   * Brightness (degenerate 0) and Contrast (degenerate = mean grey) enhancers map each level.
   */
  static int[] enhanceTable(int degenerate, float f) {
    int[] lut = new int[256];
    for (int v = 0; v < 256; v++) {
      lut[v] = channel(degenerate, v, f);
    }
    return lut;
  }

  /** Applies a per-level table to the colour channels, keeping alpha. */
  static int[] lookup(int[] px, int[] lut) {
    int[] out = new int[px.length];
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      out[i] = (p & 0xFF000000) | (lut[(p >> 16) & 0xFF] << 16) | (lut[(p >> 8) & 0xFF] << 8) | lut[p & 0xFF];
    }
    return out;
  }

  /** Pillow's "L" conversion: ITU-R 601-2 luma in 16-bit fixed point, rounded. */
  static int luma(int p) {
    return (((p >> 16) & 0xFF) * 19595 + ((p >> 8) & 0xFF) * 38470 + (p & 0xFF) * 7471 + 0x8000) >> 16;
  }
}

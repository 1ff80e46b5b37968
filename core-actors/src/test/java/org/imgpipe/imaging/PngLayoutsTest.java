package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every PNG layout, interlaced or not, decodes to exactly the pixels its samples say, computed here
 * independently from the samples written into the file: 16-bit samples keep their high byte, low-bit
 * grey scales to 0..255, tRNS makes its one value (or its palette entries) transparent.
 */
class PngLayoutsTest {

  private final ImageDecoder decoder = new ImageDecoder(ImagingLimits.DEFAULT);

  record Layout(int colorType, int depth, boolean interlaced, boolean trns, int width, int height) {
    @Override
    public String toString() {
      return "type " + colorType + ", " + depth + "-bit" + (interlaced ? ", interlaced" : "") + (trns ? ", tRNS" : "")
          + ", " + width + "x" + height;
    }
  }

  static List<Layout> layouts() {
    int[][] combos = {{0, 1}, {0, 2}, {0, 4}, {0, 8}, {0, 16}, {2, 8}, {2, 16}, {3, 1}, {3, 2}, {3, 4}, {3, 8},
        {4, 8}, {4, 16}, {6, 8}, {6, 16}};
    List<Layout> list = new ArrayList<>();
    for (int[] c : combos) {
      for (boolean interlaced : new boolean[] {false, true}) {
        boolean canTrns = c[0] == 0 || c[0] == 2 || c[0] == 3;
        for (boolean trns : canTrns ? new boolean[] {false, true} : new boolean[] {false}) {
          list.add(new Layout(c[0], c[1], interlaced, trns, 37, 23));
        }
      }
    }
    // Sizes where some Adam7 passes are empty.
    for (int[] wh : new int[][] {{1, 1}, {2, 1}, {1, 5}, {3, 2}, {9, 9}}) {
      list.add(new Layout(0, 16, true, true, wh[0], wh[1]));
      list.add(new Layout(3, 2, true, true, wh[0], wh[1]));
      list.add(new Layout(6, 16, true, false, wh[0], wh[1]));
    }
    return list;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void decodesToThePixelsOfItsSamples(Layout l) throws Exception {
    SplittableRandom rnd = new SplittableRandom(l.hashCode());
    int channels = PngDecoder.channels(l.colorType());
    int max = (1 << l.depth()) - 1;
    int[] palette = null;
    int entries = 0;
    byte[] trns = null;
    if (l.colorType() == 3) {
      entries = Math.min(1 << l.depth(), 5 + l.depth());
      palette = new int[entries];
      for (int i = 0; i < entries; i++) {
        palette[i] = rnd.nextInt(1 << 24);
      }
      if (l.trns()) {
        trns = new byte[entries - 1]; // the last entry keeps its default opacity
        for (int i = 0; i < trns.length; i++) {
          trns[i] = (byte) rnd.nextInt(256);
        }
      }
    }
    int[][][] samples = new int[l.height()][l.width()][channels];
    for (int[][] row : samples) {
      for (int[] px : row) {
        for (int c = 0; c < channels; c++) {
          px[c] = l.colorType() == 3 ? rnd.nextInt(entries) : rnd.nextInt(max + 1);
        }
      }
    }
    int[] key = null;
    if (l.trns() && (l.colorType() == 0 || l.colorType() == 2)) {
      key = samples[0][0].clone(); // at least one pixel is transparent
      trns = new byte[2 * channels];
      for (int c = 0; c < channels; c++) {
        trns[2 * c] = (byte) (key[c] >> 8);
        trns[2 * c + 1] = (byte) key[c];
      }
    }
    byte[] png = CraftedImages.png(samples, l.depth(), l.colorType(), l.interlaced(), palette, trns);
    Raster r = decoder.decode(png).raster();
    assertEquals(l.width(), r.width());
    assertEquals(l.height(), r.height());
    boolean alpha = l.colorType() == 4 || l.colorType() == 6 || key != null || (trns != null && anyBelow255(trns));
    assertEquals(alpha, r.hasAlpha(), "alpha flag");
    int wrong = 0;
    String first = null;
    for (int y = 0; y < l.height(); y++) {
      for (int x = 0; x < l.width(); x++) {
        int expected = expected(samples[y][x], l, palette, trns, key);
        if (r.pixel(x, y) != expected) {
          if (first == null) {
            first = "at " + x + "," + y + ": expected " + TestImages.rgb(expected) + ", got " + TestImages.rgb(r.pixel(x, y));
          }
          wrong++;
        }
      }
    }
    assertEquals(0, wrong, wrong + " wrong pixels; first " + first);
  }

  private static boolean anyBelow255(byte[] trns) {
    for (byte b : trns) {
      if ((b & 0xFF) != 255) {
        return true;
      }
    }
    return false;
  }

  /** The pixel the samples describe: high byte of 16-bit samples, 1-, 2- and 4-bit grey scaled by 255 / max. */
  private static int expected(int[] s, Layout l, int[] palette, byte[] trns, int[] key) {
    int d = l.depth();
    switch (l.colorType()) {
      case 3: {
        int a = trns != null && s[0] < trns.length ? trns[s[0]] & 0xFF : 255;
        return (a << 24) | palette[s[0]];
      }
      case 0: {
        int v = d == 16 ? s[0] >> 8 : s[0] * 255 / ((1 << d) - 1);
        int a = key != null && s[0] == key[0] ? 0 : 255;
        return (a << 24) | (v << 16) | (v << 8) | v;
      }
      case 2: {
        int a = key != null && s[0] == key[0] && s[1] == key[1] && s[2] == key[2] ? 0 : 255;
        return (a << 24) | (high(s[0], d) << 16) | (high(s[1], d) << 8) | high(s[2], d);
      }
      case 4: {
        int v = high(s[0], d);
        return (high(s[1], d) << 24) | (v << 16) | (v << 8) | v;
      }
      default:
        return (high(s[3], d) << 24) | (high(s[0], d) << 16) | (high(s[1], d) << 8) | high(s[2], d);
    }
  }

  private static int high(int sample, int depth) {
    return depth == 16 ? sample >> 8 : sample;
  }
}

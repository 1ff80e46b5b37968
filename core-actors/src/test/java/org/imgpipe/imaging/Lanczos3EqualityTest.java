package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast Lanczos3 gives exactly the pixels of the straightforward implementation it replaced
 * ({@link Lanczos3Reference}), for opaque and translucent images, down- and upscaling, one axis only,
 * odd and 1-pixel sizes, however the row loops are split.
 */
class Lanczos3EqualityTest {

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  @AfterEach
  void restore() {
    Rows.maxParts(CORES);
  }

  /** Source width, height, then output width, height. */
  static Stream<Arguments> sizes() {
    int[][] pairs = {
      {200, 120, 160, 96},   // 1.25x
      {201, 121, 134, 81},   // 1.5x, odd
      {240, 136, 120, 68},   // 2x
      {370, 185, 100, 50},   // 3.7x
      {97, 61, 211, 143},    // up
      {160, 90, 161, 91},    // up by one pixel
      {180, 100, 120, 100},  // horizontal only
      {180, 100, 180, 37},   // vertical only
      {150, 90, 151, 45},    // up one axis, down the other
      {1, 80, 1, 33},        // 1xN
      {80, 1, 29, 1},        // Nx1
      {1, 1, 7, 5},          // from one pixel
      {63, 47, 1, 1},        // to one pixel
      {5, 3, 2, 9},          // tiny
      {300, 7, 17, 300},     // extreme aspect change
    };
    List<Arguments> out = new ArrayList<>();
    for (int[] p : pairs) {
      out.add(Arguments.of(p[0], p[1], p[2], p[3]));
    }
    return out.stream();
  }

  static List<Raster> images(int w, int h) {
    return List.of(
        noise(w, h, 7, false),
        noise(w, h, 8, true),
        TestImages.photoLike(w, h, 3),
        TestImages.photoLikeWithAlpha(w, h, 4),
        TestImages.smoothScene(w, h),
        DemoImages.demoRaster(w, h),
        translucent(DemoImages.demoRaster(w, h)),
        TestImages.solid(w, h, 12, 200, 99),
        TestImages.solidArgb(w, h, 0x80FF4020),
        extremes(w, h),
        thinLines(w, h, false),
        thinLines(w, h, true),
        edgeDots(w, h));
  }

  @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
  @MethodSource("sizes")
  void sameAsReference(int sw, int sh, int dw, int dh) {
    for (Raster src : images(sw, sh)) {
      int[] expected = Lanczos3Reference.resize(src, dw, dh).argb();
      Raster got = Lanczos3.resize(src, dw, dh);
      assertEquals(dw, got.width());
      assertEquals(dh, got.height());
      assertEquals(src.hasAlpha(), got.hasAlpha());
      assertArrayEquals(expected, got.argb(), () -> describe(src) + " " + sw + "x" + sh + "->" + dw + "x" + dh);
    }
  }

  @Test
  void everySplitOfTheRowsGivesTheSamePixels() {
    Raster[] sources = {TestImages.photoLike(157, 93, 11), TestImages.photoLikeWithAlpha(157, 93, 12)};
    for (Raster src : sources) {
      int[] expected = Lanczos3Reference.resize(src, 101, 67).argb();
      for (int parts : new int[] {1, 2, 3, 5, 17}) {
        Lanczos3.Splitter uneven = (n, minRows, body) -> {
          int from = 0;
          for (int p = 0; p < parts; p++) {
            // Uneven parts: the first ones small.
            int to = p == parts - 1 ? n : Math.min(n, from + 1 + p * n / (parts * parts));
            body.rows(from, to);
            from = to;
          }
        };
        assertArrayEquals(expected, Lanczos3.resize(src, 101, 67, uneven).argb(), "parts " + parts);
      }
    }
  }

  @Test
  void demoSizesSameAsReferenceWithAndWithoutRowSplitting() {
    int[][] demo = {{1920, 1080}, {1600, 900}, {2560, 1440}};
    for (int[] s : demo) {
      Raster src = DemoImages.demoRaster(s[0], s[1]);
      int[] expected = Lanczos3Reference.resize(src, 1280, 720).argb();
      Rows.maxParts(CORES);
      assertArrayEquals(expected, Lanczos3.resize(src, 1280, 720).argb(), s[0] + "x" + s[1]);
      Rows.maxParts(1);
      assertArrayEquals(expected, Lanczos3.resize(src, 1280, 720).argb(), s[0] + "x" + s[1] + " unsplit");
    }
    Raster photo = TestImages.photoLike(2304, 1440, 5);
    Rows.maxParts(CORES);
    assertArrayEquals(Lanczos3Reference.resize(photo, 1152, 720).argb(), Lanczos3.resize(photo, 1152, 720).argb());
  }

  /**
   * The constant-run shortcut is exact only if an output's weights sum close enough to 1.0: check
   * that every output of many tap tables passes the test the kernel uses, so the shortcut is taken.
   */
  @Test
  void weightSumsAreCloseEnoughToOneForTheShortcut() {
    int[] sizes = {1, 2, 3, 5, 7, 64, 97, 100, 720, 900, 1080, 1152, 1280, 1440, 1600, 1920, 2304, 2560};
    for (int in : sizes) {
      for (int out : sizes) {
        Lanczos3.Taps t = new Lanczos3.Taps(in, out);
        for (int i = 0; i < out; i++) {
          assertTrue(t.exact[i], in + "->" + out + " output " + i);
        }
      }
    }
  }

  /** Uniform noise; translucent noise includes fully transparent and opaque pixels. */
  static Raster noise(int w, int h, long seed, boolean alpha) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] px = new int[w * h];
    for (int i = 0; i < px.length; i++) {
      int p = rnd.nextInt();
      if (!alpha) {
        p |= 0xFF000000;
      } else if (rnd.nextInt(8) == 0) {
        p &= rnd.nextBoolean() ? 0x00FFFFFF : 0xFFFFFFFF;
      }
      px[i] = alpha && rnd.nextInt(8) == 1 ? (p | 0xFF000000) : p;
    }
    return new Raster(px, w, h, alpha);
  }

  /** The demo picture with alpha rising left to right and a transparent band. */
  static Raster translucent(Raster opaque) {
    int w = opaque.width();
    int h = opaque.height();
    int[] px = opaque.argb().clone();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int a = y % 11 == 3 ? 0 : (int) (255L * x / Math.max(1, w - 1));
        px[y * w + x] = (a << 24) | (px[y * w + x] & 0xFFFFFF);
      }
    }
    return new Raster(px, w, h, true);
  }

  /** Black and white stripes of varying width: the largest ringing, so clipping at 0 and 255. */
  static Raster extremes(int w, int h) {
    int[] px = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean on = ((x / (1 + y % 5)) + (y / 3)) % 2 == 0;
        px[y * w + x] = on ? 0xFFFFFFFF : 0xFF000000;
      }
    }
    return new Raster(px, w, h, false);
  }

  /**
   * A flat background with 1-pixel lines and dots far apart: most taps read the background and a
   * single one the line, which a constant-run shortcut must not miss.
   */
  static Raster thinLines(int w, int h, boolean alpha) {
    int[] px = new int[w * h];
    int background = alpha ? 0x80336699 : 0xFF336699;
    java.util.Arrays.fill(px, background);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (y % 23 == 5 || x % 19 == 7) {
          px[y * w + x] = alpha ? 0x40FFEE00 : 0xFFFFEE00;
        } else if ((x * 7 + y * 13) % 97 == 0) {
          px[y * w + x] = 0xFF000000;
        }
      }
    }
    return new Raster(px, w, h, alpha);
  }

  /** Flat rows, some with a different first or last pixel: a flat-row test must see the row's ends. */
  static Raster edgeDots(int w, int h) {
    int[] px = new int[w * h];
    java.util.Arrays.fill(px, 0xFF808080);
    for (int y = 0; y < h; y++) {
      if (y % 3 == 1) {
        px[y * w + w - 1] = 0xFFFFFFFF;
      }
      if (y % 5 == 2) {
        px[y * w] = 0xFF000000;
      }
    }
    return new Raster(px, w, h, false);
  }

  private static String describe(Raster r) {
    return (r.hasAlpha() ? "translucent " : "opaque ") + Integer.toHexString(r.argb()[0]);
  }
}

package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The original's resize size arithmetic, the limits, and Lanczos3 quality checks. */
class ResizeTest {

  @ParameterizedTest(name = "1920x1080 with ({0},{1},{2}) gives {3}x{4}")
  @CsvSource({
    "800, 600, true, 800, 450",
    "800, 0, true, 800, 450",
    "0, 600, true, 1066, 600",
    "800, 0, false, 800, 1080",
    "0, 0, false, 1920, 1080",
    "4000, 4000, true, 4000, 2250",
    "1280, 720, true, 1280, 720",
    "1, 1, true, 1, 0",
    "0, 0, true, 0, 0",
    "-5, 0, false, 1920, 1080",
  })
  void sizeArithmeticMatchesTheOriginal(int tw, int th, boolean keep, int w, int h) {
    assertEquals(new Size(w, h), ResizeGeometry.target(1920, 1080, tw, th, keep));
  }

  @Test
  void tallImageUpscalesWithoutUpperBoundInTheArithmetic() {
    assertEquals(new Size(50, 5000), ResizeGeometry.target(10, 1000, 50, 0, true));
  }

  @Test
  void zeroResultIsAnError() {
    Raster src = TestImages.solid(1920, 1080, 1, 2, 3);
    ImagingException e = assertThrows(ImagingException.class,
        () -> new Resize(1, 1, true, ImagingLimits.DEFAULT).apply(src));
    assertTrue(e.getMessage().startsWith("height and width must be > 0"), e.getMessage());
    assertThrows(ImagingException.class, () -> new Resize(0, 0, true, ImagingLimits.DEFAULT).apply(src));
    assertThrows(ImagingException.class, () -> new Resize(-10, 0, true, ImagingLimits.DEFAULT).apply(src));
  }

  @Test
  void outputLimitIsAClearError() {
    Raster src = TestImages.solid(100, 100, 1, 2, 3);
    ImagingLimits limits = new ImagingLimits(50_000_000, 1_000_000);
    ImagingException e = assertThrows(ImagingException.class,
        () -> new Resize(2000, 2000, false, limits).apply(src));
    assertEquals("output of 2000x2000 pixels exceeds the limit of 1000000 pixels", e.getMessage());
  }

  @Test
  void resizeProducesTheComputedSizeAndKeepsSolidColour() throws Exception {
    Raster src = TestImages.solid(192, 108, 200, 100, 50);
    Raster out = new Resize(80, 60, true, ImagingLimits.DEFAULT).apply(src);
    assertEquals(80, out.width());
    assertEquals(45, out.height());
    for (int p : out.argb()) {
      assertEquals(0xFFC86432, p);
    }
    Raster up = new Resize(400, 0, true, ImagingLimits.DEFAULT).apply(src);
    assertEquals(400, up.width());
    assertEquals(225, up.height());
    assertEquals(0xFFC86432, up.pixel(200, 100));
  }

  @Test
  void downscaleAveragesFineDetail() throws Exception {
    // A 1-pixel checkerboard shrunk 4x becomes mid grey.
    int[] px = new int[64 * 64];
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        px[y * 64 + x] = ((x + y) & 1) == 0 ? 0xFF000000 : 0xFFFFFFFF;
      }
    }
    Raster out = new Resize(16, 16, true, ImagingLimits.DEFAULT).apply(new Raster(px, 64, 64, false));
    for (int p : out.argb()) {
      assertEquals(127.5, p & 0xFF, 2.0);
    }
  }

  @Test
  void translucentPixelsDoNotBleedTheirHiddenColour() throws Exception {
    // Left half opaque white, right half fully transparent *red*: red must not leak into the edge.
    int[] px = new int[32 * 8];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i % 32) < 16 ? 0xFFFFFFFF : 0x00FF0000;
    }
    Raster out = new Resize(16, 4, false, ImagingLimits.DEFAULT).apply(new Raster(px, 32, 8, true));
    int edge = out.pixel(7, 2);
    assertTrue((edge >>> 24) > 0);
    assertEquals((edge >> 16) & 0xFF, edge & 0xFF, 1, "edge stays white, not pink: " + TestImages.rgb(edge));
  }

  @Test
  void fastPassesEqualAPlainPerChannelLanczos() throws Exception {
    Raster src = TestImages.photoLike(97, 61, 21);
    for (int[] size : new int[][] {{40, 25}, {97, 30}, {50, 61}, {200, 130}}) {
      Raster fast = new Resize(size[0], size[1], false, ImagingLimits.DEFAULT).apply(src);
      int[] expected = plainLanczos(src, size[0], size[1]);
      assertArrayEquals(expected, fast.argb(), size[0] + "x" + size[1]);
    }
  }

  /** The textbook two-pass resampling with the same taps, one channel at a time. */
  private static int[] plainLanczos(Raster src, int dw, int dh) {
    int sw = src.width();
    int sh = src.height();
    int[] tmp = new int[dw * sh];
    if (dw == sw) {
      tmp = src.argb().clone();
    } else {
      Lanczos3.Taps t = new Lanczos3.Taps(sw, dw);
      for (int y = 0; y < sh; y++) {
        for (int x = 0; x < dw; x++) {
          tmp[y * dw + x] = 0xFF000000;
          for (int shift = 0; shift <= 16; shift += 8) {
            int sum = 1 << 21;
            for (int j = 0; j < t.count[x]; j++) {
              sum += ((src.pixel(t.first[x] + j, y) >> shift) & 0xFF) * t.weights[x * t.size + j];
            }
            tmp[y * dw + x] |= Math.max(0, Math.min(255, sum >> 22)) << shift;
          }
        }
      }
    }
    if (dh == sh) {
      return tmp;
    }
    int[] out = new int[dw * dh];
    Lanczos3.Taps t = new Lanczos3.Taps(sh, dh);
    for (int y = 0; y < dh; y++) {
      for (int x = 0; x < dw; x++) {
        out[y * dw + x] = 0xFF000000;
        for (int shift = 0; shift <= 16; shift += 8) {
          int sum = 1 << 21;
          for (int j = 0; j < t.count[y]; j++) {
            sum += ((tmp[(t.first[y] + j) * dw + x] >> shift) & 0xFF) * t.weights[y * t.size + j];
          }
          out[y * dw + x] |= Math.max(0, Math.min(255, sum >> 22)) << shift;
        }
      }
    }
    return out;
  }

  @Test
  void thumbnailFitsAndNeverUpscales() throws Exception {
    Raster src = TestImages.solid(1920, 1080, 9, 9, 9);
    Raster t = new Thumbnail(256, ImagingLimits.DEFAULT).apply(src);
    assertEquals(256, t.width());
    assertEquals(144, t.height());
    Raster big = new Thumbnail(4000, ImagingLimits.DEFAULT).apply(src);
    assertEquals(1920, big.width());
    assertEquals(1080, big.height());
    assertEquals(new Size(1, 256), new Thumbnail(256, ImagingLimits.DEFAULT).outputSize(10, 5000));
    assertThrows(ImagingException.class, () -> new Thumbnail(0, ImagingLimits.DEFAULT).apply(src));
  }
}

package org.imgpipe.imaging;

import static org.imgpipe.testing.TestImages.rgb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The original's filter numbers on a solid (200,100,50) image, plus invariants and alpha rules. */
class FiltersTest {

  private static final Raster SOLID = TestImages.solid(16, 12, 200, 100, 50);

  private static Raster apply(String name, double intensity, Raster r) throws ImagingException {
    return FilterType.parse(name).withIntensity(intensity).apply(r);
  }

  @ParameterizedTest(name = "{0} at {1} gives ({2},{3},{4})")
  @CsvSource({
    "GRAYSCALE, 1.0, 124, 124, 124",
    "SEPIA, 1.0, 164, 146, 114",
    "NEGATIVE, 1.0, 55, 155, 205",
    "BRIGHTNESS, 1.0, 255, 200, 100",
    "CONTRAST, 1.0, 255, 52, 0",
    "GRAYSCALE, 0.5, 162, 112, 87",
    "SEPIA, 0.5, 182, 123, 82",
    "CONTRAST, 0.5, 255, 76, 0",
    "BRIGHTNESS, 0.5, 200, 100, 50",
    "BLUR, 1.0, 200, 100, 50",
    "SHARPEN, 1.0, 200, 100, 50",
  })
  void solidImageNumbersMatchTheOriginal(String name, double intensity, int r, int g, int b) throws Exception {
    Raster out = apply(name, intensity, SOLID);
    int expected = 0xFF000000 | (r << 16) | (g << 8) | b;
    for (int y = 0; y < out.height(); y++) {
      for (int x = 0; x < out.width(); x++) {
        assertEquals(rgb(expected), rgb(out.pixel(x, y)), name + " at (" + x + "," + y + ")");
      }
    }
    assertFalse(out.hasAlpha());
  }

  @Test
  void edgeDetectOfAFlatAreaIsBlackInsideAndKeepsTheBorder() throws Exception {
    Raster out = apply("EDGE_DETECT", 1.0, SOLID);
    assertEquals("(0,0,0)", rgb(out.pixel(5, 5)));
    // Pillow leaves the one-pixel border unfiltered.
    assertEquals("(200,100,50)", rgb(out.pixel(0, 0)));
    assertEquals("(200,100,50)", rgb(out.pixel(15, 11)));
  }

  @Test
  void edgeDetectFindsAnEdge() throws Exception {
    int[] px = new int[10 * 10];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i % 10) < 5 ? 0xFF000000 : 0xFF646464;
    }
    Raster out = apply("EDGE_DETECT", 1.0, new Raster(px, 10, 10, false));
    // The bright side of the edge: 8*100 - (3*100 + 3*0 + 2*100) = 300 -> 255; the dark side clips to 0.
    assertEquals("(255,255,255)", rgb(out.pixel(5, 5)));
    assertEquals("(0,0,0)", rgb(out.pixel(4, 5)));
    assertEquals("(0,0,0)", rgb(out.pixel(7, 5)));
  }

  @Test
  void intensityBelowOneBlendsWithTruncation() throws Exception {
    // NEGATIVE at 0.25: 200 + 0.25 * (55 - 200) = 163.75 -> 163
    assertEquals("(163,113,88)", rgb(apply("NEGATIVE", 0.25, SOLID).pixel(3, 3)));
    // BRIGHTNESS at 0.25: factor 0.5 -> (100,50,25)
    assertEquals("(100,50,25)", rgb(apply("BRIGHTNESS", 0.25, SOLID).pixel(3, 3)));
    // EDGE_DETECT at 0.5 of a flat area: halfway to black, truncated.
    assertEquals("(100,50,25)", rgb(apply("EDGE_DETECT", 0.5, SOLID).pixel(3, 3)));
  }

  @Test
  void sharpenExtrapolatesAwayFromTheSmoothedCopy() throws Exception {
    Raster dot = TestImages.singlePixel(9, 9, 4, 4, 100);
    Raster out = apply("SHARPEN", 1.0, dot);
    // smooth(centre) = round(5*100/13) = 38; 38 + 3 * (100 - 38) = 224
    assertEquals(224, out.pixel(4, 4) & 0xFF);
    // smooth(neighbour) = round(100/13) = 8; 8 + 3 * (0 - 8) < 0 -> 0
    assertEquals(0, out.pixel(3, 4) & 0xFF);
  }

  @Test
  void sharpenDivisionByReciprocalIsExact() {
    for (int v = 0; v <= 13 * 255; v++) {
      assertEquals(Math.round(v / 13.0 - 1e-9), Sharpen.smooth(v), "round(" + v + "/13)");
    }
  }

  @Test
  void sharpenAndEdgeDetectMatchAStraightforwardKernel() throws Exception {
    Raster photo = TestImages.photoLikeWithAlpha(37, 23, 8);
    Raster sharp = apply("SHARPEN", 0.7, photo);
    Raster edges = apply("EDGE_DETECT", 1.0, photo);
    float f = (float) (1 + 2 * 0.7);
    for (int y = 1; y < 22; y++) {
      for (int x = 1; x < 36; x++) {
        for (int shift = 0; shift <= 16; shift += 8) {
          int sum = 0;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              sum += (photo.pixel(x + dx, y + dy) >> shift) & 0xFF;
            }
          }
          int c = (photo.pixel(x, y) >> shift) & 0xFF;
          int smooth = (int) Math.floor((sum + 4 * c) / 13.0 + 0.5);
          float t = smooth + f * (c - smooth);
          int expected = t <= 0 ? 0 : (t >= 255 ? 255 : (int) t);
          assertEquals(expected, (sharp.pixel(x, y) >> shift) & 0xFF, "sharpen at " + x + "," + y);
          int edge = Math.max(0, Math.min(255, 9 * c - sum));
          assertEquals(edge, (edges.pixel(x, y) >> shift) & 0xFF, "edges at " + x + "," + y);
        }
      }
    }
  }

  @Test
  void namesAreCaseInsensitive() throws Exception {
    assertEquals(FilterType.GRAYSCALE, FilterType.parse("grayscale"));
    assertEquals(FilterType.EDGE_DETECT, FilterType.parse(" Edge_Detect "));
  }

  @Test
  void unknownNameListsTheValidOnes() {
    ImagingException e = assertThrows(ImagingException.class, () -> FilterType.parse("FOO"));
    assertEquals("unknown filter 'FOO'; valid filters: GRAYSCALE, BLUR, SHARPEN, EDGE_DETECT, SEPIA, "
        + "NEGATIVE, BRIGHTNESS, CONTRAST", e.getMessage());
    assertThrows(ImagingException.class, () -> FilterType.parse(""));
  }

  @Test
  void negateTwiceIsIdentity() throws Exception {
    Raster photo = TestImages.photoLikeWithAlpha(64, 48, 7);
    Raster twice = apply("NEGATIVE", 1, apply("NEGATIVE", 1, photo));
    assertArrayEquals(photo.argb(), twice.argb());
  }

  @Test
  void grayscaleIsIdempotentAndGrey() throws Exception {
    Raster once = apply("GRAYSCALE", 1, TestImages.photoLike(64, 48, 3));
    Raster twice = apply("GRAYSCALE", 1, once);
    assertArrayEquals(once.argb(), twice.argb());
    for (int p : once.argb()) {
      assertEquals((p >> 16) & 0xFF, p & 0xFF);
      assertEquals((p >> 8) & 0xFF, p & 0xFF);
    }
  }

  @ParameterizedTest
  @EnumSource(FilterType.class)
  void everyFilterKeepsAlpha(FilterType type) throws Exception {
    Raster photo = TestImages.photoLikeWithAlpha(40, 30, 11);
    for (double i : new double[] {1.0, 0.5}) {
      Raster out = type.withIntensity(i).apply(photo);
      assertTrue(out.hasAlpha(), type + " keeps the alpha channel");
      if (type != FilterType.BLUR) {
        for (int k = 0; k < photo.argb().length; k++) {
          assertEquals(photo.argb()[k] >>> 24, out.argb()[k] >>> 24, type + " alpha at " + k);
        }
      }
    }
  }

  @Test
  void negativeKeepsAnOpaqueImageOpaque() throws Exception {
    Raster opaqueWithAlpha = TestImages.solidArgb(8, 8, 0xFFC86432);
    Raster out = apply("NEGATIVE", 1, new Raster(opaqueWithAlpha.argb(), 8, 8, true));
    assertEquals(255, out.pixel(2, 2) >>> 24);
    assertEquals("(55,155,205)", rgb(out.pixel(2, 2)));
  }

  @Test
  void filtersLeaveTheirInputUntouched() throws Exception {
    Raster photo = TestImages.photoLike(32, 24, 5);
    int[] before = photo.argb().clone();
    for (FilterType t : FilterType.values()) {
      t.withIntensity(1).apply(photo);
      t.withIntensity(0.3).apply(photo);
    }
    assertArrayEquals(before, photo.argb());
  }

  @Test
  void blurSigmaFollowsTheOriginal() {
    assertEquals(20, Blur.sigma(1.0));
    assertEquals(16, Blur.sigma(0.8));
    assertEquals(1, Blur.sigma(0.0));
    assertEquals(1, Blur.sigma(0.04));
    assertEquals(1, Blur.sigma(-2));
  }

  @Test
  void nonFiniteIntensityIsAnError() {
    assertThrows(ImagingException.class, () -> FilterType.BLUR.withIntensity(Double.NaN).apply(SOLID));
  }
}

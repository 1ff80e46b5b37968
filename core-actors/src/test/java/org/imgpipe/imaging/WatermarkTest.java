package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Text and logo watermarks: placement from the ink box, font size, opacity, colours. */
class WatermarkTest {

  private static final Raster BLACK = TestImages.solid(1280, 720, 0, 0, 0);

  /** The box of pixels that differ between two rasters: {minX, minY, maxX, maxY}, or null. */
  static int[] inkBox(Raster before, Raster after) {
    int minX = Integer.MAX_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxX = -1;
    int maxY = -1;
    for (int y = 0; y < before.height(); y++) {
      for (int x = 0; x < before.width(); x++) {
        if (before.pixel(x, y) != after.pixel(x, y)) {
          minX = Math.min(minX, x);
          minY = Math.min(minY, y);
          maxX = Math.max(maxX, x);
          maxY = Math.max(maxY, y);
        }
      }
    }
    return maxX < 0 ? null : new int[] {minX, minY, maxX, maxY};
  }

  @ParameterizedTest
  @EnumSource(Position.class)
  void inkLandsInTheNamedPlaceExactlyAtTheMargin(Position position) throws Exception {
    Raster out = new TextWatermark("XML-RPC Demo", position, 30, "#FFFFFF", 0.8).apply(BLACK);
    int[] box = inkBox(BLACK, out);
    int w = 1280;
    int h = 720;
    int inkW = box[2] - box[0] + 1;
    int inkH = box[3] - box[1] + 1;
    assertTrue(inkH >= 18 && inkH <= 30, "ink height " + inkH);
    switch (position) {
      case TOP_LEFT -> {
        assertEquals(20, box[0]);
        assertEquals(20, box[1]);
      }
      case TOP_RIGHT -> {
        assertEquals(w - 21, box[2]);
        assertEquals(20, box[1]);
      }
      case BOTTOM_LEFT -> {
        assertEquals(20, box[0]);
        assertEquals(h - 21, box[3]);
      }
      case BOTTOM_RIGHT -> {
        assertEquals(w - 21, box[2]);
        assertEquals(h - 21, box[3]);
      }
      case CENTER -> {
        assertEquals((w - inkW) / 2, box[0]);
        assertEquals((h - inkH) / 2, box[1]);
      }
    }
  }

  @Test
  void opacityGivesTruncatedAlpha() throws Exception {
    Raster out = new TextWatermark("IIII", Position.TOP_LEFT, 60, "#FFFFFF", 0.8).apply(BLACK);
    int brightest = 0;
    for (int p : out.argb()) {
      brightest = Math.max(brightest, p & 0xFF);
    }
    // alpha = trunc(255 * 0.8) = 204 over black
    assertEquals(204, brightest);
    assertEquals(0xCCFFFFFF, new TextWatermark("x", Position.CENTER, 10, "white", 0.8).inkColor());
    assertEquals(0xFFFFFFFF, new TextWatermark("x", Position.CENTER, 10, "white", 7).inkColor());
    assertEquals(0x00FFFFFF, new TextWatermark("x", Position.CENTER, 10, "white", -1).inkColor());
  }

  @Test
  void opacityZeroChangesNothing() throws Exception {
    Raster photo = TestImages.photoLike(300, 200, 5);
    assertArrayEquals(photo.argb(), new TextWatermark("Hello", Position.CENTER, 40, "red", 0).apply(photo).argb());
    Raster logo = TestImages.solid(50, 50, 255, 0, 0);
    assertArrayEquals(photo.argb(),
        new LogoWatermark(logo, Position.CENTER, 0.2, 0, ImagingLimits.DEFAULT).apply(photo).argb());
  }

  @Test
  void doublingFontSizeAboutDoublesInkHeight() throws Exception {
    int[] small = inkBox(BLACK, new TextWatermark("Hxg", Position.TOP_LEFT, 30, "#fff", 1).apply(BLACK));
    int[] large = inkBox(BLACK, new TextWatermark("Hxg", Position.TOP_LEFT, 60, "#fff", 1).apply(BLACK));
    double ratio = (double) (large[3] - large[1] + 1) / (small[3] - small[1] + 1);
    assertEquals(2.0, ratio, 0.1);
  }

  @Test
  void fontIsBundledDejaVuSans() throws Exception {
    assertEquals("DejaVu Sans", WatermarkFont.base().getFamily(java.util.Locale.ROOT));
  }

  @Test
  void textLargerThanTheImageIsClipped() throws Exception {
    Raster small = TestImages.solid(50, 30, 0, 0, 0);
    Raster out = new TextWatermark("A very long watermark", Position.BOTTOM_RIGHT, 40, "white", 1).apply(small);
    assertTrue(inkBox(small, out) != null);
  }

  @Test
  void emptyTextSucceedsUnchanged() throws Exception {
    assertArrayEquals(BLACK.argb(), new TextWatermark("", Position.BOTTOM_RIGHT, 30, "#FFFFFF", 0.8).apply(BLACK).argb());
  }

  @Test
  void colourFormsAndErrors() throws Exception {
    assertEquals(0xFFFF0000, Colors.parse("#f00"));
    assertEquals(0xFF00FF00, Colors.parse("#00FF00"));
    assertEquals(0xAA00FF00, Colors.parse("#00FF00AA"));
    assertEquals(0xFFFF0000, Colors.parse("FF0000"));
    assertEquals(0xFF663399, Colors.parse("RebeccaPurple"));
    assertEquals(0xFFFFFFFF, Colors.parse("white"));
    ImagingException e = assertThrows(ImagingException.class, () -> Colors.parse("#12"));
    assertTrue(e.getMessage().startsWith("invalid colour '#12'"), e.getMessage());
    assertThrows(ImagingException.class, () -> Colors.parse("notacolour"));
    assertThrows(ImagingException.class, () -> new TextWatermark("x", Position.CENTER, 30, "", 0.5));
  }

  @Test
  void positionsParseAndUnknownIsAnError() throws Exception {
    assertEquals(Position.TOP_LEFT, Position.parse("top-left"));
    assertEquals(Position.BOTTOM_RIGHT, Position.parse("BOTTOM_RIGHT"));
    assertEquals(Position.CENTER, Position.parse("Center"));
    ImagingException e = assertThrows(ImagingException.class, () -> Position.parse("middle"));
    assertEquals("unknown position 'middle'; valid positions: top-left, top-right, bottom-left, "
        + "bottom-right, center", e.getMessage());
  }

  @Test
  void fontSizeOutOfRangeIsAnError() {
    assertThrows(ImagingException.class, () -> new TextWatermark("x", Position.CENTER, 0, "white", 1));
    assertThrows(ImagingException.class, () -> new TextWatermark("x", Position.CENTER, 100_000, "white", 1));
  }

  @Test
  void watermarkKeepsAlphaAndTheSource() throws Exception {
    Raster photo = TestImages.photoLikeWithAlpha(200, 100, 3);
    int[] before = photo.argb().clone();
    Raster out = new TextWatermark("Hi", Position.TOP_LEFT, 30, "white", 1).apply(photo);
    assertTrue(out.hasAlpha());
    assertArrayEquals(before, photo.argb());
  }

  @Test
  void logoIsScaledToTheImageWidthAndPlacedAtTheMargin() throws Exception {
    Raster logo = TestImages.solid(100, 50, 255, 0, 0);
    Raster out = new LogoWatermark(logo, Position.BOTTOM_RIGHT, 0.1, 1.0, ImagingLimits.DEFAULT).apply(BLACK);
    int[] box = inkBox(BLACK, out);
    // width trunc(1280 * 0.1) = 128, height trunc(50 * 128 / 100) = 64
    assertArrayEquals(new int[] {1280 - 20 - 128, 720 - 20 - 64, 1280 - 21, 720 - 21}, box);
    assertEquals(0xFFFF0000, out.pixel(1200, 660));
    Raster half = new LogoWatermark(logo, Position.TOP_LEFT, 0.1, 0.5, ImagingLimits.DEFAULT).apply(BLACK);
    // alpha trunc(255 * 0.5) = 127 -> red 127 over black
    assertEquals(127, (half.pixel(50, 40) >> 16) & 0xFF);
  }

  @Test
  void logoScaleZeroIsAnError() {
    Raster logo = TestImages.solid(10, 10, 1, 2, 3);
    ImagingException e = assertThrows(ImagingException.class,
        () -> new LogoWatermark(logo, Position.CENTER, 0, 1, ImagingLimits.DEFAULT).apply(BLACK));
    assertTrue(e.getMessage().startsWith("height and width must be > 0"), e.getMessage());
  }
}

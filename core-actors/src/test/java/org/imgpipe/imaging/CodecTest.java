package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.util.regex.Pattern;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding and encoding of every format, odd pixel layouts, and refusal of bad input. */
class CodecTest {

  private static final Pattern UNSAFE = Pattern.compile("(@[0-9a-f]{4,})|(\\bat [a-z]+\\.)|Exception|java\\.|0x[0-9a-f]{6,}");

  private final ImageDecoder decoder = new ImageDecoder(ImagingLimits.DEFAULT);
  private final ImageEncoder encoder = new ImageEncoder();

  private static void assertSafe(String message) {
    assertFalse(UNSAFE.matcher(message).find(), "message leaks internals: " + message);
  }

  @Test
  void pngRoundTripIsLossless() throws Exception {
    for (Raster r : new Raster[] {TestImages.photoLike(173, 91, 4), TestImages.photoLikeWithAlpha(64, 33, 9)}) {
      DecodedImage back = decoder.decode(encoder.encode(r, ImageFormat.PNG, 0));
      assertEquals(ImageFormat.PNG, back.format());
      assertEquals(r.hasAlpha(), back.raster().hasAlpha());
      assertArrayEquals(r.argb(), back.raster().argb());
    }
  }

  @ParameterizedTest
  @EnumSource(ImageFormat.class)
  void everyFormatEncodesAndDecodes(ImageFormat format) throws Exception {
    Raster src = TestImages.photoLike(96, 64, 2);
    byte[] bytes = encoder.encode(src, format, 90);
    DecodedImage back = decoder.decode(bytes);
    assertEquals(format, back.format());
    assertEquals(96, back.raster().width());
    assertEquals(64, back.raster().height());
    double meanError = 0;
    for (int i = 0; i < src.argb().length; i++) {
      int a = src.argb()[i];
      int b = back.raster().argb()[i];
      meanError += Math.abs(((a >> 8) & 0xFF) - ((b >> 8) & 0xFF));
    }
    meanError /= src.argb().length;
    assertTrue(meanError < (format == ImageFormat.GIF ? 12 : 6), format + " mean error " + meanError);
  }

  @ParameterizedTest
  @EnumSource(ImageFormat.class)
  void encodingLeavesTheSourceRasterAsItWas(ImageFormat format) throws Exception {
    for (Raster src : new Raster[] {TestImages.photoLike(64, 40, 3), TestImages.photoLikeWithAlpha(64, 40, 4)}) {
      int[] before = src.argb().clone();
      encoder.encode(src, format, 90);
      assertArrayEquals(before, src.argb(), format + " changed the pixels it was given");
    }
  }

  @Test
  void webpKeepsAlpha() throws Exception {
    Raster src = TestImages.photoLikeWithAlpha(64, 32, 1);
    Raster back = decoder.decode(encoder.encode(src, ImageFormat.WEBP, 90)).raster();
    assertTrue(back.hasAlpha());
    assertEquals(255, back.pixel(0, 10) >>> 24, 3);
    assertEquals(0, back.pixel(63, 10) >>> 24, 3);
  }

  @Test
  void jpegFlattensAlphaOntoWhite() throws Exception {
    Raster transparent = TestImages.solidArgb(32, 32, 0x00000000);
    Raster back = decoder.decode(encoder.encode(transparent, ImageFormat.JPEG, 90)).raster();
    assertFalse(back.hasAlpha());
    assertEquals(0xFFFFFFFF, back.pixel(16, 16) | 0x010101, "white: " + TestImages.rgb(back.pixel(16, 16)));
  }

  @Test
  void jpegQualityOutOfRangeMeans85() throws Exception {
    Raster src = TestImages.photoLike(128, 96, 6);
    byte[] q85 = encoder.encode(src, ImageFormat.JPEG, 85);
    assertArrayEquals(q85, encoder.encode(src, ImageFormat.JPEG, 0));
    assertArrayEquals(q85, encoder.encode(src, ImageFormat.JPEG, 101));
    assertArrayEquals(q85, encoder.encode(src, ImageFormat.JPEG, -3));
    assertTrue(encoder.encode(src, ImageFormat.JPEG, 30).length < q85.length);
  }

  @Test
  void formatNamesAreCaseInsensitiveWithJpgAlias() throws Exception {
    assertEquals(ImageFormat.JPEG, ImageFormat.parse("jpg"));
    assertEquals(ImageFormat.JPEG, ImageFormat.parse("Jpeg"));
    assertEquals(ImageFormat.WEBP, ImageFormat.parse("webp"));
    ImagingException e = assertThrows(ImagingException.class, () -> ImageFormat.parse("TIFF"));
    assertEquals("unknown format 'TIFF'; valid formats: PNG, JPEG (or JPG), WEBP, GIF, BMP", e.getMessage());
  }

  @Test
  void paletteImageDecodes() throws Exception {
    byte[] reds = {(byte) 200, 0, 10};
    byte[] greens = {100, (byte) 255, 20};
    byte[] blues = {50, 0, 30};
    BufferedImage img = new BufferedImage(8, 4, BufferedImage.TYPE_BYTE_INDEXED,
        new IndexColorModel(2, 3, reds, greens, blues));
    WritableRaster wr = img.getRaster();
    for (int x = 0; x < 8; x++) {
      wr.setSample(x, 0, 0, x % 3);
    }
    Raster r = decoder.decode(TestImages.imageIo(img, "png")).raster();
    assertEquals("(200,100,50)", TestImages.rgb(r.pixel(0, 0)));
    assertEquals("(0,255,0)", TestImages.rgb(r.pixel(1, 0)));
    assertEquals("(10,20,30)", TestImages.rgb(r.pixel(2, 0)));
    // Palette images can be filtered (the original refused most filters on them).
    Raster neg = FilterType.NEGATIVE.withIntensity(1).apply(r);
    assertEquals("(55,155,205)", TestImages.rgb(neg.pixel(0, 0)));
  }

  @Test
  void paletteWithTransparencyHasAlpha() throws Exception {
    byte[] c = {0, (byte) 255};
    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED,
        new IndexColorModel(1, 2, c, c, c, 0));
    img.getRaster().setSample(1, 1, 0, 1);
    Raster r = decoder.decode(TestImages.imageIo(img, "png")).raster();
    assertTrue(r.hasAlpha());
    assertEquals(0, r.pixel(0, 0) >>> 24);
    assertEquals(0xFFFFFFFF, r.pixel(1, 1));
  }

  @Test
  void grayAndSixteenBitDecodeWithoutGammaShift() throws Exception {
    BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(1, 2, 0, 200);
    Raster g8 = decoder.decode(TestImages.imageIo(gray, "png")).raster();
    assertEquals("(200,200,200)", TestImages.rgb(g8.pixel(1, 2)));
    assertEquals("(0,0,0)", TestImages.rgb(g8.pixel(0, 0)));

    BufferedImage gray16 = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
    gray16.getRaster().setSample(3, 3, 0, 200 * 257);
    Raster g16 = decoder.decode(TestImages.imageIo(gray16, "png")).raster();
    assertEquals("(200,200,200)", TestImages.rgb(g16.pixel(3, 3)));

    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
        new int[] {16, 16, 16, 16}, true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT);
    WritableRaster wr = cm.createCompatibleWritableRaster(4, 4);
    wr.setPixel(2, 1, new int[] {200 * 257, 100 * 257, 50 * 257, 128 * 257});
    BufferedImage rgba16 = new BufferedImage(cm, wr, false, null);
    Raster c16 = decoder.decode(TestImages.imageIo(rgba16, "png")).raster();
    assertTrue(c16.hasAlpha());
    assertEquals("(200,100,50,128)", TestImages.rgb(c16.pixel(2, 1)));
  }

  @ParameterizedTest(name = "EXIF orientation {0}")
  @ValueSource(ints = {1, 3, 6, 8})
  void exifOrientationIsApplied(int orientation) throws Exception {
    // 40x20, left half black, right half white: find where the white ends up.
    int[] px = new int[40 * 20];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i % 40) < 20 ? 0xFF000000 : 0xFFFFFFFF;
    }
    Raster r = decoder.decode(TestImages.jpegWithOrientation(new Raster(px, 40, 20, false), orientation)).raster();
    boolean swapped = orientation >= 5;
    assertEquals(swapped ? 20 : 40, r.width());
    assertEquals(swapped ? 40 : 20, r.height());
    int white = switch (orientation) {
      case 1 -> r.pixel(35, 10); // right half
      case 3 -> r.pixel(5, 10); // rotated 180: left half
      case 6 -> r.pixel(10, 35); // rotated 90 clockwise: bottom half
      default -> r.pixel(10, 5); // rotated 90 counter-clockwise: top half
    };
    assertTrue((white & 0xFF) > 200, "white side at the right place: " + TestImages.rgb(white));
  }

  @Test
  void bombIsRefusedFromItsHeader() {
    byte[] bomb = TestImages.pngClaimingSize(30000, 30000);
    assertTrue(bomb.length < 4096, "bomb is " + bomb.length + " bytes");
    long t = System.nanoTime();
    ImagingException e = assertThrows(ImagingException.class, () -> decoder.decode(bomb));
    long ms = (System.nanoTime() - t) / 1_000_000;
    assertEquals("image of 30000x30000 pixels exceeds the limit of 50000000 pixels", e.getMessage());
    assertTrue(ms < 100, "refused in " + ms + " ms");
  }

  @Test
  void configurableDecodeLimit() throws Exception {
    byte[] png = encoder.encode(TestImages.solid(100, 100, 1, 1, 1), ImageFormat.PNG, 0);
    ImageDecoder strict = new ImageDecoder(new ImagingLimits(9_999, 50_000_000));
    assertThrows(ImagingException.class, () -> strict.decode(png));
    assertEquals(100, new ImageDecoder(new ImagingLimits(10_000, 50_000_000)).decode(png).raster().width());
  }

  @Test
  void notAnImageIsAClearError() {
    ImagingException e = assertThrows(ImagingException.class, () -> decoder.decode("test".getBytes()));
    assertEquals("cannot identify image data (4 bytes): not a PNG, JPEG, WEBP, GIF or BMP image", e.getMessage());
    ImagingException empty = assertThrows(ImagingException.class, () -> decoder.decode(new byte[0]));
    assertEquals("image data is empty", empty.getMessage());
  }

  @Test
  void zeroSizeImageIsAClearError() {
    ImagingException e = assertThrows(ImagingException.class,
        () -> decoder.decode(TestImages.pngClaimingSize(0, 10)));
    assertEquals("image has zero size (0x10)", e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(ImageFormat.class)
  void truncatedAndCorruptInputsAreRefusedWithSafeMessages(ImageFormat format) throws Exception {
    byte[] good = encoder.encode(TestImages.photoLike(120, 80, 8), format, 90);
    for (double fraction : new double[] {0.05, 0.5, 0.9}) {
      byte[] cut = TestImages.truncated(good, fraction);
      long t = System.nanoTime();
      ImagingException e = assertThrows(ImagingException.class, () -> decoder.decode(cut),
          format + " cut to " + fraction);
      assertSafe(e.getMessage());
      assertTrue((System.nanoTime() - t) / 1_000_000 < 2000);
    }
    byte[] garbled = good.clone();
    for (int i = garbled.length / 3; i < garbled.length; i++) {
      garbled[i] = (byte) (i * 31);
    }
    try {
      decoder.decode(garbled);
    } catch (ImagingException e) {
      assertSafe(e.getMessage());
    }
  }
}

package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * The fast decode of 8-bit RGB and RGBA PNGs gives what the general row decoder gives: the same pixels
 * and alpha flag for every row filter and writer, and the same error for damaged files.
 */
class PngStreamingDecodeTest {

  private static List<byte[]> pngs() {
    List<byte[]> list = new ArrayList<>();
    list.add(TestImages.imageIo(DemoImages.demo(1920, 1080), "png"));
    list.add(TestImages.imageIo(DemoImages.demo(333, 17), "png"));
    list.add(TestImages.imageIo(TestImages.photoLikeWithAlpha(201, 99, 3).toBufferedImage(), "png"));
    List<Raster> rasters = List.of(TestImages.photoLike(257, 301, 5), TestImages.photoLikeWithAlpha(140, 77, 6),
        DemoImages.noise(1, 1, 1, false), DemoImages.noise(1, 5, 2, true), DemoImages.noise(7, 1, 3, false),
        DemoImages.noise(2, 700, 4, false));
    for (Raster r : rasters) {
      for (PngCodec.RowFilter f : PngCodec.RowFilter.values()) {
        list.add(PngCodec.encodeInParts(r, f, 1, Deflater.DEFAULT_STRATEGY, 2));
      }
    }
    return list;
  }

  private static String outcome(ThrowingDecode d) {
    try {
      Raster r = d.decode();
      return r == null ? "null" : r.width() + "x" + r.height() + " alpha " + r.hasAlpha() + " "
          + java.util.Arrays.hashCode(r.argb());
    } catch (ImagingException e) {
      return "error " + e.getMessage();
    } catch (RuntimeException e) {
      return "exception " + e.getClass().getSimpleName();
    }
  }

  private interface ThrowingDecode {
    Raster decode() throws ImagingException;
  }

  @Test
  void samePixelsAsTheGeneralDecoder() throws Exception {
    for (byte[] png : pngs()) {
      Raster expected = PngDecoder.decodeRows(png);
      Raster actual = PngDecoder.decode(png);
      assertEquals(expected.hasAlpha(), actual.hasAlpha());
      assertArrayEquals(expected.argb(), actual.argb());
    }
  }

  @Test
  void damagedFilesGiveTheSameOutcome() {
    int checked = 0;
    for (byte[] png : pngs().subList(0, 12)) {
      for (double fraction : new double[] {0.3, 0.6, 0.9, 0.99}) {
        byte[] cut = TestImages.truncated(png, fraction);
        assertEquals(outcome(() -> PngDecoder.decodeRows(cut)), outcome(() -> PngDecoder.decode(cut)),
            "cut at " + fraction);
        checked++;
      }
      // A bad filter byte in the first row and flipped bytes in the middle of the image data.
      for (int k = 0; k < 3; k++) {
        byte[] bad = png.clone();
        int at = 8 + 25 + 8 + 2 + k * (bad.length - 60) / 3;
        if (at < bad.length - 20) {
          bad[at] ^= 0x5A;
          bad[at + 1] ^= 0x33;
          assertEquals(outcome(() -> PngDecoder.decodeRows(bad)), outcome(() -> PngDecoder.decode(bad)),
              "bytes flipped at " + at);
          checked++;
        }
      }
    }
    assertEquals(true, checked > 40);
  }
}

package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Adler32;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PNG encoder's output, whether deflated in one part or several (each its own Deflater, joined
 * into one zlib stream with a combined Adler-32), decodes to the same pixels with the JDK's ImageIO
 * reader and with our decoder, and its zlib stream inflates (checksum checked) to the filtered rows.
 */
class PngEncoderTest {

  @AfterEach
  void splittingBackOn() {
    Rows.maxParts(Integer.MAX_VALUE);
  }

  private static List<Raster> images() {
    List<Raster> list = new ArrayList<>();
    list.add(DemoImages.demoRaster(1280, 720));
    list.add(TestImages.photoLike(301, 403, 2));
    list.add(TestImages.photoLikeWithAlpha(257, 300, 4));
    list.add(DemoImages.noise(97, 515, 6, true));
    list.add(DemoImages.noise(1, 1, 7, false));
    list.add(DemoImages.noise(3, 2, 8, true));
    list.add(DemoImages.noise(5, 9, 9, false));
    return list;
  }

  private static int[] imageIoPixels(byte[] png, Raster like) throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    if (!like.hasAlpha()) {
      for (int i = 0; i < px.length; i++) {
        px[i] |= 0xFF000000;
      }
    }
    return px;
  }

  /** The concatenated IDAT data of a PNG. */
  static byte[] zlibStream(byte[] png) {
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    int pos = 8;
    while (pos + 8 <= png.length) {
      int len = ((png[pos] & 0xFF) << 24) | ((png[pos + 1] & 0xFF) << 16) | ((png[pos + 2] & 0xFF) << 8)
          | (png[pos + 3] & 0xFF);
      String type = new String(png, pos + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
      if (type.equals("IDAT")) {
        z.write(png, pos + 8, len);
      }
      pos += 12 + len;
    }
    return z.toByteArray();
  }

  private static void assertDecodesTo(Raster src, byte[] png, String what) throws Exception {
    assertArrayEquals(src.argb(), imageIoPixels(png, src), "ImageIO: " + what);
    Raster ours = PngCodec.decode(png);
    assertArrayEquals(src.argb(), ours.argb(), "PngDecoder: " + what);
    assertEquals(src.hasAlpha(), ours.hasAlpha());
    // The zlib stream: one header, the parts, one Adler-32 that Inflater checks.
    byte[] z = zlibStream(png);
    assertEquals(0, (((z[0] & 0xFF) << 8) | (z[1] & 0xFF)) % 31, "FCHECK");
    Inflater inf = new Inflater();
    int rowBytes = src.width() * (src.hasAlpha() ? 4 : 3) + 1;
    byte[] raw = new byte[rowBytes * src.height() + 1];
    inf.setInput(z);
    int n = inf.inflate(raw);
    assertTrue(inf.finished(), what);
    assertEquals(0, inf.getRemaining(), what);
    assertEquals(raw.length - 1, n, what);
    inf.end();
  }

  @Test
  void splitStreamsDecodeToTheSamePixelsWithImageIoAndOurDecoder() throws Exception {
    for (Raster r : images()) {
      for (int parts : new int[] {1, 2, 3, 7}) {
        for (PngCodec.RowFilter f : PngCodec.RowFilter.values()) {
          byte[] png = PngCodec.encodeInParts(r, f, PngCodec.LEVEL, Deflater.DEFAULT_STRATEGY, parts);
          assertDecodesTo(r, png, r + " " + f + " in " + parts + " parts");
        }
      }
      for (int level : new int[] {0, 6, 9}) {
        assertDecodesTo(r, PngCodec.encodeInParts(r, PngCodec.FILTER, level, Deflater.DEFAULT_STRATEGY, 3),
            r + " level " + level);
      }
    }
  }

  @Test
  void theEncoderGivesTheSamePixelsWithSplittingOnAndOff() throws Exception {
    for (int parts : new int[] {1, 2}) {
      Rows.maxParts(parts);
      for (Raster r : images()) {
        assertDecodesTo(r, PngCodec.encode(r), r + " with at most " + parts + " parts");
      }
    }
  }

  @Test
  void filteredRowsAreThePngSpecsUpFilter() throws Exception {
    for (Raster r : List.of(TestImages.photoLikeWithAlpha(211, 190, 12), DemoImages.noise(97, 300, 5, false))) {
      byte[] ours = inflate(zlibStream(PngCodec.encodeInParts(r, PngCodec.FILTER, 1, Deflater.DEFAULT_STRATEGY, 3)));
      assertArrayEquals(upFiltered(r), ours, "UP-filtered rows (NONE for the first), alpha " + r.hasAlpha());
    }
  }

  /** The filtered scanlines written out from the PNG specification: R, G, B (, A) minus the row above. */
  private static byte[] upFiltered(Raster r) {
    int bpp = r.hasAlpha() ? 4 : 3;
    int stride = r.width() * bpp + 1;
    byte[] out = new byte[stride * r.height()];
    for (int y = 0; y < r.height(); y++) {
      out[y * stride] = (byte) (y == 0 ? 0 : 2);
      for (int x = 0; x < r.width(); x++) {
        for (int c = 0; c < bpp; c++) {
          int v = channel(r.argb()[y * r.width() + x], c);
          int above = y == 0 ? 0 : channel(r.argb()[(y - 1) * r.width() + x], c);
          out[y * stride + 1 + x * bpp + c] = (byte) (v - above);
        }
      }
    }
    return out;
  }

  private static int channel(int argb, int c) {
    return c == 3 ? argb >>> 24 : (argb >> (16 - 8 * c)) & 0xFF;
  }

  @Test
  void adlerOfTheWholeStreamIsTheCombinationOfTheParts() throws Exception {
    Raster r = DemoImages.noise(64, 300, 13, false);
    byte[] z = zlibStream(PngCodec.encodeInParts(r, PngCodec.RowFilter.NONE, 1, Deflater.DEFAULT_STRATEGY, 5));
    byte[] raw = inflate(z);
    Adler32 adler = new Adler32();
    adler.update(raw);
    int stored = ((z[z.length - 4] & 0xFF) << 24) | ((z[z.length - 3] & 0xFF) << 16)
        | ((z[z.length - 2] & 0xFF) << 8) | (z[z.length - 1] & 0xFF);
    assertEquals((int) adler.getValue(), stored);
  }

  @Test
  void bytewiseSubtractionHasNoBorrowBetweenBytes() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
    for (int i = 0; i < 200_000; i++) {
      int a = i < 65_536 ? (i >> 8) * 0x01010101 : rnd.nextInt();
      int b = i < 65_536 ? (i & 0xFF) * 0x01010101 : rnd.nextInt();
      int d = PngCodec.bytewiseSub(a, b);
      for (int k = 0; k < 32; k += 8) {
        assertEquals((((a >>> k) & 0xFF) - ((b >>> k) & 0xFF)) & 0xFF, (d >>> k) & 0xFF);
      }
    }
  }

  private static byte[] inflate(byte[] z) throws Exception {
    Inflater inf = new Inflater();
    inf.setInput(z);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    while (!inf.finished()) {
      int n = inf.inflate(buf);
      if (n == 0 && inf.needsInput()) {
        throw new AssertionError("truncated stream");
      }
      out.write(buf, 0, n);
    }
    inf.end();
    return out.toByteArray();
  }
}

package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * Hand-made hostile PNGs are refused with a clear message before the decoder allocates what they claim,
 * and integrity checks (CRC, palette indices) hold.
 */
class PngHostileInputTest {

  private final ImageDecoder decoder = new ImageDecoder(ImagingLimits.DEFAULT);

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Bytes this thread allocates while {@code decode} runs, and the error it must end with. */
  record Refusal(ImagingException error, long allocated) {}

  private Refusal refusal(byte[] png) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    ImagingException e = assertThrows(ImagingException.class, () -> decoder.decode(png));
    return new Refusal(e, THREADS.getCurrentThreadAllocatedBytes() - before);
  }

  private static byte[] rgbRow() {
    return CraftedImages.zlib(new byte[] {0, 1, 2, 3});
  }

  @Test
  void aSecondIhdrIsRefusedBeforeItsSizeIsAllocated() throws Exception {
    byte[] png = CraftedImages.doubleIhdr();
    assertEquals(94, png.length);
    Refusal r = refusal(png);
    assertEquals("cannot decode PNG image: it has more than one IHDR chunk", r.error().getMessage());
    // 20000 x 20000 would be 1.2 GB of rows or 1.6 GB of pixels.
    assertTrue(r.allocated() < 1_000_000, r.allocated() + " bytes allocated");
    // The memory estimate is that of the first IHDR, the only one a decode could use.
    ImageDecoder.Header h = decoder.header(png);
    assertEquals(1, h.width());
    assertEquals(1, h.height());
    assertTrue(h.decodeBytes() < 1_000_000, "estimate " + h.decodeBytes());
  }

  @Test
  void anIhdrOfAnyLengthButThirteenIsRefused() {
    for (int extra : new int[] {-1, 1, 100}) {
      byte[] data = java.util.Arrays.copyOf(CraftedImages.Png.ihdrData(1, 1, 8, 2, false), 13 + extra);
      byte[] png = new CraftedImages.Png().chunk("IHDR", data).idat(rgbRow()).iend().bytes();
      ImagingException e = assertThrows(ImagingException.class, () -> decoder.decode(png));
      assertEquals("PNG image is corrupt: its IHDR chunk is " + (13 + extra) + " bytes long, not 13", e.getMessage());
    }
  }

  @Test
  void aSizeWhoseProductOverflowsIsRefusedByTheLimit() {
    byte[] png = new CraftedImages.Png().ihdr(0xFFFFFFFFL, 0xFFFFFFFFL, 8, 2, false).idat(rgbRow()).iend().bytes();
    for (ImagingException e : new ImagingException[] {
        assertThrows(ImagingException.class, () -> decoder.decode(png)),
        assertThrows(ImagingException.class, () -> decoder.header(png))}) {
      assertEquals("image of 4294967295x4294967295 pixels exceeds the limit of 50000000 pixels", e.getMessage());
    }
  }

  @Test
  void chunkLengthsNearTwoToTheThirtyOneAreTruncationNotOverflow() {
    for (long length : new long[] {0x7FFFFFFFL, 0x7FFFFFF8L, 0x80000000L, 0xFFFFFFFFL}) {
      for (String type : new String[] {"tEXt", "IDAT", "PLTE"}) {
        byte[] png = new CraftedImages.Png().ihdr(1, 1, 8, 2, false).idat(rgbRow())
            .chunk((int) length, type, new byte[] {1, 2, 3, 4}, 0).iend().bytes();
        Refusal r = refusal(png);
        assertEquals("cannot decode PNG image: the data is truncated or corrupt", r.error().getMessage(),
            type + " of " + length);
        // Refused by the chunk walk itself, not by an index out of bounds further on.
        assertNull(r.error().getCause(), type + " of " + length + ": " + r.error().getCause());
        assertTrue(r.allocated() < 1_000_000);
      }
    }
  }

  @Test
  void aChunkCrcMismatchIsRefusedInEveryChunkTheDecoderReads() throws Exception {
    byte[] plte = {10, 20, 30, 40, 50, 60};
    byte[] ok = new CraftedImages.Png().ihdr(2, 1, 8, 3, false).chunk("PLTE", plte).chunk("tRNS", new byte[] {0})
        .idat(CraftedImages.zlib(new byte[] {0, 0, 1})).iend().bytes();
    assertEquals(0x000A141E, decoder.decode(ok).raster().pixel(0, 0));
    for (String type : new String[] {"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}) {
      byte[] bad = ok.clone();
      int at = indexOf(bad, type);
      int length = ((bad[at - 4] & 0xFF) << 24) | ((bad[at - 3] & 0xFF) << 16) | ((bad[at - 2] & 0xFF) << 8) | (bad[at - 1] & 0xFF);
      bad[at + 4 + length] ^= 0x01; // first CRC byte
      ImagingException e = assertThrows(ImagingException.class, () -> decoder.decode(bad), type);
      assertEquals("cannot decode PNG image: chunk CRC mismatch in " + type, e.getMessage());
    }
    // A damaged chunk the decoder does not read changes no pixel: it is skipped, as before.
    byte[] text = new CraftedImages.Png().ihdr(2, 1, 8, 3, false).chunk("PLTE", plte)
        .chunk(5, "tEXt", "a\0bcd".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 12345)
        .idat(CraftedImages.zlib(new byte[] {0, 0, 1})).iend().bytes();
    assertEquals(0xFF0A141E, decoder.decode(text).raster().pixel(0, 0));
  }

  @Test
  void aPixelBeyondThePaletteIsRefused() {
    byte[] plte = {10, 20, 30, 40, 50, 60};
    byte[] eight = new CraftedImages.Png().ihdr(3, 1, 8, 3, false).chunk("PLTE", plte)
        .idat(CraftedImages.zlib(new byte[] {0, 0, 1, 5})).iend().bytes();
    assertEquals("cannot decode PNG image: a pixel uses palette entry 5 of a palette of 2 colours",
        assertThrows(ImagingException.class, () -> decoder.decode(eight)).getMessage());
    // 2-bit, interlaced: the last pixel (pass 7... of a 1x2 image, pass 6 here) uses entry 3.
    int[][][] samples = {{{0}}, {{3}}};
    byte[] two = CraftedImages.png(samples, 2, 3, true, new int[] {0x102030, 0x405060, 0x708090}, null);
    assertEquals("cannot decode PNG image: a pixel uses palette entry 3 of a palette of 3 colours",
        assertThrows(ImagingException.class, () -> decoder.decode(two)).getMessage());
  }

  @Test
  void aPaletteImageNeedsItsPaletteBeforeTheImageData() {
    byte[] none = new CraftedImages.Png().ihdr(1, 1, 8, 3, false).idat(CraftedImages.zlib(new byte[] {0, 0}))
        .iend().bytes();
    assertEquals("cannot decode PNG image: a palette image without a PLTE chunk",
        assertThrows(ImagingException.class, () -> decoder.decode(none)).getMessage());
    byte[] late = new CraftedImages.Png().ihdr(1, 1, 8, 3, false).idat(CraftedImages.zlib(new byte[] {0, 0}))
        .chunk("PLTE", new byte[] {1, 2, 3}).iend().bytes();
    assertEquals("cannot decode PNG image: its PLTE chunk is not valid",
        assertThrows(ImagingException.class, () -> decoder.decode(late)).getMessage());
  }

  @Test
  void interlacedSixteenBitKeepsTheHighByteLikeTheRestOfThePipeline() throws Exception {
    // 200 x 7 + 7: samples whose low byte is >= 128 were rounded up by the old ImageIO path.
    int[][][] samples = new int[8][201][4];
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(16);
    for (int[][] row : samples) {
      for (int[] px : row) {
        for (int c = 0; c < 4; c++) {
          px[c] = rnd.nextInt(65536);
        }
      }
    }
    Raster plain = decoder.decode(CraftedImages.png(samples, 16, 6, false, null, null)).raster();
    Raster interlaced = decoder.decode(CraftedImages.png(samples, 16, 6, true, null, null)).raster();
    org.junit.jupiter.api.Assertions.assertArrayEquals(plain.argb(), interlaced.argb());
    int[] px = samples[5][100];
    assertEquals(TestImages.rgb(((px[3] >> 8) << 24) | ((px[0] >> 8) << 16) | ((px[1] >> 8) << 8) | (px[2] >> 8)),
        TestImages.rgb(interlaced.pixel(100, 5)));
  }

  @Test
  void aDeadlinePassedDuringADecodeStopsIt() {
    byte[] png = TestImages.png(DemoImages.noise(3000, 2000, 1, false));
    // Through the general path too: the same image as 16-bit grey, interlaced.
    int[][][] grey = new int[1500][1000][1];
    for (int y = 0; y < 1500; y++) {
      for (int x = 0; x < 1000; x++) {
        grey[y][x][0] = (x * 131 + y * 71) & 0xFFFF;
      }
    }
    byte[] general = CraftedImages.png(grey, 16, 0, true, null, null);
    for (byte[] bytes : new byte[][] {png, general}) {
      ImagingException e = WorkDeadline.during(System.nanoTime() - 1, () -> {
        try {
          decoder.decode(bytes);
          return null;
        } catch (ImagingException x) {
          return x;
        }
      });
      assertEquals("PNG decoding stopped: the request's deadline passed", e.getMessage());
      assertTrue(WorkDeadline.causedBy(e));
    }
  }

  private static int indexOf(byte[] b, String type) {
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    outer:
    for (int i = 8; i + 4 <= b.length; i++) {
      for (int k = 0; k < 4; k++) {
        if (b[i + k] != t[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException(type);
  }
}

package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * Progressive-JPEG scan bombs are refused from their scan count before decoding; a decode that warns
 * stops at its first warning, and one whose deadline passes stops within rows; GIF and BMP readers get
 * the same size and deadline checks.
 */
class JpegHostileInputTest {

  private static final long MS = 1_000_000L;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final ImageDecoder decoder = new ImageDecoder(ImagingLimits.DEFAULT);

  @Test
  void theScanBombOfTheIssueIsRefusedFromItsScanCountQuicklyAndCheaply() throws Exception {
    // 7000x7000 grey, 300 empty AC scans after the DC scan: 301 scans in about 110 KB.
    byte[] bomb = CraftedImages.progressiveGreyScanBomb(7000, 7000, 300, false, 0);
    assertTrue(bomb.length < 200_000, bomb.length + " bytes");
    long t0 = System.nanoTime();
    long a0 = THREADS.getCurrentThreadAllocatedBytes();
    ImagingException e = assertThrows(ImagingException.class, () -> decoder.decode(bomb));
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - a0;
    long ms = (System.nanoTime() - t0) / MS;
    assertEquals("JPEG image has more than 100 scans; at most 100 are allowed", e.getMessage());
    assertTrue(ms < 500, "refused in " + ms + " ms");
    assertTrue(allocated < 1_000_000, allocated + " bytes allocated");
    // The memory estimate refuses it too (a stage reserves nothing for it).
    assertEquals(e.getMessage(), assertThrows(ImagingException.class, () -> decoder.header(bomb)).getMessage());
    // A legal progression of as many scans, the same.
    byte[] legal = CraftedImages.progressiveGreyScanBomb(7000, 7000, 300, true, 0);
    assertEquals(e.getMessage(), assertThrows(ImagingException.class, () -> decoder.decode(legal)).getMessage());
  }

  @Test
  void scansAreCountedUpToTheLimitAndNoFurther() throws Exception {
    byte[] hundred = CraftedImages.progressiveGreyScanBomb(64, 48, 99, true, 0);
    assertEquals(100, HeaderProbe.read(hundred).scans());
    Raster r = decoder.decode(hundred).raster();
    assertEquals(64, r.width());
    assertEquals(0xFF808080, r.pixel(10, 10), "all-zero coefficients are mid grey");
    byte[] hundredOne = CraftedImages.progressiveGreyScanBomb(64, 48, 100, true, 0);
    assertThrows(ImagingException.class, () -> decoder.decode(hundredOne));
    assertEquals(101, HeaderProbe.countScans(hundredOne, sos(hundredOne), 1000));
  }

  @Test
  void aScanBombUnderAHigherLimitStopsWithinRowsOfItsDeadline() {
    ImageDecoder lenient = new ImageDecoder(ImagingLimits.DEFAULT, 1000);
    byte[] bomb = CraftedImages.progressiveGreyScanBomb(7000, 7000, 300, false, 0);
    // Compiled code and a loaded decoder.
    assertEquals(7000, decode(lenient, CraftedImages.progressiveGreyScanBomb(7000, 7000, 2, false, 0)).width());
    long deadline = System.nanoTime() + 300 * MS;
    WorkDeadlineTest.Late late = WorkDeadlineTest.stopsAt(deadline, () -> decode(lenient, bomb));
    ImagingException e = (ImagingException) late.stop().getCause();
    assertEquals("JPEG decoding stopped: the request's deadline passed", e.getMessage());
    // Checked at every decoded row of every pass (a pass of 49 MP is 30 ms or more); the whole decode is
    // about 12 s.
    System.out.println("JPEG 7000x7000, 301 scans under a limit of 1000: " + late);
    assertTrue(late.cpuMillis() < 60, late.toString());
  }

  @Test
  void aWarningStopsTheReadAtOnceNotAfterTheRemainingScans() {
    ImageDecoder lenient = new ImageDecoder(ImagingLimits.DEFAULT, 1000);
    // Two stray bytes after the third of 300 scans: libjpeg warns, and goes on if let.
    byte[] bomb = CraftedImages.progressiveGreyScanBomb(7000, 7000, 300, false, 3);
    long c0 = THREADS.getCurrentThreadUserTime();
    long t0 = System.nanoTime();
    ImagingException e = assertThrows(ImagingException.class, () -> lenient.decode(bomb));
    long cpu = (THREADS.getCurrentThreadUserTime() - c0) / MS;
    assertEquals("cannot decode JPEG image: the data is truncated or corrupt", e.getMessage());
    // Four passes of about 30 ms; the 297 after the warning would be 9 s.
    System.out.println("JPEG 7000x7000, 301 scans, stray bytes after the third: " + cpu + " ms of CPU, "
        + (System.nanoTime() - t0) / MS + " ms");
    assertTrue(cpu < 1500, cpu + " ms of CPU, " + (System.nanoTime() - t0) / MS + " ms");
  }

  @Test
  void aBaselineJpegStopsAtItsDeadlineToo() {
    byte[] jpeg = TestImages.jpeg(DemoImages.noise(2000, 1500, 3, false), 90);
    ImagingException e = WorkDeadline.during(System.nanoTime() - 1, () -> {
      try {
        decoder.decode(jpeg);
        return null;
      } catch (ImagingException x) {
        return x;
      }
    });
    assertEquals("JPEG decoding stopped: the request's deadline passed", e.getMessage());
  }

  @Test
  void aSecondFrameHeaderIsRefused() {
    byte[] one = CraftedImages.jpegFrame(10, 10, 3);
    byte[] two = new byte[one.length + 19];
    // SOI, SOF, SOF again, then the scan header.
    int sofLength = 2 + 8 + 9;
    System.arraycopy(one, 0, two, 0, 2 + sofLength);
    System.arraycopy(one, 2, two, 2 + sofLength, sofLength);
    System.arraycopy(one, 2 + sofLength, two, 2 + 2 * sofLength, one.length - 2 - sofLength);
    assertEquals("JPEG image is corrupt: it has more than one frame header",
        assertThrows(ImagingException.class, () -> decoder.decode(two)).getMessage());
  }

  @Test
  void bmpWithEmbeddedPngOrJpegIsRefusedAndOffsetsMustLieInsideTheFile() throws Exception {
    byte[] bmp = TestImages.encode(TestImages.photoLike(20, 10, 1), ImageFormat.BMP, 0);
    assertEquals(20, decoder.decode(bmp).raster().width());
    for (int compression : new int[] {4, 5}) {
      byte[] embedded = bmp.clone();
      embedded[30] = (byte) compression;
      assertEquals("BMP images with embedded JPEG or PNG data are not supported",
          assertThrows(ImagingException.class, () -> decoder.decode(embedded)).getMessage());
    }
    byte[] far = bmp.clone();
    far[10] = (byte) 0xF0;
    far[11] = (byte) 0xFF;
    far[12] = (byte) 0xFF;
    far[13] = (byte) 0x7F;
    assertEquals("BMP image is corrupt: its pixel data offset is outside the file",
        assertThrows(ImagingException.class, () -> decoder.decode(far)).getMessage());
  }

  @Test
  void aGifsSizeIsItsFirstFramesNotItsScreens() throws Exception {
    // Found by the fuzzer: a logical screen of 116x5 around a frame of 9x5; the reader decodes the frame.
    byte[] gif = java.nio.file.Files.readAllBytes(java.nio.file.Paths.get(getClass()
        .getResource("GifDecoderFuzzTestInputs/decode/found-screen-wider-than-frame.gif").toURI()));
    gif = FuzzDecoding.withSignature(gif, FuzzDecoding.GIF);
    ImageDecoder.Header h = decoder.header(gif);
    assertEquals("9x5", h.width() + "x" + h.height());
    Raster r = decoder.decode(gif).raster();
    assertEquals("9x5", r.width() + "x" + r.height());
    // A screen beyond the limit around a small frame costs nothing: only the frame is allocated.
    byte[] wide = gif.clone();
    wide[6] = (byte) 0xFF;
    wide[7] = (byte) 0xFF;
    wide[8] = (byte) 0xFF;
    wide[9] = (byte) 0xFF;
    assertEquals(9, decoder.decode(wide).raster().width());
  }

  @Test
  void gifAndBmpStopAtTheirDeadline() {
    Raster r = DemoImages.noise(1500, 1000, 4, false);
    for (ImageFormat f : new ImageFormat[] {ImageFormat.GIF, ImageFormat.BMP}) {
      byte[] bytes = TestImages.encode(r, f, 0);
      ImagingException e = WorkDeadline.during(System.nanoTime() - 1, () -> {
        try {
          decoder.decode(bytes);
          return null;
        } catch (ImagingException x) {
          return x;
        }
      });
      assertEquals(f + " decoding stopped: the request's deadline passed", e.getMessage());
    }
  }

  private static Raster decode(ImageDecoder d, byte[] bytes) {
    try {
      return d.decode(bytes).raster();
    } catch (ImagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int sos(byte[] b) {
    for (int i = 2; i + 1 < b.length; i++) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xDA) {
        return i;
      }
    }
    throw new IllegalArgumentException("no SOS");
  }
}

package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The decode estimate ({@link ImageDecoder.Header#decodeBytes}) is an upper bound of the memory each
 * decode path really takes. imgpipe's own decoders (PNG, and WebP through dwebp's PNG) allocate no
 * garbage: every byte the decoding thread allocates is counted (ThreadMXBean), an upper bound of the
 * live peak. ImageIO's readers (JPEG, GIF, BMP) also allocate a scratch row per decoded row, garbage at
 * once (a progressive JPEG: 12 bytes a pixel per pass); for them the measure is the arrays that hold
 * pixels (recorded by JFR, summed as if all were live together) plus a row. Representative inputs of
 * every path: PNG fast and general (16-bit, interlaced, palette, low-bit, one very wide row), JPEG
 * through the 3-byte image and packed, grey, progressive, EXIF-turned, GIF, BMP of 1 to 24 bits, WebP
 * lossy and with alpha.
 */
class DecodeMemoryTest {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static final List<String> TABLE = new ArrayList<>();

  private final ImageDecoder decoder = new ImageDecoder(new ImagingLimits(60_000_000L, 60_000_000L));

  /** Decodes {@code bytes} twice (the first loads classes and tables); measures the second. */
  private long measure(String what, byte[] bytes) throws Exception {
    ImageDecoder.Header header = decoder.header(bytes);
    decoder.decode(bytes);
    boolean imageIo = header.format() == ImageFormat.JPEG || header.format() == ImageFormat.GIF
        || header.format() == ImageFormat.BMP;
    LargeArrays large = imageIo ? new LargeArrays() : null;
    long before = THREADS.getCurrentThreadAllocatedBytes();
    Raster r = decoder.decode(bytes).raster();
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    long px = (long) r.width() * r.height();
    assertEquals((long) header.width() * header.height(), px, "an EXIF turn swaps the sides only");
    long measured = allocated;
    String largeMb = "";
    if (large != null) {
      long arrays = large.stop(Math.max(LargeArrays.HUMONGOUS, px / 8));
      assertTrue(arrays >= 4 * px, what + ": the raster itself was not recorded (" + arrays + ")");
      // One row of the reader's scratch (rows are copied one at a time) besides the pixel stores.
      measured = Math.min(allocated, arrays + 64L * r.width());
      largeMb = String.format(Locale.ROOT, "%.1f", arrays / 1e6);
    }
    TABLE.add(String.format(Locale.ROOT, "| %s | %dx%d | %d | %.1f | %.1f | %s |", what, r.width(), r.height(),
        bytes.length, header.decodeBytes() / 1e6, allocated / 1e6, largeMb));
    assertTrue(measured <= header.decodeBytes(), what + ": measured " + measured + " > estimate " + header.decodeBytes());
    if (px >= 1_000_000) {
      // An upper bound, not a blanket: within 1.6 times the measure (plus the fixed part) for large images.
      assertTrue(header.decodeBytes() <= 1.6 * measured + ImageDecoder.DECODER_OVERHEAD_BYTES + 4 * px,
          what + ": estimate " + header.decodeBytes() + " far above " + measured);
    }
    return measured;
  }

  private static byte[] samples(int w, int h, int depth, int colorType, boolean interlaced, long seed) {
    int channels = PngDecoder.channels(colorType);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    int[][][] s = new int[h][w][channels];
    int max = colorType == 3 ? 15 : (1 << depth) - 1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < channels; c++) {
          // Smooth with some noise, like a photo: compresses somewhat.
          s[y][x][c] = Math.min(max, ((x * 7 + y * 3 + c * 50) * (max / 255 + 1) + rnd.nextInt(max / 16 + 1)) % (max + 1));
        }
      }
    }
    int[] palette = null;
    if (colorType == 3) {
      palette = new int[16];
      for (int i = 0; i < 16; i++) {
        palette[i] = i * 0x101010;
      }
    }
    return CraftedImages.png(s, depth, colorType, interlaced, palette, null);
  }

  @Test
  void pngEveryPath() throws Exception {
    measure("PNG 8-bit RGB (fast path)", TestImages.png(DemoImages.noise(2000, 1500, 1, false)));
    measure("PNG 8-bit RGBA (fast path)", TestImages.png(DemoImages.noise(2000, 1500, 2, true)));
    measure("PNG 16-bit RGBA", samples(1200, 1000, 16, 6, false, 3));
    measure("PNG 16-bit RGBA interlaced", samples(1200, 1000, 16, 6, true, 4));
    measure("PNG 16-bit RGB interlaced", samples(1200, 1000, 16, 2, true, 5));
    measure("PNG 16-bit grey+alpha", samples(1200, 1000, 16, 4, false, 6));
    measure("PNG 8-bit palette", samples(1200, 1000, 8, 3, false, 7));
    measure("PNG 4-bit palette interlaced", samples(1200, 1000, 4, 3, true, 8));
    measure("PNG 1-bit grey", samples(1200, 1000, 1, 0, false, 9));
    measure("PNG 16-bit RGBA, one row of 300000", samples(300_000, 1, 16, 6, false, 10));
  }

  @Test
  void sixteenBitRgbaOfTheIssueNowTakesItsRasterAndTwoRows() throws Exception {
    // 7000x7000 16-bit RGBA of one colour: 381 KB of file. It took 560 MiB (rows 392 MB + raster 196 MB).
    int w = 7000;
    byte[] row = new byte[1 + 8 * w];
    java.util.Arrays.fill(row, 1, row.length, (byte) 0x40);
    java.util.zip.Deflater d = new java.util.zip.Deflater(9);
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    for (int y = 0; y < w; y++) {
      d.setInput(row);
      while (!d.needsInput()) {
        z.write(buf, 0, d.deflate(buf));
      }
    }
    d.finish();
    while (!d.finished()) {
      z.write(buf, 0, d.deflate(buf));
    }
    d.end();
    byte[] png = new CraftedImages.Png().ihdr(w, w, 16, 6, false).idat(z.toByteArray()).iend().bytes();
    long allocated = measure("PNG 16-bit RGBA 7000x7000 (the issue's)", png);
    assertTrue(allocated < 4L * w * w + 1_000_000, allocated + " bytes");
  }

  @Test
  void jpegEveryPath() throws Exception {
    Raster photo = DemoImages.noise(2000, 1500, 11, false);
    measure("JPEG colour (3-byte image)", TestImages.jpeg(photo, 90));
    measure("JPEG colour, EXIF orientation 6", TestImages.jpegWithOrientation(photo, 6));
    measure("JPEG colour progressive", progressive(photo.toBufferedImage()));
    BufferedImage grey = new BufferedImage(2000, 1500, BufferedImage.TYPE_BYTE_GRAY);
    grey.getGraphics().drawImage(photo.toBufferedImage(), 0, 0, null);
    measure("JPEG grey", TestImages.imageIo(grey, "jpeg"));
    measure("JPEG grey progressive", progressive(grey));
    Raster big = DemoImages.noise(4100, 4000, 12, false);
    measure("JPEG colour 16.4 MP (packed)", TestImages.jpeg(big, 80));
    measure("JPEG colour 16.4 MP (packed), EXIF orientation 8", TestImages.jpegWithOrientation(big, 8));
  }

  @Test
  void gifBmpAndWebp() throws Exception {
    Raster photo = DemoImages.noise(2000, 1500, 13, false);
    measure("GIF", TestImages.encode(photo, ImageFormat.GIF, 0));
    measure("BMP 24-bit", TestImages.encode(photo, ImageFormat.BMP, 0));
    BufferedImage rgb = photo.toBufferedImage();
    BufferedImage indexed = new BufferedImage(2000, 1500, BufferedImage.TYPE_BYTE_INDEXED);
    indexed.getGraphics().drawImage(rgb, 0, 0, null);
    measure("BMP 8-bit palette", TestImages.imageIo(indexed, "bmp"));
    BufferedImage binary = new BufferedImage(2000, 1500, BufferedImage.TYPE_BYTE_BINARY);
    binary.getGraphics().drawImage(rgb, 0, 0, null);
    measure("BMP 1-bit", TestImages.imageIo(binary, "bmp"));
    BufferedImage ushort = new BufferedImage(2000, 1500, BufferedImage.TYPE_USHORT_565_RGB);
    ushort.getGraphics().drawImage(rgb, 0, 0, null);
    measure("BMP 16-bit", TestImages.imageIo(ushort, "bmp"));
    measure("WEBP lossy", TestImages.encode(photo, ImageFormat.WEBP, 80));
    measure("WEBP with alpha", TestImages.encode(DemoImages.noise(2000, 1500, 14, true), ImageFormat.WEBP, 80));
  }

  @Test
  void libjpegsCoefficientBufferIsCountedForMultiScanFiles() throws Exception {
    // Outside the heap, so not measured above: 2 bytes per coefficient, 64 per 8x8 block.
    byte[] grey = CraftedImages.progressiveGreyScanBomb(7000, 7000, 5, true, 0);
    assertEquals(875L * 875 * 128, HeaderProbe.read(grey).nativeBytes());
    assertEquals(0, HeaderProbe.read(TestImages.jpeg(TestImages.solid(16, 16, 1, 2, 3), 90)).nativeBytes());
    // 4:2:0 colour: luma 2x2 blocks per MCU, chroma 1.
    Raster photo = DemoImages.noise(640, 480, 15, false);
    HeaderProbe.Header h = HeaderProbe.read(progressive(photo.toBufferedImage()));
    assertEquals((80L * 60 + 2 * 40 * 30) * 128, h.nativeBytes());
    assertTrue(decoder.header(progressive(photo.toBufferedImage())).decodeBytes() > h.nativeBytes() + 4L * 640 * 480);
  }

  private static byte[] progressive(BufferedImage img) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(img, null, null), p);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}

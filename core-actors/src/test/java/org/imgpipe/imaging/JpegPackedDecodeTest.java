package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * Large colour JPEGs are decoded straight into packed ints (a TYPE_INT_RGB destination) instead of a
 * 3-byte image converted afterwards: the pixels must be exactly those of ImageIO's own default read,
 * which smaller JPEGs still take. The tests lower the size above which the packed path is taken.
 */
class JpegPackedDecodeTest {

  private static int[] imageIoPixels(byte[] jpeg) throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
    int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    return px;
  }

  /** Decoded through the packed path (any JPEG above 0 pixels). */
  private static int[] decoded(byte[] jpeg) throws Exception {
    Raster r = ImageDecoder.imageIo(jpeg, ImageFormat.JPEG, 0);
    assertFalse(r.hasAlpha());
    return r.argb();
  }

  @Test
  void theDecodeEstimateCountsAThreeByteCopyOnlyBelowThePackedSize() throws Exception {
    ImageDecoder decoder = new ImageDecoder(new ImagingLimits(100_000_000L, 100_000_000L));
    // Two colour JPEG headers, just below and just above the packed size (only the header is read).
    long small = decoder.header(CraftedImages.jpegFrame(4000, 4000, 3)).decodeBytes();
    long large = decoder.header(CraftedImages.jpegFrame(4000, 4001, 3)).decodeBytes();
    assertEquals(16_000_000L, 4000L * 4000);
    assertEquals(true, small >= 7L * 16_000_000, "small: " + small);
    assertEquals(true, large >= 4L * 16_004_000 && large < 5L * 16_004_000, "large: " + large);
  }

  @Test
  void baselineColourJpegMatchesImageIoExactly() throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(643, 401, 11), 90);
    assertArrayEquals(imageIoPixels(jpeg), decoded(jpeg));
  }

  @Test
  void progressiveColourJpegMatchesImageIoExactly() throws Exception {
    BufferedImage img = TestImages.photoLike(320, 200, 12).toBufferedImage();
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
    byte[] jpeg = out.toByteArray();
    assertArrayEquals(imageIoPixels(jpeg), decoded(jpeg));
  }

  @Test
  void greyJpegStillDecodesToGreyPixels() throws Exception {
    BufferedImage grey = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
    Random rnd = new Random(3);
    byte[] data = ((java.awt.image.DataBufferByte) grey.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (100 + rnd.nextInt(20));
    }
    int[] px = decoded(TestImages.imageIo(grey, "jpeg"));
    assertEquals(64 * 48, px.length);
    for (int p : px) {
      int r = (p >> 16) & 0xFF;
      assertEquals(0xFF, p >>> 24);
      assertEquals(r, (p >> 8) & 0xFF);
      assertEquals(r, p & 0xFF);
      assertEquals(true, r >= 85 && r <= 135, "grey level " + r);
    }
  }
}

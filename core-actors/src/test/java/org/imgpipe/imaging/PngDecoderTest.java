package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** imgpipe's own PNG decoder agrees with the JDK's on every layout the JDK writes. */
class PngDecoderTest {

  private final ImageDecoder decoder = new ImageDecoder(ImagingLimits.DEFAULT);

  @ParameterizedTest(name = "{0}-bit palette")
  @ValueSource(ints = {1, 2, 4, 8})
  void lowBitPalettesDecode(int bits) throws Exception {
    int colours = 1 << bits;
    byte[] r = new byte[colours];
    byte[] g = new byte[colours];
    byte[] b = new byte[colours];
    for (int i = 0; i < colours; i++) {
      r[i] = (byte) (i * 37);
      g[i] = (byte) (255 - i * 11);
      b[i] = (byte) (i * 5);
    }
    IndexColorModel cm = new IndexColorModel(bits, colours, r, g, b);
    BufferedImage img = new BufferedImage(13, 7, bits == 8 ? BufferedImage.TYPE_BYTE_INDEXED
        : BufferedImage.TYPE_BYTE_BINARY, cm);
    WritableRaster wr = img.getRaster();
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 13; x++) {
        wr.setSample(x, y, 0, (x * 3 + y) % colours);
      }
    }
    Raster out = decoder.decode(TestImages.imageIo(img, "png")).raster();
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 13; x++) {
        assertEquals(TestImages.rgb(img.getRGB(x, y)), TestImages.rgb(out.pixel(x, y)), "at " + x + "," + y);
      }
    }
  }

  @Test
  void greyWithAlphaDecodes() throws Exception {
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
        new int[] {8, 8}, true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
    WritableRaster wr = cm.createCompatibleWritableRaster(5, 3);
    wr.setPixel(4, 2, new int[] {90, 60});
    Raster out = decoder.decode(TestImages.imageIo(new BufferedImage(cm, wr, false, null), "png")).raster();
    assertTrue(out.hasAlpha());
    assertEquals("(90,90,90,60)", TestImages.rgb(out.pixel(4, 2)));
    assertEquals(0, out.pixel(0, 0) >>> 24);
  }

  @Test
  void oneBitGreyDecodes() throws Exception {
    BufferedImage img = new BufferedImage(10, 2, BufferedImage.TYPE_BYTE_BINARY);
    img.setRGB(3, 1, 0xFFFFFFFF);
    Raster out = decoder.decode(TestImages.imageIo(img, "png")).raster();
    assertEquals(0xFFFFFFFF, out.pixel(3, 1));
    assertEquals(0xFF000000, out.pixel(2, 1));
  }

  @Test
  void interlacedAndEveryFilterTypeDecodeLosslessly() throws Exception {
    Raster photo = TestImages.photoLikeWithAlpha(77, 41, 12);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(photo.toBufferedImage(), null, null), p);
    }
    writer.dispose();
    assertArrayEquals(photo.argb(), decoder.decode(bytes.toByteArray()).raster().argb());
    // The JDK's writer picks filters adaptively (all five occur on a photo), unlike imgpipe's.
    Raster opaque = TestImages.photoLike(120, 90, 2);
    assertArrayEquals(opaque.argb(), decoder.decode(TestImages.imageIo(opaque.toBufferedImage(), "png")).raster().argb());
  }

  @Test
  void everyEncoderFilterRoundTrips() throws Exception {
    Raster photo = TestImages.photoLikeWithAlpha(50, 20, 3);
    for (PngCodec.RowFilter f : PngCodec.RowFilter.values()) {
      byte[] png = PngCodec.encode(photo, f, 1, java.util.zip.Deflater.DEFAULT_STRATEGY);
      assertArrayEquals(photo.argb(), decoder.decode(png).raster().argb(), f.name());
    }
  }
}

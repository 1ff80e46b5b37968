package org.imgpipe.imaging;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** PNG decoding and encoding. */
final class PngCodec {

  private PngCodec() {}

  static Raster decode(byte[] bytes) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
    if (img == null) {
      throw new IOException("unreadable");
    }
    return Raster.fromBufferedImage(img);
  }

  static byte[] encode(Raster r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(r.toBufferedImage(), "png", out);
    return out.toByteArray();
  }
}

package org.imgpipe.imaging;

import com.sksamuel.scrimage.ImmutableImage;
import com.sksamuel.scrimage.metadata.ImageMetadata;
import com.sksamuel.scrimage.webp.WebpWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Encodes a raster. PNG is lossless and keeps alpha; JPEG flattens alpha onto white; WEBP is lossy
 * at the quality and keeps alpha; GIF keeps 1-bit transparency; BMP is written opaque (flattened
 * onto white). A quality of 0 or less, or above 100, means 85. The ImageIO and WebP writers read the
 * raster's own pixels (a view, not a copy).
 */
public final class ImageEncoder {

  /** The quality used when the requested one is out of range, as in the original. */
  public static final int DEFAULT_QUALITY = 85;

  static {
    ImageIO.setUseCache(false);
  }

  public byte[] encode(Raster raster, ImageFormat format, int quality) throws ImagingException {
    int q = quality <= 0 || quality > 100 ? DEFAULT_QUALITY : quality;
    try {
      return switch (format) {
        case PNG -> PngCodec.encode(raster);
        case JPEG -> jpeg(flattenOnWhite(raster), q);
        case WEBP -> webp(raster, q);
        case GIF -> imageIo(AwtPixels.view(raster), "gif");
        case BMP -> imageIo(AwtPixels.view(flattenOnWhite(raster)), "bmp");
      };
    } catch (WorkDeadline.Passed e) {
      throw new ImagingException(WorkDeadline.stopped(format + " encoding"), e);
    } catch (IOException | RuntimeException e) {
      throw new ImagingException("cannot encode the image as " + format, e);
    }
  }

  /** The raster composited over opaque white (unchanged if it has no alpha). */
  static Raster flattenOnWhite(Raster r) {
    if (!r.hasAlpha()) {
      return r;
    }
    int[] in = r.argb();
    int[] out = new int[in.length];
    for (int i = 0; i < in.length; i++) {
      int p = in[i];
      int a = p >>> 24;
      if (a == 255) {
        out[i] = p;
        continue;
      }
      int inv = 255 - a;
      int cr = Lanczos3.mul255((p >> 16) & 0xFF, a) + inv;
      int cg = Lanczos3.mul255((p >> 8) & 0xFF, a) + inv;
      int cb = Lanczos3.mul255(p & 0xFF, a) + inv;
      out[i] = 0xFF000000 | (cr << 16) | (cg << 8) | cb;
    }
    return new Raster(out, r.width(), r.height(), false);
  }

  private static byte[] jpeg(Raster r, int quality) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      writer.write(null, new IIOImage(AwtPixels.view(r), null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** cwebp, through scrimage-webp, from imgpipe's private copy of the executables; the deadline kills it. */
  private static byte[] webp(Raster r, int quality) throws IOException {
    WebpBinaries.install();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WebpWriter writer = WebpWriter.DEFAULT.withQ(quality);
    WebpWriter w = r.hasAlpha() ? writer : writer.withoutAlpha();
    try {
      WorkDeadline.interrupting("WEBP encoding", () -> {
        w.write(ImmutableImage.wrapAwt(AwtPixels.view(r)), ImageMetadata.empty, out);
        return null;
      });
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] imageIo(BufferedImage img, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, name.toLowerCase(Locale.ROOT), out)) {
      throw new IOException("no writer");
    }
    return out.toByteArray();
  }
}

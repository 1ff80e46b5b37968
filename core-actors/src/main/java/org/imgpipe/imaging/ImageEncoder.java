package org.imgpipe.imaging;

import com.sksamuel.scrimage.ImmutableImage;
import com.sksamuel.scrimage.metadata.ImageMetadata;
import com.sksamuel.scrimage.webp.WebpWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;

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
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality / 100f);
    return write(writer, AwtPixels.view(r), param);
  }

  /**
   * Writes through ImageIO into a byte array (no cached copy). The writer's progress callbacks check the
   * deadline, and throw: that stops the native JPEG writer too.
   */
  private static byte[] write(ImageWriter writer, BufferedImage img, ImageWriteParam param) throws IOException {
    BytesImageOutput out = new BytesImageOutput();
    try {
      writer.addIIOWriteProgressListener(new DeadlineWatch());
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** Checks the deadline from an ImageIO writer's progress callbacks. */
  private static final class DeadlineWatch implements javax.imageio.event.IIOWriteProgressListener {
    @Override
    public void imageStarted(ImageWriter source, int imageIndex) {
      WorkDeadline.check();
    }

    @Override
    public void imageProgress(ImageWriter source, float percentageDone) {
      WorkDeadline.check();
    }

    @Override
    public void imageComplete(ImageWriter source) {
    }

    @Override
    public void thumbnailStarted(ImageWriter source, int imageIndex, int thumbnailIndex) {
    }

    @Override
    public void thumbnailProgress(ImageWriter source, float percentageDone) {
    }

    @Override
    public void thumbnailComplete(ImageWriter source) {
    }

    @Override
    public void writeAborted(ImageWriter source) {
    }
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
    Iterator<ImageWriter> writers = ImageIO.getImageWriters(ImageTypeSpecifier.createFromRenderedImage(img), name);
    if (!writers.hasNext()) {
      throw new IOException("no writer");
    }
    ImageWriter writer = writers.next();
    return write(writer, img, writer.getDefaultWriteParam());
  }
}

package org.imgpipe.imaging;

import com.sksamuel.scrimage.webp.WebpImageReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG, WEBP, GIF (first frame) and BMP bytes into a {@link Raster}. The header's
 * pixel count is checked against the limit before any pixel is decoded; JPEG EXIF orientation is
 * applied. Every failure is an {@link ImagingException} with a client-safe message.
 */
public final class ImageDecoder {

  static {
    ImageIO.setUseCache(false);
  }

  private final ImagingLimits limits;

  public ImageDecoder(ImagingLimits limits) {
    this.limits = limits;
  }

  public DecodedImage decode(byte[] bytes) throws ImagingException {
    HeaderProbe.Header header = HeaderProbe.read(bytes);
    limits.checkDecoded(header.width(), header.height());
    Raster raster;
    try {
      raster = switch (header.format()) {
        case PNG -> PngCodec.decode(bytes);
        case WEBP -> webp(bytes);
        default -> imageIo(bytes, header.format());
      };
    } catch (ImagingException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ImagingException(corrupt(header.format()), e);
    } catch (OutOfMemoryError e) {
      throw new ImagingException("not enough memory to decode this " + header.format() + " image", e);
    }
    if (header.format() == ImageFormat.JPEG) {
      raster = ExifOrientation.apply(raster, ExifOrientation.read(bytes));
    }
    return new DecodedImage(raster, header.format());
  }

  private static String corrupt(ImageFormat f) {
    return "cannot decode " + f + " image: the data is truncated or corrupt";
  }

  private static Raster imageIo(byte[] bytes, ImageFormat format) throws IOException, ImagingException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT));
      if (!readers.hasNext()) {
        throw new ImagingException("no decoder for " + format + " images is installed");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        TruncationWatch watch = new TruncationWatch();
        reader.addIIOReadWarningListener(watch);
        BufferedImage img = reader.read(0);
        if (watch.truncated) {
          throw new ImagingException(corrupt(format));
        }
        return Raster.fromBufferedImage(img);
      } finally {
        reader.dispose();
      }
    }
  }

  /** ImageIO's JPEG reader only warns about premature end of data; treat that as an error. */
  private static final class TruncationWatch implements javax.imageio.event.IIOReadWarningListener {
    boolean truncated;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      truncated = true;
    }
  }

  private static Raster webp(byte[] bytes) throws IOException {
    return Raster.fromBufferedImage(new WebpImageReader().read(bytes).awt());
  }
}

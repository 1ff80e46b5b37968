package org.imgpipe.imaging;

import com.sksamuel.scrimage.webp.WebpImageReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
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

  /** What an image's header claims: its format and size. */
  public record Header(ImageFormat format, int width, int height) {}

  /**
   * Reads the format and size from the header, checked against the decode limit like {@link #decode};
   * nothing is decoded.
   */
  public Header header(byte[] bytes) throws ImagingException {
    HeaderProbe.Header h = HeaderProbe.read(bytes);
    limits.checkDecoded(h.width(), h.height());
    return new Header(h.format(), (int) h.width(), (int) h.height());
  }

  public DecodedImage decode(byte[] bytes) throws ImagingException {
    HeaderProbe.Header header = HeaderProbe.read(bytes);
    limits.checkDecoded(header.width(), header.height());
    Raster raster;
    try {
      raster = switch (header.format()) {
        case PNG -> PngCodec.decode(bytes);
        case WEBP -> webp(bytes);
        default -> imageIo(bytes, header.format(), PACKED_JPEG_PIXELS);
      };
    } catch (ImagingException e) {
      throw e;
    } catch (WorkDeadline.Passed e) {
      throw new ImagingException(WorkDeadline.stopped(header.format() + " decoding"), e);
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

  /**
   * Colour JPEGs of more pixels than this are decoded straight into the int raster. Smaller ones go
   * through ImageIO's 3-byte image and a conversion, which is faster (a 2560x1600 photo: 28-30 ms of CPU
   * against 38-40) but holds both copies at once, 7 bytes a pixel instead of 4: for a 49 MP photo that
   * is 147 MB more at once.
   */
  static final long PACKED_JPEG_PIXELS = 16_000_000L;

  /**
   * The most bytes a pixel that decoding holds at once: the int raster, plus the decoder's own copy for
   * GIF, BMP, WebP and the JPEGs of up to {@link #PACKED_JPEG_PIXELS}.
   */
  public static int peakBytesPerPixel(ImageFormat format, long pixels) {
    return format == ImageFormat.PNG || (format == ImageFormat.JPEG && pixels > PACKED_JPEG_PIXELS) ? 4 : 8;
  }

  /** ImageIO's decoder; a colour JPEG of more than {@code packedAbove} pixels straight into packed ints. */
  static Raster imageIo(byte[] bytes, ImageFormat format, long packedAbove) throws IOException, ImagingException {
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
        ImageReadParam param = reader.getDefaultReadParam();
        boolean packed = format == ImageFormat.JPEG
            && (long) reader.getWidth(0) * reader.getHeight(0) > packedAbove && offersPackedRgb(reader);
        if (packed) {
          param.setDestination(new BufferedImage(reader.getWidth(0), reader.getHeight(0), BufferedImage.TYPE_INT_RGB));
        }
        BufferedImage img = reader.read(0, param);
        if (watch.truncated) {
          throw new ImagingException(corrupt(format));
        }
        return packed ? AwtPixels.adoptIntRgb(img) : Raster.fromBufferedImage(img);
      } finally {
        reader.dispose();
      }
    }
  }

  /** Whether the reader can write the first image into a TYPE_INT_RGB image (colour JPEGs: yes). */
  private static boolean offersPackedRgb(ImageReader reader) throws IOException {
    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
    while (types.hasNext()) {
      if (types.next().getBufferedImageType() == BufferedImage.TYPE_INT_RGB) {
        return true;
      }
    }
    return false;
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

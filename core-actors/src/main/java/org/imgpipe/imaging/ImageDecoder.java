package org.imgpipe.imaging;

import com.sksamuel.scrimage.webp.DWebpHandler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.event.IIOReadWarningListener;

/**
 * Decodes PNG, JPEG, WEBP, GIF (first frame) and BMP bytes into a {@link Raster}. The header's
 * pixel count is checked against the limit before anything is decoded, and every decode path checks
 * the size it is really about to allocate for (against the limits, and against the header: never
 * larger) before allocating it. JPEG EXIF orientation is applied. Every failure is an
 * {@link ImagingException} with a client-safe message; the {@link WorkDeadline} is honoured.
 */
public final class ImageDecoder {

  static {
    ImageIO.setUseCache(false);
  }

  private final ImagingLimits limits;
  private final int maxJpegScans;

  public ImageDecoder(ImagingLimits limits) {
    this(limits, ImagingLimits.MAX_JPEG_SCANS);
  }

  /** A decoder that refuses multi-scan JPEGs of more than {@code maxJpegScans} scans. */
  ImageDecoder(ImagingLimits limits, int maxJpegScans) {
    this.limits = limits;
    this.maxJpegScans = maxJpegScans;
  }

  /**
   * What an image's header claims: its format and size, and {@code decodeBytes}, an upper bound of the
   * memory decoding it takes at its peak: the raster, the decoder's own copy and buffers (Java heap),
   * and what a decoder takes outside the heap (libjpeg's coefficient buffer for multi-scan JPEGs). The
   * input bytes themselves are not included.
   */
  public record Header(ImageFormat format, int width, int height, long decodeBytes) {
    /** A header whose decode memory is the coarse {@link #peakBytesPerPixel} bound. */
    public Header(ImageFormat format, int width, int height) {
      this(format, width, height, (long) peakBytesPerPixel(format, (long) width * height) * width * height);
    }
  }

  /**
   * Reads the format and size from the header, checked against the decode limit like {@link #decode};
   * nothing is decoded.
   */
  public Header header(byte[] bytes) throws ImagingException {
    HeaderProbe.Header h = HeaderProbe.read(bytes, maxJpegScans);
    limits.checkDecoded(h.width(), h.height());
    return new Header(h.format(), (int) h.width(), (int) h.height(), decodeBytes(h));
  }

  public DecodedImage decode(byte[] bytes) throws ImagingException {
    HeaderProbe.Header header = HeaderProbe.read(bytes, maxJpegScans);
    limits.checkDecoded(header.width(), header.height());
    Raster raster;
    try {
      raster = switch (header.format()) {
        case PNG -> PngDecoder.decode(bytes, limits::checkDecoded);
        case WEBP -> webp(bytes, header);
        default -> imageIo(bytes, header, PACKED_JPEG_PIXELS);
      };
      if (header.format() == ImageFormat.JPEG) {
        raster = ExifOrientation.apply(raster, header.orientation());
      }
    } catch (ImagingException e) {
      throw e;
    } catch (WorkDeadline.Passed e) {
      throw new ImagingException(WorkDeadline.stopped(header.format() + " decoding"), e);
    } catch (IOException | RuntimeException e) {
      throw new ImagingException(corrupt(header.format()), e);
    } catch (OutOfMemoryError e) {
      throw new ImagingException("not enough memory to decode this " + header.format() + " image", e);
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

  /** Small allocations of every decode besides the pixels (reader objects, tables, listeners): measured well under this. */
  static final long DECODER_OVERHEAD_BYTES = 512 * 1024;

  /**
   * The most bytes per pixel decoding an image of this format can take, whatever its header says beyond
   * its size: the raster, the decoder's copy of the pixels, an EXIF rotation's copy (JPEG) and libjpeg's
   * coefficient buffer (multi-scan JPEG, up to 4 full-resolution components). A coarse bound;
   * {@link Header#decodeBytes} is the estimate for a given image.
   */
  public static int peakBytesPerPixel(ImageFormat format, long pixels) {
    return switch (format) {
      case PNG -> 5;
      case JPEG -> pixels > PACKED_JPEG_PIXELS ? 8 + 8 : 12 + 8;
      case GIF -> 6;
      case BMP -> 9;
      case WEBP -> 10;
    };
  }

  /**
   * An upper bound of what decoding this image takes at its peak, from its header (tested against the
   * measured allocation of every decode path in DecodeMemoryTest):
   * <ul>
   *   <li>PNG: the raster (4 bytes a pixel), two rows or 64 KiB of inflated rows;
   *   <li>JPEG: the raster; ImageIO's image unless the pixels go straight into the raster (3 bytes a pixel
   *       for colour, 1 for grey, 4 for four components); a second raster when EXIF turns the image;
   *       libjpeg's coefficient buffer for multi-scan files (outside the heap, but memory all the same);
   *   <li>GIF: the raster and ImageIO's 1-byte image;
   *   <li>BMP: the raster, ImageIO's image at the file's bits per pixel (rounded up to a byte), and twice
   *       the palette area and RLE data (read in steps, then joined);
   *   <li>WEBP: dwebp's PNG (at most 4 bytes a pixel and a filter byte a row, stored, plus 1% for chunk
   *       and block headers) and its decode.
   * </ul>
   * Each also gets a few rows of buffers and {@link #DECODER_OVERHEAD_BYTES}.
   */
  static long decodeBytes(HeaderProbe.Header h) {
    long w = h.width();
    long n = h.pixels();
    long raster = 4 * n;
    long rows = 16 * w * Math.max(1, h.bitsPerPixel() / 8);
    long bytes = switch (h.format()) {
      case PNG -> raster + new PngDecoder.Ihdr(w, h.height(), h.bitDepth(), h.colorType(), h.interlaced()).workBytes();
      case JPEG -> {
        int components = Math.max(1, h.bitsPerPixel() / 8);
        boolean packed = components == 3 && n > PACKED_JPEG_PIXELS;
        long image = packed ? 0 : (long) (components == 3 ? 3 : components) * n;
        long turned = h.orientation() > 1 ? raster : 0;
        yield raster + image + turned + h.nativeBytes() + rows;
      }
      case GIF -> raster + n + rows;
      case BMP -> raster + (long) Math.max(1, (h.bitsPerPixel() + 7) / 8) * n + 2 * h.copiedBytes() + rows;
      case WEBP -> {
        long png = (4 * w + 1) * h.height();
        long stored = png + png / 100 + 65_536;
        yield stored + raster + new PngDecoder.Ihdr(w, h.height(), 8, 6, false).workBytes() + rows;
      }
    };
    return bytes + DECODER_OVERHEAD_BYTES;
  }

  /** ImageIO's decoder with default limits (tests); a colour JPEG of more than {@code packedAbove} pixels straight into packed ints. */
  static Raster imageIo(byte[] bytes, ImageFormat format, long packedAbove) throws IOException, ImagingException {
    return new ImageDecoder(ImagingLimits.DEFAULT).imageIo(bytes, HeaderProbe.read(bytes), packedAbove);
  }

  /**
   * ImageIO's decoder for JPEG, GIF and BMP. The reader's own idea of the size is checked (limits, and no
   * larger than the header) before it allocates anything; a warning (ImageIO's JPEG reader only warns
   * about truncated or corrupt data) or a passed deadline stops the read at once, from inside its
   * callbacks.
   */
  private Raster imageIo(byte[] bytes, HeaderProbe.Header header, long packedAbove) throws IOException, ImagingException {
    ImageFormat format = header.format();
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT));
    if (!readers.hasNext()) {
      throw new ImagingException("no decoder for " + format + " images is installed");
    }
    ImageReader reader = readers.next();
    ReadWatch watch = new ReadWatch();
    try (BytesImageInput in = new BytesImageInput(bytes)) {
      reader.addIIOReadWarningListener(watch);
      reader.addIIOReadProgressListener(watch);
      reader.addIIOReadUpdateListener(watch);
      reader.setInput(in, true, true);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      checkSize(header, width, height);
      ImageReadParam param = reader.getDefaultReadParam();
      boolean packed = format == ImageFormat.JPEG && (long) width * height > packedAbove && offersPackedRgb(reader);
      if (packed) {
        param.setDestination(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB));
      }
      BufferedImage img = reader.read(0, param);
      if (img.getWidth() != width || img.getHeight() != height) {
        throw new ImagingException(corrupt(format));
      }
      return packed ? AwtPixels.adoptIntRgb(img) : Raster.fromBufferedImage(img);
    } catch (ReadWatch.Warned e) {
      throw new ImagingException(corrupt(format));
    } finally {
      reader.dispose();
    }
  }

  /**
   * The size a decoder is about to allocate for: within the limits, and not larger than the header
   * said, so that the memory reserved from the header's size covers it.
   */
  private void checkSize(HeaderProbe.Header header, long width, long height) throws ImagingException {
    limits.checkDecoded(width, height);
    if (width > header.width() || height > header.height()) {
      throw new ImagingException(header.format() + " image is corrupt: its image is " + width + "x" + height
          + " pixels but its header says " + header.width() + "x" + header.height());
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

  /**
   * Stops a read from inside ImageIO's callbacks, by throwing: reader.abort() alone lets libjpeg go on
   * entropy-decoding the rest of a progressive file's scans. A warning (ImageIO's JPEG reader only warns
   * about premature end of data and corrupt data) is an error; the progress and update callbacks (every
   * decoded row, in every progressive pass) check the deadline.
   */
  private static final class ReadWatch implements IIOReadWarningListener, IIOReadProgressListener,
      javax.imageio.event.IIOReadUpdateListener {

    /** The reader warned. */
    static final class Warned extends RuntimeException {
      Warned() {
        super("decoder warning", null, false, false);
      }
    }

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      source.abort();
      throw new Warned();
    }

    @Override
    public void imageProgress(ImageReader source, float percentageDone) {
      WorkDeadline.check();
    }

    @Override
    public void imageStarted(ImageReader source, int imageIndex) {
      WorkDeadline.check();
    }

    @Override
    public void sequenceStarted(ImageReader source, int minIndex) {
    }

    @Override
    public void sequenceComplete(ImageReader source) {
    }

    @Override
    public void imageComplete(ImageReader source) {
    }

    @Override
    public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
    }

    @Override
    public void thumbnailProgress(ImageReader source, float percentageDone) {
    }

    @Override
    public void thumbnailComplete(ImageReader source) {
    }

    @Override
    public void readAborted(ImageReader source) {
    }

    @Override
    public void passStarted(ImageReader source, BufferedImage theImage, int pass, int minPass, int maxPass, int minX,
        int minY, int periodX, int periodY, int[] bands) {
      WorkDeadline.check();
    }

    /** Called for every decoded row (a progressive JPEG's pass is all of them): the finest check ImageIO offers. */
    @Override
    public void imageUpdate(ImageReader source, BufferedImage theImage, int minX, int minY, int width, int height,
        int periodX, int periodY, int[] bands) {
      WorkDeadline.check();
    }

    @Override
    public void passComplete(ImageReader source, BufferedImage theImage) {
    }

    @Override
    public void thumbnailPassStarted(ImageReader source, BufferedImage theThumbnail, int pass, int minPass,
        int maxPass, int minX, int minY, int periodX, int periodY, int[] bands) {
    }

    @Override
    public void thumbnailUpdate(ImageReader source, BufferedImage theThumbnail, int minX, int minY, int width,
        int height, int periodX, int periodY, int[] bands) {
    }

    @Override
    public void thumbnailPassComplete(ImageReader source, BufferedImage theThumbnail) {
    }
  }

  /**
   * WebP: Google's dwebp (through scrimage-webp, from imgpipe's private copy of the executables) turns
   * the file into a PNG, which imgpipe's own PNG decoder reads with the same size checks. The deadline
   * interrupts the wait for dwebp, which then kills it.
   */
  private Raster webp(byte[] bytes, HeaderProbe.Header header) throws IOException, ImagingException {
    WebpBinaries.install();
    byte[] png;
    try {
      png = WorkDeadline.interrupting("WEBP decoding", () -> new DWebpHandler().convert(bytes));
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
    boolean[] sized = {false};
    try {
      return PngDecoder.decode(png, (w, h) -> {
        checkSize(header, w, h);
        sized[0] = true;
      });
    } catch (ImagingException e) {
      if (!sized[0] && !e.getMessage().startsWith("cannot decode PNG")) {
        throw e; // the size check's own message
      }
      throw new ImagingException(corrupt(ImageFormat.WEBP), e);
    }
  }
}

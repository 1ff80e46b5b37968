package org.imgpipe.imaging;

import org.imgpipe.config.ImgpipeSettings;

/**
 * Pixel limits of the imaging code: the largest image a decoder accepts (read from the header,
 * before decoding) and the largest image an operation may produce.
 */
public record ImagingLimits(long maxDecodedPixels, long maxOutputPixels) {

  /** The reference.conf defaults: 50 megapixels in and out. */
  public static final ImagingLimits DEFAULT = new ImagingLimits(50_000_000L, 50_000_000L);

  /** The most pixels an {@code int[]} raster can hold, whatever the configured limits say. */
  public static final long MAX_RASTER_PIXELS = Integer.MAX_VALUE - 8;

  /**
   * The most scans (SOS markers) a multi-scan JPEG may have. ImageIO's reader decodes a whole output
   * pass per scan (about 30 ms for 49 megapixels), so scans are work that the file's size does not
   * show. Progressive encoders write about 10. Should become {@code imgpipe.limits.max-jpeg-scans}.
   */
  public static final int MAX_JPEG_SCANS = 100;

  public ImagingLimits {
    if (maxDecodedPixels < 1 || maxOutputPixels < 1) {
      throw new IllegalArgumentException("pixel limits must be positive");
    }
  }

  public static ImagingLimits from(ImgpipeSettings settings) {
    ImgpipeSettings.Limits l = settings.limits();
    return new ImagingLimits(l.maxDecodedPixels(), l.maxOutputPixels());
  }

  /** Refuses an input whose header claims more pixels than allowed. */
  void checkDecoded(long width, long height) throws ImagingException {
    if (width <= 0 || height <= 0) {
      throw new ImagingException("image has zero size (" + width + "x" + height + ")");
    }
    if (exceeds(width, height, maxDecodedPixels)) {
      throw new ImagingException(
          "image of " + width + "x" + height + " pixels exceeds the limit of " + maxDecodedPixels + " pixels");
    }
    checkRaster("image", width, height);
  }

  /** Refuses an output size that is not positive or is larger than allowed. */
  void checkOutput(long width, long height) throws ImagingException {
    if (width <= 0 || height <= 0) {
      throw new ImagingException("height and width must be > 0 (requested " + width + "x" + height + ")");
    }
    if (exceeds(width, height, maxOutputPixels)) {
      throw new ImagingException(
          "output of " + width + "x" + height + " pixels exceeds the limit of " + maxOutputPixels + " pixels");
    }
    checkRaster("output", width, height);
  }

  private static void checkRaster(String what, long width, long height) throws ImagingException {
    if (exceeds(width, height, MAX_RASTER_PIXELS)) {
      throw new ImagingException(what + " of " + width + "x" + height + " pixels exceeds the largest raster of "
          + MAX_RASTER_PIXELS + " pixels");
    }
  }

  /** Whether width x height > max, for positive sizes of any magnitude (no overflow: the product is never formed). */
  static boolean exceeds(long width, long height, long max) {
    return width > max / height;
  }
}

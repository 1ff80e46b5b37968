package org.imgpipe.imaging;

import org.imgpipe.config.ImgpipeSettings;

/**
 * Pixel limits of the imaging code: the largest image a decoder accepts (read from the header,
 * before decoding) and the largest image an operation may produce.
 */
public record ImagingLimits(long maxDecodedPixels, long maxOutputPixels) {

  /** The reference.conf defaults: 50 megapixels in and out. */
  public static final ImagingLimits DEFAULT = new ImagingLimits(50_000_000L, 50_000_000L);

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
    if (width * height > maxDecodedPixels) {
      throw new ImagingException(
          "image of " + width + "x" + height + " pixels exceeds the limit of " + maxDecodedPixels + " pixels");
    }
  }

  /** Refuses an output size that is not positive or is larger than allowed. */
  void checkOutput(long width, long height) throws ImagingException {
    if (width <= 0 || height <= 0) {
      throw new ImagingException("height and width must be > 0 (requested " + width + "x" + height + ")");
    }
    if (width * height > maxOutputPixels) {
      throw new ImagingException(
          "output of " + width + "x" + height + " pixels exceeds the limit of " + maxOutputPixels + " pixels");
    }
  }
}

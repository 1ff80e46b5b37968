package org.imgpipe.imaging;

/**
 * Resizes with Lanczos3 to the size {@link ResizeGeometry} computes from the targets; upscaling is
 * allowed up to the output limit, and a zero or negative result is an error.
 */
public final class Resize implements ImageOperation {

  private final int targetWidth;
  private final int targetHeight;
  private final boolean keepAspect;
  private final ImagingLimits limits;

  public Resize(int targetWidth, int targetHeight, boolean keepAspect, ImagingLimits limits) {
    this.targetWidth = targetWidth;
    this.targetHeight = targetHeight;
    this.keepAspect = keepAspect;
    this.limits = limits;
  }

  /** The size this resize produces for a source of the given size (not checked against limits). */
  public Size outputSize(int sourceWidth, int sourceHeight) {
    return ResizeGeometry.target(sourceWidth, sourceHeight, targetWidth, targetHeight, keepAspect);
  }

  @Override
  public Raster apply(Raster source) throws ImagingException {
    Size size = outputSize(source.width(), source.height());
    limits.checkOutput(size.width(), size.height());
    return Lanczos3.resize(source, size.width(), size.height());
  }
}

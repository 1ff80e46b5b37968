package org.imgpipe.imaging;

/**
 * Shrinks to fit within size x size keeping the aspect ratio, never upscaling (Pillow's thumbnail
 * rule: of floor and ceil, the one whose aspect ratio is closer; at least 1 pixel).
 */
public final class Thumbnail implements ImageOperation {

  private final int size;
  private final ImagingLimits limits;

  public Thumbnail(int size, ImagingLimits limits) {
    this.size = size;
    this.limits = limits;
  }

  /** The thumbnail size of a {@code w x h} image. */
  public Size outputSize(int w, int h) {
    if (size >= w && size >= h) {
      return new Size(w, h);
    }
    double aspect = (double) w / h;
    int x = size;
    int y = size;
    if ((double) x / y >= aspect) {
      x = roundAspect(y * aspect, n -> Math.abs(aspect - n / (double) size));
    } else {
      y = roundAspect(x / aspect, n -> n == 0 ? 0 : Math.abs(aspect - size / (double) n));
    }
    return new Size(x, y);
  }

  private static int roundAspect(double value, java.util.function.IntToDoubleFunction key) {
    int lo = (int) Math.floor(value);
    int hi = (int) Math.ceil(value);
    int best = key.applyAsDouble(hi) < key.applyAsDouble(lo) ? hi : lo;
    return Math.max(best, 1);
  }

  @Override
  public Raster apply(Raster source) throws ImagingException {
    if (size <= 0) {
      throw new ImagingException("thumbnail size must be > 0, was " + size);
    }
    Size s = outputSize(source.width(), source.height());
    limits.checkOutput(s.width(), s.height());
    return Lanczos3.resize(source, s.width(), s.height());
  }
}

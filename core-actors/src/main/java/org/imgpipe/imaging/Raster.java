package org.imgpipe.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * A decoded image: non-premultiplied ARGB pixels, row-major, one {@code int} per pixel.
 *
 * <p>The pixel array is shared, not copied: operations never modify their input and hand out a new
 * array, so a Raster may be passed between threads once built. Whoever builds one must not write to
 * the array afterwards.
 */
public final class Raster {

  private final int[] argb;
  private final int width;
  private final int height;
  private final boolean hasAlpha;

  /**
   * @param argb pixels, {@code width * height} of them, 0xAARRGGBB non-premultiplied
   * @param hasAlpha whether the alpha channel carries information; when false every alpha is 255
   */
  public Raster(int[] argb, int width, int height, boolean hasAlpha) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("raster size must be positive, was " + width + "x" + height);
    }
    if (argb.length != (long) width * height) {
      throw new IllegalArgumentException(
          "raster of " + width + "x" + height + " needs " + ((long) width * height) + " pixels, got " + argb.length);
    }
    this.argb = argb;
    this.width = width;
    this.height = height;
    this.hasAlpha = hasAlpha;
  }

  /** A raster of one colour (ARGB); it has alpha if the colour is not opaque. */
  public static Raster filled(int width, int height, int argbColor) {
    int[] px = new int[Math.multiplyExact(width, height)];
    java.util.Arrays.fill(px, argbColor);
    return new Raster(px, width, height, (argbColor >>> 24) != 0xFF);
  }

  /** The pixel array itself (not a copy); do not modify it. */
  public int[] argb() {
    return argb;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public boolean hasAlpha() {
    return hasAlpha;
  }

  /** The ARGB value at (x, y). */
  public int pixel(int x, int y) {
    return argb[y * width + x];
  }

  /**
   * Converts any BufferedImage (palette, grey, 16-bit, alpha, CMYK-converted...) to a raster.
   * Grey images are read from their samples so that grey values are not gamma-shifted.
   */
  public static Raster fromBufferedImage(BufferedImage image) {
    return AwtPixels.toRaster(image);
  }

  /**
   * A TYPE_INT_ARGB (if {@link #hasAlpha()}) or TYPE_INT_RGB BufferedImage with a copy of the
   * pixels.
   */
  public BufferedImage toBufferedImage() {
    BufferedImage img =
        new BufferedImage(width, height, hasAlpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    System.arraycopy(argb, 0, dst, 0, argb.length);
    return img;
  }

  /** A raster with the same pixels forced opaque (alpha 255), or this one if it has no alpha. */
  public Raster opaque() {
    if (!hasAlpha) {
      return this;
    }
    int[] out = new int[argb.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = argb[i] | 0xFF000000;
    }
    return new Raster(out, width, height, false);
  }

  @Override
  public String toString() {
    return "Raster[" + width + "x" + height + (hasAlpha ? ", alpha]" : "]");
  }
}

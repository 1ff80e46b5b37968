package org.imgpipe.imaging;

import java.util.Locale;

/** The original system's eight filters; each maps an intensity to an operation. */
public enum FilterType {
  GRAYSCALE,
  BLUR,
  SHARPEN,
  EDGE_DETECT,
  SEPIA,
  NEGATIVE,
  BRIGHTNESS,
  CONTRAST;

  private static final String VALID =
      "GRAYSCALE, BLUR, SHARPEN, EDGE_DETECT, SEPIA, NEGATIVE, BRIGHTNESS, CONTRAST";

  /** Case-insensitive (surrounding blanks ignored); an unknown name is an error listing the valid names. */
  public static FilterType parse(String name) throws ImagingException {
    String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
    for (FilterType t : values()) {
      if (t.name().equals(n)) {
        return t;
      }
    }
    throw new ImagingException("unknown filter '" + Texts.clip(name) + "'; valid filters: " + VALID);
  }

  /**
   * The operation at the given intensity (the original's mapping: blends below 1 for GRAYSCALE,
   * SEPIA, NEGATIVE and EDGE_DETECT; sigma = max(1, trunc(20i)) for BLUR; enhancement factors 1+2i
   * for SHARPEN and CONTRAST, 2i for BRIGHTNESS).
   */
  public ImageOperation withIntensity(double intensity) {
    if (Double.isNaN(intensity) || Double.isInfinite(intensity)) {
      return src -> {
        throw new ImagingException("intensity must be a finite number");
      };
    }
    return switch (this) {
      case GRAYSCALE -> new Grayscale(intensity);
      case BLUR -> new Blur(intensity);
      case SHARPEN -> new Sharpen(intensity);
      case EDGE_DETECT -> new EdgeDetect(intensity);
      case SEPIA -> new Sepia(intensity);
      case NEGATIVE -> new Negative(intensity);
      case BRIGHTNESS -> new Brightness(intensity);
      case CONTRAST -> new Contrast(intensity);
    };
  }
}

package org.imgpipe.imaging;

import java.util.Locale;

/** The image container formats imgpipe reads and writes. */
public enum ImageFormat {
  PNG("image/png"),
  JPEG("image/jpeg"),
  WEBP("image/webp"),
  GIF("image/gif"),
  BMP("image/bmp");

  private final String mimeType;

  ImageFormat(String mimeType) {
    this.mimeType = mimeType;
  }

  public String mimeType() {
    return mimeType;
  }

  /** Case-insensitive; {@code JPG} is an alias of JPEG. Unknown names are an error listing the valid ones. */
  public static ImageFormat parse(String name) throws ImagingException {
    String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
    if (n.equals("JPG")) {
      return JPEG;
    }
    for (ImageFormat f : values()) {
      if (f.name().equals(n)) {
        return f;
      }
    }
    throw new ImagingException(
        "unknown format '" + Texts.clip(name) + "'; valid formats: PNG, JPEG (or JPG), WEBP, GIF, BMP");
  }
}

package org.imgpipe.imaging;

/** A width and a height in pixels (may be zero or negative when computed from bad targets). */
public record Size(int width, int height) {

  @Override
  public String toString() {
    return width + "x" + height;
  }
}

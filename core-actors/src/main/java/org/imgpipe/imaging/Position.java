package org.imgpipe.imaging;

import java.util.Locale;

/** Where a watermark goes: a corner or the centre, 20 px from the edges. */
public enum Position {
  TOP_LEFT,
  TOP_RIGHT,
  BOTTOM_LEFT,
  BOTTOM_RIGHT,
  CENTER;

  /** The distance between a watermark's box and the image edges, as in the original. */
  public static final int MARGIN = 20;

  /** The wire name, e.g. {@code top-left}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses {@code top-left}, {@code TOP_LEFT}, {@code Top Left} and the like, and {@code centre};
   * anything else is an error listing the valid positions.
   */
  public static Position parse(String name) throws ImagingException {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
    if (n.equals("centre")) {
      return CENTER;
    }
    for (Position p : values()) {
      if (p.wireName().equals(n)) {
        return p;
      }
    }
    throw new ImagingException("unknown position '" + Texts.clip(name)
        + "'; valid positions: top-left, top-right, bottom-left, bottom-right, center");
  }

  /** Top-left corner of a {@code bw x bh} box placed in a {@code w x h} image. */
  int[] place(int w, int h, int bw, int bh) {
    return switch (this) {
      case TOP_LEFT -> new int[] {MARGIN, MARGIN};
      case TOP_RIGHT -> new int[] {w - bw - MARGIN, MARGIN};
      case BOTTOM_LEFT -> new int[] {MARGIN, h - bh - MARGIN};
      case BOTTOM_RIGHT -> new int[] {w - bw - MARGIN, h - bh - MARGIN};
      case CENTER -> new int[] {Math.floorDiv(w - bw, 2), Math.floorDiv(h - bh, 2)};
    };
  }
}

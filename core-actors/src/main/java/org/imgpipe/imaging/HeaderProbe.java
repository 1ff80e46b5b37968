package org.imgpipe.imaging;

/**
 * Reads the container format and the claimed pixel size from an image's first bytes, without
 * decoding it, so that oversized (bomb) and broken inputs are refused before any allocation.
 */
final class HeaderProbe {

  /** What the header says. */
  record Header(ImageFormat format, long width, long height) {}

  private HeaderProbe() {}

  static ImageFormat sniff(byte[] b) throws ImagingException {
    if (b == null || b.length == 0) {
      throw new ImagingException("image data is empty");
    }
    if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
        && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
      return ImageFormat.PNG;
    }
    if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
      return ImageFormat.JPEG;
    }
    if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8'
        && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
      return ImageFormat.GIF;
    }
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
        && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return ImageFormat.WEBP;
    }
    if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
      return ImageFormat.BMP;
    }
    throw new ImagingException("cannot identify image data (" + b.length
        + " bytes): not a PNG, JPEG, WEBP, GIF or BMP image");
  }

  static Header read(byte[] b) throws ImagingException {
    ImageFormat f = sniff(b);
    try {
      return switch (f) {
        case PNG -> png(b);
        case JPEG -> jpeg(b);
        case GIF -> gif(b);
        case WEBP -> webp(b);
        case BMP -> bmp(b);
      };
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new ImagingException(f + " image is truncated: its header is incomplete");
    }
  }

  private static int u8(byte[] b, int i) {
    return b[i] & 0xFF;
  }

  private static int be16(byte[] b, int i) {
    return (u8(b, i) << 8) | u8(b, i + 1);
  }

  private static int le16(byte[] b, int i) {
    return u8(b, i) | (u8(b, i + 1) << 8);
  }

  private static long be32(byte[] b, int i) {
    return ((long) u8(b, i) << 24) | (u8(b, i + 1) << 16) | (u8(b, i + 2) << 8) | u8(b, i + 3);
  }

  private static long le32(byte[] b, int i) {
    return u8(b, i) | (u8(b, i + 1) << 8) | (u8(b, i + 2) << 16) | ((long) u8(b, i + 3) << 24);
  }

  private static Header png(byte[] b) throws ImagingException {
    if (b.length < 33 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
      throw new ImagingException("PNG image is truncated or corrupt: no IHDR header");
    }
    return new Header(ImageFormat.PNG, be32(b, 16), be32(b, 20));
  }

  private static Header jpeg(byte[] b) throws ImagingException {
    int i = 2;
    while (i + 4 <= b.length) {
      if (u8(b, i) != 0xFF) {
        throw new ImagingException("JPEG image is corrupt: bad marker before the frame header");
      }
      int marker = u8(b, i + 1);
      if (marker == 0xFF) {
        i++;
        continue;
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2;
        continue;
      }
      int len = be16(b, i + 2);
      boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (sof) {
        return new Header(ImageFormat.JPEG, be16(b, i + 7), be16(b, i + 5));
      }
      if (marker == 0xDA || marker == 0xD9) {
        break;
      }
      i += 2 + len;
    }
    throw new ImagingException("JPEG image is truncated or corrupt: no frame header");
  }

  private static Header gif(byte[] b) throws ImagingException {
    long w = le16(b, 6);
    long h = le16(b, 8);
    int flags = u8(b, 10);
    int i = 13;
    if ((flags & 0x80) != 0) {
      i += 3 * (1 << ((flags & 7) + 1));
    }
    while (i < b.length) {
      int block = u8(b, i);
      if (block == 0x2C) {
        long fw = le16(b, i + 5);
        long fh = le16(b, i + 7);
        return new Header(ImageFormat.GIF, Math.max(w, fw), Math.max(h, fh));
      } else if (block == 0x21) {
        i += 2;
        while (u8(b, i) != 0) {
          i += u8(b, i) + 1;
        }
        i++;
      } else {
        break;
      }
    }
    throw new ImagingException("GIF image is truncated or corrupt: no image frame");
  }

  private static Header webp(byte[] b) throws ImagingException {
    String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
    switch (chunk) {
      case "VP8 ": {
        if (u8(b, 23) != 0x9D || u8(b, 24) != 0x01 || u8(b, 25) != 0x2A) {
          throw new ImagingException("WEBP image is corrupt: bad VP8 frame header");
        }
        return new Header(ImageFormat.WEBP, le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
      }
      case "VP8L": {
        if (u8(b, 20) != 0x2F) {
          throw new ImagingException("WEBP image is corrupt: bad VP8L header");
        }
        long bits = le32(b, 21);
        return new Header(ImageFormat.WEBP, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
      }
      case "VP8X": {
        long w = (u8(b, 24) | (u8(b, 25) << 8) | (u8(b, 26) << 16)) + 1L;
        long h = (u8(b, 27) | (u8(b, 28) << 8) | (u8(b, 29) << 16)) + 1L;
        return new Header(ImageFormat.WEBP, w, h);
      }
      default:
        throw new ImagingException("WEBP image is corrupt: unknown first chunk");
    }
  }

  private static Header bmp(byte[] b) throws ImagingException {
    long dib = le32(b, 14);
    if (dib == 12) {
      return new Header(ImageFormat.BMP, le16(b, 18), le16(b, 20));
    }
    if (dib < 40) {
      throw new ImagingException("BMP image is corrupt: unknown header");
    }
    long w = (int) le32(b, 18);
    long h = Math.abs((long) (int) le32(b, 22));
    return new Header(ImageFormat.BMP, w, h);
  }
}

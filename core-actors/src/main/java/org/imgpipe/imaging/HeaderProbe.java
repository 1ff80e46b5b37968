package org.imgpipe.imaging;

/**
 * Reads the container format, the claimed pixel size and what the memory estimate needs from an image's
 * first bytes, without decoding it, so that oversized (bomb) and broken inputs are refused before any
 * allocation. Every offset and size read from the input is checked against the input's length in long
 * arithmetic before it is used; nothing here allocates more than a few objects.
 */
final class HeaderProbe {

  /**
   * What the header says.
   *
   * @param bitDepth bits per sample (PNG: 1 to 16; JPEG: the frame's precision; otherwise 8)
   * @param colorType PNG's colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA); -1 for the others
   * @param bitsPerPixel bits of one stored pixel: PNG channels x depth, BMP's bit count, JPEG 8 x components,
   *     GIF 8, WEBP 32
   * @param interlaced PNG Adam7, GIF interlacing, JPEG progressive
   * @param scans JPEG: the scans (SOS markers) of a multi-scan file, 1 for a single-scan one; 1 otherwise
   * @param nativeBytes memory the decoder takes outside the Java heap: libjpeg's whole-image coefficient
   *     buffer for a multi-scan JPEG (2 bytes per coefficient); 0 otherwise
   * @param orientation JPEG's EXIF orientation (1 to 8); 1 otherwise
   * @param copiedBytes bytes of the file the reader copies into arrays of its own besides the pixels: a
   *     BMP's palette area and RLE-compressed data; 0 otherwise
   */
  record Header(ImageFormat format, long width, long height, int bitDepth, int colorType, int bitsPerPixel,
      boolean interlaced, int scans, long nativeBytes, int orientation, long copiedBytes) {

    static Header of(ImageFormat format, long width, long height, int bitsPerPixel) {
      return new Header(format, width, height, 8, -1, bitsPerPixel, false, 1, 0, 1, 0);
    }

    long pixels() {
      return width * height;
    }
  }

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
    return read(b, ImagingLimits.MAX_JPEG_SCANS);
  }

  /** The header; a multi-scan JPEG of more than {@code maxJpegScans} scans is refused. */
  static Header read(byte[] b, int maxJpegScans) throws ImagingException {
    ImageFormat f = sniff(b);
    try {
      return switch (f) {
        case PNG -> png(b);
        case JPEG -> jpeg(b, maxJpegScans);
        case GIF -> gif(b);
        case WEBP -> webp(b);
        case BMP -> bmp(b);
      };
    } catch (ArrayIndexOutOfBoundsException e) {
      // Every read below is bounds-checked; the cause is kept so that tests and fuzzing see a miss.
      throw new ImagingException(f + " image is truncated: its header is incomplete", e);
    }
  }

  private static ImagingException truncated(ImageFormat f) {
    return new ImagingException(f + " image is truncated: its header is incomplete");
  }

  /** Requires bytes [i, i + n) to be there. */
  private static void need(byte[] b, long i, long n, ImageFormat f) throws ImagingException {
    if (i < 0 || n < 0 || i + n > b.length) {
      throw truncated(f);
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

  private static long le32(byte[] b, int i) {
    return u8(b, i) | (u8(b, i + 1) << 8) | (u8(b, i + 2) << 16) | ((long) u8(b, i + 3) << 24);
  }

  private static Header png(byte[] b) throws ImagingException {
    PngDecoder.Ihdr h = PngDecoder.readIhdr(b);
    return new Header(ImageFormat.PNG, h.width(), h.height(), h.depth(), h.colorType(), h.bitsPerPixel(),
        h.interlaced(), 1, 0, 1, 0);
  }

  /** SOF0-3, 5-7, 9-11, 13-15 (C4 is DHT, C8 reserved, CC is DAC). */
  private static boolean isSof(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  /**
   * The frame header (SOF) and the first scan header: size, components and their sampling factors,
   * progressive or not. A multi-scan file (progressive, or a first scan of fewer components than the
   * frame) is decoded by libjpeg in buffered-image mode: a whole-image coefficient buffer outside the
   * heap, and ImageIO renders a full output pass per scan. Its scans are counted, and more than
   * {@code maxScans} are refused.
   */
  private static Header jpeg(byte[] b, int maxScans) throws ImagingException {
    ImageFormat f = ImageFormat.JPEG;
    int i = 2;
    long width = -1;
    long height = -1;
    int precision = 8;
    int components = 0;
    boolean progressive = false;
    int[] h = null;
    int[] v = null;
    while (true) {
      need(b, i, 2, f);
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
      if (marker == 0xD9) {
        break;
      }
      need(b, i + 2, 2, f);
      int len = be16(b, i + 2);
      if (len < 2) {
        throw new ImagingException("JPEG image is corrupt: a marker segment of " + len + " bytes");
      }
      need(b, i + 2, len, f);
      if (isSof(marker)) {
        if (width >= 0) {
          throw new ImagingException("JPEG image is corrupt: it has more than one frame header");
        }
        if (len < 8) {
          throw truncated(f);
        }
        precision = u8(b, i + 4);
        height = be16(b, i + 5);
        width = be16(b, i + 7);
        components = u8(b, i + 9);
        if (components == 0 || len != 8 + 3 * components) {
          throw new ImagingException("JPEG image is corrupt: its frame header is not valid");
        }
        h = new int[components];
        v = new int[components];
        for (int c = 0; c < components; c++) {
          int s = u8(b, i + 11 + 3 * c);
          h[c] = Math.max(1, s >> 4);
          v[c] = Math.max(1, s & 15);
        }
        progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
      } else if (marker == 0xDA) {
        if (width < 0) {
          break;
        }
        need(b, i + 4, 1, f);
        int inScan = u8(b, i + 4);
        boolean multiScan = progressive || inScan < components;
        int scans = multiScan ? countScans(b, i, maxScans) : 1;
        if (scans > maxScans) {
          throw new ImagingException("JPEG image has more than " + maxScans + " scans; at most " + maxScans
              + " are allowed");
        }
        long coefficients = multiScan ? coefficientBytes(width, height, h, v) : 0;
        return new Header(f, width, height, precision, -1, 8 * components, progressive, scans, coefficients,
            ExifOrientation.read(b), 0);
      }
      i += 2 + len;
    }
    throw new ImagingException("JPEG image is truncated or corrupt: no frame header");
  }

  /**
   * The SOS markers from the one at {@code sos} on, stopping at EOI, at the end of the data or after
   * {@code max + 1}: each scan's entropy-coded data is skipped byte by byte (0xFF00 is a stuffed byte,
   * 0xFFD0-D7 restart markers, 0xFF fill bytes; any other 0xFFxx ends it).
   */
  static int countScans(byte[] b, int sos, int max) {
    int scans = 0;
    int i = sos;
    int n = b.length;
    while (i + 4 <= n && scans <= max) {
      if (b[i] != (byte) 0xFF) {
        break; // garbage: libjpeg warns here, and the decoder stops at its first warning
      }
      int marker = u8(b, i + 1);
      if (marker == 0xFF) {
        i++;
        continue;
      }
      if (marker == 0xD9) {
        break;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2; // no length: TEM, restart markers
        continue;
      }
      int len = be16(b, i + 2);
      if (len < 2) {
        break;
      }
      long next = (long) i + 2 + len;
      if (next > n) {
        break;
      }
      i = (int) next;
      if (marker == 0xDA) {
        scans++;
        // Entropy-coded data up to the next marker that is not a stuffed byte, fill or restart.
        while (i + 1 < n) {
          if (b[i] != (byte) 0xFF) {
            i++;
            continue;
          }
          int m = u8(b, i + 1);
          if (m == 0x00 || (m >= 0xD0 && m <= 0xD7)) {
            i += 2;
          } else if (m == 0xFF) {
            i++;
          } else {
            break;
          }
        }
      }
    }
    return scans;
  }

  /** libjpeg's whole-image coefficient buffer: each component's blocks, padded to its sampling factors, x 64 x 2 bytes. */
  private static long coefficientBytes(long width, long height, int[] h, int[] v) {
    int hmax = 1;
    int vmax = 1;
    for (int c = 0; c < h.length; c++) {
      hmax = Math.max(hmax, h[c]);
      vmax = Math.max(vmax, v[c]);
    }
    long total = 0;
    for (int c = 0; c < h.length; c++) {
      long bw = ceilDiv(ceilDiv(width * h[c], hmax), 8);
      long bh = ceilDiv(ceilDiv(height * v[c], vmax), 8);
      bw = ceilDiv(bw, h[c]) * h[c];
      bh = ceilDiv(bh, v[c]) * v[c];
      total += bw * bh * 64 * 2;
    }
    return total;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /**
   * The first image frame's size, which is what the reader decodes and allocates (ImageIO's reader makes
   * an image of the frame, not of the logical screen, whose size does not matter).
   */
  private static Header gif(byte[] b) throws ImagingException {
    ImageFormat f = ImageFormat.GIF;
    need(b, 0, 13, f);
    int flags = u8(b, 10);
    long i = 13;
    if ((flags & 0x80) != 0) {
      i += 3L * (1 << ((flags & 7) + 1));
    }
    while (true) {
      need(b, i, 1, f);
      int block = u8(b, (int) i);
      if (block == 0x2C) {
        need(b, i, 10, f);
        int at = (int) i;
        long fw = le16(b, at + 5);
        long fh = le16(b, at + 7);
        boolean interlaced = (u8(b, at + 9) & 0x40) != 0;
        return new Header(f, fw, fh, 8, -1, 8, interlaced, 1, 0, 1, 0);
      } else if (block == 0x21) {
        i += 2;
        while (true) {
          need(b, i, 1, f);
          int size = u8(b, (int) i);
          if (size == 0) {
            break;
          }
          i += size + 1;
        }
        i++;
      } else {
        throw new ImagingException("GIF image is truncated or corrupt: no image frame");
      }
    }
  }

  /**
   * RIFF/WEBP with a VP8, VP8L or VP8X first chunk (its size checked against the data). Animated files
   * are refused: the WebP decoder reads still images only.
   */
  private static Header webp(byte[] b) throws ImagingException {
    ImageFormat f = ImageFormat.WEBP;
    need(b, 12, 8, f);
    long chunkSize = le32(b, 16);
    String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
    need(b, 20, chunk.equals("VP8L") ? 5 : 10, f);
    if (chunkSize > b.length - 20L) {
      throw truncated(f);
    }
    switch (chunk) {
      case "VP8 ": {
        if (chunkSize < 10 || u8(b, 23) != 0x9D || u8(b, 24) != 0x01 || u8(b, 25) != 0x2A) {
          throw new ImagingException("WEBP image is corrupt: bad VP8 frame header");
        }
        return Header.of(f, le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF, 32);
      }
      case "VP8L": {
        if (chunkSize < 5 || u8(b, 20) != 0x2F) {
          throw new ImagingException("WEBP image is corrupt: bad VP8L header");
        }
        long bits = le32(b, 21);
        return Header.of(f, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, 32);
      }
      case "VP8X": {
        if (chunkSize < 10) {
          throw new ImagingException("WEBP image is corrupt: bad VP8X header");
        }
        if ((u8(b, 20) & 0x02) != 0) {
          throw new ImagingException("WEBP animations are not supported");
        }
        long w = (u8(b, 24) | (u8(b, 25) << 8) | (u8(b, 26) << 16)) + 1L;
        long h = (u8(b, 27) | (u8(b, 28) << 8) | (u8(b, 29) << 16)) + 1L;
        return Header.of(f, w, h, 32);
      }
      default:
        throw new ImagingException("WEBP image is corrupt: unknown first chunk");
    }
  }

  /** V2 (OS/2) to V5 info headers; offsets inside the file; no embedded JPEG or PNG data. */
  private static Header bmp(byte[] b) throws ImagingException {
    ImageFormat f = ImageFormat.BMP;
    need(b, 0, 18, f);
    long pixelsAt = le32(b, 10);
    long dib = le32(b, 14);
    if (dib != 12 && dib != 40 && dib != 52 && dib != 56 && dib != 108 && dib != 124) {
      throw new ImagingException("BMP image is corrupt: unknown header");
    }
    need(b, 14, dib, f);
    if (pixelsAt < 14 + dib || pixelsAt > b.length) {
      throw new ImagingException("BMP image is corrupt: its pixel data offset is outside the file");
    }
    long palette = pixelsAt - 14 - dib;
    if (dib == 12) {
      int bits = le16(b, 24);
      return new Header(f, le16(b, 18), le16(b, 20), 8, -1, bits, false, 1, 0, 1, palette);
    }
    long w = (int) le32(b, 18);
    long h = Math.abs((long) (int) le32(b, 22));
    int bits = le16(b, 28);
    long compression = le32(b, 30);
    if (compression == 4 || compression == 5) {
      throw new ImagingException("BMP images with embedded JPEG or PNG data are not supported");
    }
    if (dib == 124) {
      long colorSpace = le32(b, 14 + 56);
      if (colorSpace == 0x4D424544L || colorSpace == 0x4C494E4BL) { // 'MBED', 'LINK': an ICC profile
        long profileAt = le32(b, 14 + 112);
        long profileSize = le32(b, 14 + 116);
        if (14 + profileAt + profileSize > b.length) {
          throw new ImagingException("BMP image is corrupt: its colour profile is outside the file");
        }
      }
    }
    long compressed = compression == 1 || compression == 2 ? b.length - pixelsAt : 0;
    return new Header(f, w, h, 8, -1, bits, false, 1, 0, 1, palette + compressed);
  }
}

package org.imgpipe.imaging;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A direct PNG decoder for non-interlaced images of every colour type and bit depth (grey, RGB,
 * palette, grey+alpha, RGBA; 1 to 16 bits; tRNS transparency), straight into packed ARGB. Sixteen
 * bit samples keep their high byte. Interlaced images return null (ImageIO decodes those).
 */
final class PngDecoder {

  private PngDecoder() {}

  /** Thrown for malformed data; the caller turns it into a client-safe message. */
  static final class BadPng extends Exception {
    BadPng(String message) {
      super(message, null, false, false);
    }
  }

  private static int be32(byte[] b, int i) {
    return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
  }

  /** Big-endian int view of a byte array (one load for a pixel's bytes). */
  private static final java.lang.invoke.VarHandle BE_INT =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);

  /** Inflated bytes per batch of rows in the streaming path (the batch stays in cache). */
  private static final int BATCH_BYTES = 1 << 16;

  /** The decoded raster, or null when the image is interlaced. */
  static Raster decode(byte[] b) throws BadPng {
    // The common case (8-bit RGB or RGBA, no tRNS, well-formed chunks) streams: rows are inflated a
    // batch at a time, unfiltered and packed while in cache. Anything else takes the buffered path.
    int pos = 8;
    int idats = 0;
    int width = 0;
    int height = 0;
    int colorType = -1;
    boolean ended = false;
    while (pos + 8 <= b.length) {
      int len = be32(b, pos);
      int type = be32(b, pos + 4);
      int data = pos + 8;
      if (len < 0 || data + len > b.length) {
        return decodeBuffered(b);
      }
      if (pos == 8) {
        if (type != 0x49484452 || len < 13) {
          return decodeBuffered(b);
        }
        width = be32(b, data);
        height = be32(b, data + 4);
        colorType = b[data + 9] & 0xFF;
        if ((b[data + 8] & 0xFF) != 8 || (colorType != 2 && colorType != 6) || (b[data + 12] & 0xFF) != 0
            || width <= 0 || height <= 0) {
          return decodeBuffered(b);
        }
      } else if (type == 0x49484452 || type == 0x74524E53) { // a second IHDR, or tRNS
        return decodeBuffered(b);
      } else if (type == 0x49444154) {
        idats++;
      } else if (type == 0x49454E44) {
        ended = true;
        break;
      }
      pos = data + len + 4;
    }
    if (!ended || idats == 0 || (long) width * height > Integer.MAX_VALUE
        || (long) width * 4 + 1 > Integer.MAX_VALUE / 2) {
      return decodeBuffered(b);
    }
    return streamRgb(b, width, height, colorType == 6);
  }

  private static Raster streamRgb(byte[] b, int w, int h, boolean rgba) throws BadPng {
    int bpp = rgba ? 4 : 3;
    int stride = w * bpp;
    int rowLen = stride + 1;
    int batchRows = Math.max(1, BATCH_BYTES / rowLen);
    byte[] buf = new byte[(batchRows + 1) * rowLen]; // slot 0: the previous batch's last row
    int[] out = new int[w * h];
    Inflater inflater = new Inflater();
    boolean badFilter = false;
    int y = 0;
    int filled = 0;
    int target = Math.min(batchRows, h) * rowLen;
    try {
      int pos = 8;
      while (pos + 8 <= b.length && y < h) {
        int len = be32(b, pos);
        int type = be32(b, pos + 4);
        int data = pos + 8;
        if (type == 0x49444154) {
          inflater.setInput(b, data, len);
          while (!inflater.needsInput() && !inflater.finished() && y < h) {
            int n = inflater.inflate(buf, rowLen + filled, target - filled);
            filled += n;
            if (n == 0 && inflater.needsDictionary()) {
              throw new BadPng("corrupt");
            }
            if (filled == target) {
              int rows = target / rowLen;
              for (int j = 1; j <= rows; j++) {
                int row = j * rowLen;
                int f = buf[row] & 0xFF;
                if (f > 4) {
                  badFilter = true;
                  continue;
                }
                unfilter(buf, row + 1, y + j == 1 ? -1 : row - rowLen + 1, stride, bpp, f);
                packRow(buf, row + 1, out, (y + j - 1) * w, w, rgba);
              }
              y += rows;
              System.arraycopy(buf, rows * rowLen, buf, 0, rowLen);
              filled = 0;
              target = Math.min(batchRows, h - y) * rowLen;
            }
          }
        } else if (type == 0x49454E44) {
          break;
        }
        pos = data + len + 4;
      }
    } catch (DataFormatException e) {
      throw new BadPng("corrupt");
    } finally {
      inflater.end();
    }
    // The buffered path's order of checks.
    if (y < h) {
      throw new BadPng("truncated");
    }
    if (badFilter) {
      throw new BadPng("bad filter");
    }
    return new Raster(out, w, h, rgba);
  }

  /** Packs one unfiltered 8-bit RGB or RGBA row into ARGB, one 4-byte load per pixel. */
  private static void packRow(byte[] raw, int s, int[] out, int o, int w, boolean rgba) {
    if (rgba) {
      for (int x = 0; x < w; x++, s += 4) {
        out[o + x] = Integer.rotateRight((int) BE_INT.get(raw, s), 8);
      }
    } else {
      int x = 0;
      for (; x < w - 1; x++, s += 3) {
        out[o + x] = 0xFF000000 | ((int) BE_INT.get(raw, s) >>> 8);
      }
      out[o + x] = 0xFF000000 | ((raw[s] & 0xFF) << 16) | ((raw[s + 1] & 0xFF) << 8) | (raw[s + 2] & 0xFF);
    }
  }

  /** Every colour type and depth: inflates all rows into one buffer, then converts. */
  /** The general path (every colour type and depth, tRNS), and the reference the streaming path is tested against. */
  static Raster decodeBuffered(byte[] b) throws BadPng {
    int pos = 8;
    int width = 0;
    int height = 0;
    int depth = 0;
    int colorType = -1;
    int[] palette = null;
    int trnsGray = -1;
    int trnsRgb = -1;
    boolean seenIhdr = false;
    Inflater inflater = new Inflater();
    try {
      byte[] raw = null;
      int rawLen = 0;
      int produced = 0;
      boolean ended = false;
      while (pos + 8 <= b.length) {
        int len = be32(b, pos);
        int type = be32(b, pos + 4);
        int data = pos + 8;
        if (len < 0 || data + len > b.length) {
          throw new BadPng("truncated");
        }
        if (type == 0x49484452) { // IHDR
          width = be32(b, data);
          height = be32(b, data + 4);
          depth = b[data + 8] & 0xFF;
          colorType = b[data + 9] & 0xFF;
          if ((b[data + 12] & 0xFF) != 0) {
            return null;
          }
          int channels = channels(colorType);
          if (channels == 0 || !validDepth(colorType, depth)) {
            throw new BadPng("bad header");
          }
          long rl = ((long) width * channels * depth + 7) / 8 + 1;
          rawLen = Math.toIntExact(rl * height);
          raw = new byte[rawLen];
          seenIhdr = true;
        } else if (type == 0x504C5445) { // PLTE
          int n = len / 3;
          palette = new int[256];
          for (int i = 0; i < 256; i++) {
            palette[i] = 0xFF000000;
          }
          for (int i = 0; i < Math.min(n, 256); i++) {
            int o = data + 3 * i;
            palette[i] = 0xFF000000 | ((b[o] & 0xFF) << 16) | ((b[o + 1] & 0xFF) << 8) | (b[o + 2] & 0xFF);
          }
        } else if (type == 0x74524E53) { // tRNS
          if (colorType == 3 && palette != null) {
            for (int i = 0; i < Math.min(len, 256); i++) {
              palette[i] = ((b[data + i] & 0xFF) << 24) | (palette[i] & 0xFFFFFF);
            }
          } else if (colorType == 0 && len >= 2) {
            trnsGray = ((b[data] & 0xFF) << 8) | (b[data + 1] & 0xFF);
          } else if (colorType == 2 && len >= 6) {
            trnsRgb = 1;
            trnsGray = -1;
            palette = new int[] {
              ((b[data] & 0xFF) << 8) | (b[data + 1] & 0xFF),
              ((b[data + 2] & 0xFF) << 8) | (b[data + 3] & 0xFF),
              ((b[data + 4] & 0xFF) << 8) | (b[data + 5] & 0xFF)
            };
          }
        } else if (type == 0x49444154) { // IDAT
          if (!seenIhdr) {
            throw new BadPng("no header");
          }
          inflater.setInput(b, data, len);
          try {
            while (!inflater.needsInput() && !inflater.finished() && produced < rawLen) {
              int n = inflater.inflate(raw, produced, rawLen - produced);
              produced += n;
              if (n == 0 && inflater.needsDictionary()) {
                throw new BadPng("corrupt");
              }
            }
          } catch (DataFormatException e) {
            throw new BadPng("corrupt");
          }
        } else if (type == 0x49454E44) { // IEND
          ended = true;
          break;
        }
        pos = data + len + 4;
      }
      if (!seenIhdr || produced < rawLen) {
        throw new BadPng("truncated");
      }
      if (!ended && !inflater.finished()) {
        throw new BadPng("truncated");
      }
      if (colorType == 3 && palette == null) {
        throw new BadPng("no palette");
      }
      return convert(raw, width, height, depth, colorType, palette, trnsGray, trnsRgb);
    } finally {
      inflater.end();
    }
  }

  private static int channels(int colorType) {
    return switch (colorType) {
      case 0, 3 -> 1;
      case 2 -> 3;
      case 4 -> 2;
      case 6 -> 4;
      default -> 0;
    };
  }

  private static boolean validDepth(int colorType, int depth) {
    return switch (colorType) {
      case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
      case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
      default -> depth == 8 || depth == 16;
    };
  }

  private static Raster convert(byte[] raw, int w, int h, int depth, int colorType, int[] palette,
      int trnsGray, int trnsRgb) throws BadPng {
    int channels = channels(colorType);
    int bpp = Math.max(1, channels * depth / 8);
    int stride = (w * channels * depth + 7) / 8;
    int[] out = new int[Math.multiplyExact(w, h)];
    boolean alpha = colorType == 4 || colorType == 6 || trnsGray >= 0 || trnsRgb >= 0;
    if (colorType == 3) {
      for (int i = 0; i < 256 && !alpha; i++) {
        alpha = (palette[i] >>> 24) != 0xFF;
      }
    }
    int prev = -1;
    for (int y = 0; y < h; y++) {
      int row = y * (stride + 1);
      int f = raw[row] & 0xFF;
      unfilter(raw, row + 1, prev < 0 ? -1 : prev + 1, stride, bpp, f);
      prev = row;
      int o = y * w;
      int s = row + 1;
      switch (colorType) {
        case 2 -> {
          if (depth == 8) {
            for (int x = 0; x < w; x++, s += 3) {
              out[o + x] = 0xFF000000 | ((raw[s] & 0xFF) << 16) | ((raw[s + 1] & 0xFF) << 8) | (raw[s + 2] & 0xFF);
            }
          } else {
            for (int x = 0; x < w; x++, s += 6) {
              out[o + x] = 0xFF000000 | ((raw[s] & 0xFF) << 16) | ((raw[s + 2] & 0xFF) << 8) | (raw[s + 4] & 0xFF);
            }
          }
          if (trnsRgb >= 0) {
            int step = depth == 8 ? 3 : 6;
            s = row + 1;
            for (int x = 0; x < w; x++, s += step) {
              int r = sample(raw, s, depth);
              int g = sample(raw, s + step / 3, depth);
              int bl = sample(raw, s + 2 * step / 3, depth);
              if (r == palette[0] && g == palette[1] && bl == palette[2]) {
                out[o + x] &= 0x00FFFFFF;
              }
            }
          }
        }
        case 6 -> {
          if (depth == 8) {
            for (int x = 0; x < w; x++, s += 4) {
              out[o + x] = ((raw[s + 3] & 0xFF) << 24) | ((raw[s] & 0xFF) << 16) | ((raw[s + 1] & 0xFF) << 8)
                  | (raw[s + 2] & 0xFF);
            }
          } else {
            for (int x = 0; x < w; x++, s += 8) {
              out[o + x] = ((raw[s + 6] & 0xFF) << 24) | ((raw[s] & 0xFF) << 16) | ((raw[s + 2] & 0xFF) << 8)
                  | (raw[s + 4] & 0xFF);
            }
          }
        }
        case 4 -> {
          int step = depth == 8 ? 2 : 4;
          for (int x = 0; x < w; x++, s += step) {
            int v = raw[s] & 0xFF;
            int a = raw[s + step / 2] & 0xFF;
            out[o + x] = (a << 24) | (v << 16) | (v << 8) | v;
          }
        }
        case 0 -> {
          int max = (1 << depth) - 1;
          for (int x = 0; x < w; x++) {
            int raw16 = depth == 16 ? sample(raw, s + 2 * x, 16) : bits(raw, s, x, depth);
            int v = depth == 16 ? raw16 >> 8 : (depth == 8 ? raw16 : raw16 * 255 / max);
            int a = raw16 == trnsGray ? 0 : 0xFF;
            out[o + x] = (a << 24) | (v << 16) | (v << 8) | v;
          }
        }
        default -> { // palette
          for (int x = 0; x < w; x++) {
            out[o + x] = palette[depth == 8 ? raw[s + x] & 0xFF : bits(raw, s, x, depth)];
          }
        }
      }
    }
    return new Raster(out, w, h, alpha);
  }

  private static int sample(byte[] raw, int s, int depth) {
    return depth == 16 ? ((raw[s] & 0xFF) << 8) | (raw[s + 1] & 0xFF) : raw[s] & 0xFF;
  }

  private static int bits(byte[] raw, int s, int x, int depth) {
    int perByte = 8 / depth;
    int v = raw[s + x / perByte] & 0xFF;
    int shift = 8 - depth * (x % perByte + 1);
    return (v >> shift) & ((1 << depth) - 1);
  }

  /** Reverses one row's filter in place; {@code prev} is the previous row's first byte or -1. */
  private static void unfilter(byte[] b, int cur, int prev, int n, int bpp, int filter) throws BadPng {
    switch (filter) {
      case 0 -> { }
      case 1 -> {
        for (int i = bpp; i < n; i++) {
          b[cur + i] += b[cur + i - bpp];
        }
      }
      case 2 -> {
        if (prev >= 0) {
          for (int i = 0; i < n; i++) {
            b[cur + i] += b[prev + i];
          }
        }
      }
      case 3 -> {
        for (int i = 0; i < n; i++) {
          int left = i >= bpp ? b[cur + i - bpp] & 0xFF : 0;
          int up = prev >= 0 ? b[prev + i] & 0xFF : 0;
          b[cur + i] += (byte) ((left + up) >> 1);
        }
      }
      case 4 -> {
        for (int i = 0; i < n; i++) {
          int a = i >= bpp ? b[cur + i - bpp] & 0xFF : 0;
          int up = prev >= 0 ? b[prev + i] & 0xFF : 0;
          int c = prev >= 0 && i >= bpp ? b[prev + i - bpp] & 0xFF : 0;
          b[cur + i] += (byte) PngCodec.paeth(a, up, c);
        }
      }
      default -> throw new BadPng("bad filter");
    }
  }
}

package org.imgpipe.imaging;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * imgpipe's PNG decoder, for every colour type, bit depth and interlace method (grey, RGB, palette,
 * grey+alpha, RGBA; 1 to 16 bits; Adam7; tRNS transparency), straight into packed ARGB. Sixteen-bit
 * samples keep their high byte, interlaced or not.
 *
 * <p>Hostile files are refused before any allocation that their header sizes: the whole chunk list is
 * walked first (lengths in long arithmetic, one IHDR of 13 bytes, the CRC of every chunk the decoder
 * reads, PLTE and tRNS rules), then the IHDR's size is checked against the limits, and only then is the
 * raster allocated. Rows are inflated a batch at a time into a buffer of two rows or 64 KiB, never the
 * whole image: the decoder holds the raster, that buffer and the input. The deadline of the work
 * ({@link WorkDeadline}) is checked between batches. A pixel referring to a palette entry the PLTE chunk
 * does not have is an error, as in libpng.
 */
final class PngDecoder {

  private PngDecoder() {}

  /** The IHDR chunk: size, bit depth, colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA), interlace. */
  record Ihdr(long width, long height, int depth, int colorType, boolean interlaced) {
    int channels() {
      return PngDecoder.channels(colorType);
    }

    /** Bits per pixel as stored in the rows. */
    int bitsPerPixel() {
      return channels() * depth;
    }

    /**
     * Heap the decoder holds besides the raster and the input: its row buffer (two rows, or up to
     * {@link #BATCH_BYTES} of rows) and a few small tables.
     */
    long workBytes() {
      long rowLen = (width * bitsPerPixel() + 7) / 8 + 1;
      return 2 * rowLen + BATCH_BYTES + OVERHEAD_BYTES;
    }
  }

  /** Inflated bytes per batch of rows (the batch stays in cache). */
  static final int BATCH_BYTES = 1 << 16;

  /** The decoder's small allocations: palette, chunk list, inflater object, row offsets (measured: under 10 KB). */
  static final long OVERHEAD_BYTES = 32 * 1024;

  private static final int IHDR = 0x49484452;
  private static final int PLTE = 0x504C5445;
  private static final int TRNS = 0x74524E53;
  private static final int IDAT = 0x49444154;
  private static final int IEND = 0x49454E44;

  private static final String PREFIX = "cannot decode PNG image: ";
  private static final String CORRUPT = PREFIX + "the data is truncated or corrupt";

  /** Adam7: first column and row, and steps, of each pass. */
  private static final int[] X0 = {0, 4, 0, 2, 0, 1, 0};
  private static final int[] Y0 = {0, 0, 4, 0, 2, 0, 1};
  private static final int[] DX = {8, 8, 4, 4, 2, 2, 1};
  private static final int[] DY = {8, 8, 8, 4, 4, 2, 2};

  /** Checks the size the decoder is about to allocate for (the decode limits). */
  @FunctionalInterface
  interface SizeCheck {
    void check(long width, long height) throws ImagingException;
  }

  private static int be32(byte[] b, int i) {
    return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
  }

  private static long u32(byte[] b, int i) {
    return be32(b, i) & 0xFFFFFFFFL;
  }

  private static ImagingException corrupt() {
    return new ImagingException(CORRUPT);
  }

  /**
   * The first chunk, which must be an IHDR of 13 bytes with a good CRC and a valid combination of bit
   * depth, colour type, compression, filter and interlace methods. {@code b} starts with the signature.
   */
  static Ihdr readIhdr(byte[] b) throws ImagingException {
    if (b.length < 8 + 8 + 13 + 4 || be32(b, 12) != IHDR) {
      throw new ImagingException("PNG image is truncated or corrupt: no IHDR header");
    }
    long len = u32(b, 8);
    if (len != 13) {
      throw new ImagingException("PNG image is corrupt: its IHDR chunk is " + len + " bytes long, not 13");
    }
    if (!crcMatches(b, 8, 13)) {
      throw new ImagingException(PREFIX + "chunk CRC mismatch in IHDR");
    }
    long width = u32(b, 16);
    long height = u32(b, 20);
    int depth = b[24] & 0xFF;
    int colorType = b[25] & 0xFF;
    int interlace = b[28] & 0xFF;
    if (channels(colorType) == 0 || !validDepth(colorType, depth) || b[26] != 0 || b[27] != 0 || interlace > 1) {
      throw new ImagingException("PNG image is corrupt: its IHDR header is not valid (bit depth " + depth
          + ", colour type " + colorType + ")");
    }
    return new Ihdr(width, height, depth, colorType, interlace == 1);
  }

  /** Whether the CRC after the chunk at {@code pos} (of {@code len} data bytes, all within b) matches. */
  private static boolean crcMatches(byte[] b, int pos, int len) {
    CRC32 crc = new CRC32();
    crc.update(b, pos + 4, 4 + len);
    return (int) crc.getValue() == be32(b, pos + 8 + len);
  }

  /** What the chunk walk found: the header, the palette and transparency, and where the image data is. */
  private static final class Layout {
    Ihdr ihdr;
    int[] palette; // ARGB, tRNS applied
    int paletteSize;
    int trnsGray = -1; // grey sample value that is transparent
    int[] trnsRgb; // RGB sample values that are transparent
    boolean trnsSeen;
    int[] idatOffset = new int[8];
    int[] idatLength = new int[8];
    int idats;
    boolean ended;

    void addIdat(int offset, int length) {
      if (idats == idatOffset.length) {
        idatOffset = java.util.Arrays.copyOf(idatOffset, idats * 2);
        idatLength = java.util.Arrays.copyOf(idatLength, idats * 2);
      }
      idatOffset[idats] = offset;
      idatLength[idats] = length;
      idats++;
    }

    boolean transparent() {
      return trnsGray >= 0 || trnsRgb != null;
    }
  }

  /**
   * Walks every chunk up to IEND: checks lengths (long arithmetic: a length of up to 2^32 - 1 never
   * wraps an offset), CRCs of the chunks it reads, a single IHDR, PLTE before the image data, and
   * gathers palette, transparency and the IDAT chunks. Chunks it does not read are skipped unchecked.
   */
  private static Layout walk(byte[] b) throws ImagingException {
    Layout l = new Layout();
    l.ihdr = readIhdr(b);
    int pos = 8 + 8 + 13 + 4;
    for (int chunks = 1; b.length - pos >= 8; chunks++) {
      long len = u32(b, pos);
      int type = be32(b, pos + 4);
      int data = pos + 8;
      if (len > b.length - (long) data) {
        throw corrupt();
      }
      int n = (int) len;
      boolean read = type == IHDR || type == PLTE || type == TRNS || type == IDAT || type == IEND;
      if (read) {
        if (b.length - (long) data - n < 4) {
          throw corrupt(); // its CRC is cut off
        }
        if (!crcMatches(b, pos, n)) {
          throw new ImagingException(PREFIX + "chunk CRC mismatch in " + name(type));
        }
      }
      switch (type) {
        case IHDR -> throw new ImagingException(PREFIX + "it has more than one IHDR chunk");
        case PLTE -> palette(l, b, data, n);
        case TRNS -> transparency(l, b, data, n);
        case IDAT -> l.addIdat(data, n);
        case IEND -> l.ended = true;
        default -> { }
      }
      if (l.ended) {
        break;
      }
      pos = data + n + 4; // at most b.length + 4: the walk then stops
      if ((chunks & 255) == 0) {
        WorkDeadline.check();
      }
    }
    if (l.idats == 0) {
      throw corrupt();
    }
    if (l.ihdr.colorType() == 3 && l.palette == null) {
      throw new ImagingException(PREFIX + "a palette image without a PLTE chunk");
    }
    return l;
  }

  private static String name(int type) {
    return switch (type) {
      case IHDR -> "IHDR";
      case PLTE -> "PLTE";
      case TRNS -> "tRNS";
      case IDAT -> "IDAT";
      default -> "IEND";
    };
  }

  /**
   * PLTE: 1 to 256 entries before the image data. Palette images need it; for the others it is only a
   * suggestion, which the decoder ignores (libpng does too, if it is damaged).
   */
  private static void palette(Layout l, byte[] b, int data, int len) throws ImagingException {
    if (l.ihdr.colorType() != 3) {
      return;
    }
    if (l.palette != null || l.idats > 0 || len == 0 || len % 3 != 0 || len > 3 * 256) {
      throw new ImagingException(PREFIX + "its PLTE chunk is not valid");
    }
    int n = len / 3;
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      int o = data + 3 * i;
      p[i] = 0xFF000000 | ((b[o] & 0xFF) << 16) | ((b[o + 1] & 0xFF) << 8) | (b[o + 2] & 0xFF);
    }
    l.palette = p;
    l.paletteSize = n;
  }

  /**
   * tRNS, before the image data: alpha per palette entry (at most one per entry), or the one grey or
   * RGB value that is transparent. A tRNS chunk that breaks these rules is ignored, as libpng does.
   */
  private static void transparency(Layout l, byte[] b, int data, int len) {
    if (l.idats > 0 || l.trnsSeen) {
      return;
    }
    l.trnsSeen = true;
    switch (l.ihdr.colorType()) {
      case 3 -> {
        if (l.palette != null && len <= l.paletteSize) {
          for (int i = 0; i < len; i++) {
            l.palette[i] = ((b[data + i] & 0xFF) << 24) | (l.palette[i] & 0xFFFFFF);
          }
        }
      }
      case 0 -> {
        if (len == 2) {
          l.trnsGray = ((b[data] & 0xFF) << 8) | (b[data + 1] & 0xFF);
        }
      }
      case 2 -> {
        if (len == 6) {
          l.trnsRgb = new int[] {
            ((b[data] & 0xFF) << 8) | (b[data + 1] & 0xFF),
            ((b[data + 2] & 0xFF) << 8) | (b[data + 3] & 0xFF),
            ((b[data + 4] & 0xFF) << 8) | (b[data + 5] & 0xFF)
          };
        }
      }
      default -> { }
    }
  }

  /** Decodes with no limit but what a raster can hold (tests). */
  static Raster decode(byte[] b) throws ImagingException {
    return decode(b, PngDecoder::rasterFits);
  }

  private static void rasterFits(long width, long height) throws ImagingException {
    new ImagingLimits(Long.MAX_VALUE, Long.MAX_VALUE).checkDecoded(width, height);
  }

  /**
   * Decodes a PNG. The common case (8-bit RGB or RGBA, not interlaced, no tRNS) takes a path that
   * unfilters and packs whole batches of rows with one 4-byte load per pixel; every other layout takes
   * {@link #decodeRows}, which the fast path is tested against.
   */
  static Raster decode(byte[] b, SizeCheck sizeCheck) throws ImagingException {
    Layout l = walk(b);
    Ihdr h = l.ihdr;
    sizeCheck.check(h.width(), h.height());
    if (h.depth() == 8 && (h.colorType() == 2 || h.colorType() == 6) && !h.interlaced() && !l.transparent()) {
      return streamRgb(b, l);
    }
    return rows(b, l);
  }

  /** The general path for every layout (and the reference the fast path is tested against). */
  static Raster decodeRows(byte[] b) throws ImagingException {
    Layout l = walk(b);
    rasterFits(l.ihdr.width(), l.ihdr.height());
    return rows(b, l);
  }

  /** Feeds the IDAT chunks, in order, to one inflater. */
  private static final class Idat implements AutoCloseable {
    private final byte[] b;
    private final Layout l;
    private final Inflater inflater = new Inflater();
    private int next;

    Idat(byte[] b, Layout l) {
      this.b = b;
      this.l = l;
    }

    /** Inflates into buf[off, off + n); returns how many bytes came (fewer only at the end of the data). */
    int read(byte[] buf, int off, int n) throws ImagingException {
      int done = 0;
      try {
        while (done < n && !inflater.finished()) {
          if (inflater.needsInput()) {
            if (next == l.idats) {
              break;
            }
            inflater.setInput(b, l.idatOffset[next], l.idatLength[next]);
            next++;
            continue;
          }
          int k = inflater.inflate(buf, off + done, n - done);
          if (k == 0 && inflater.needsDictionary()) {
            throw corrupt();
          }
          done += k;
        }
      } catch (DataFormatException e) {
        throw corrupt();
      }
      return done;
    }

    /** Without IEND the zlib stream must have ended: a file cut right after its last row would pass otherwise. */
    void finish(Layout l) throws ImagingException {
      if (!l.ended && !inflater.finished()) {
        throw corrupt();
      }
    }

    @Override
    public void close() {
      inflater.end();
    }
  }

  /** A row buffer of up to {@link #BATCH_BYTES} of rows (no more than the image has) after a slot for the previous row. */
  private static byte[] batchBuffer(long rowLen, long rows) throws ImagingException {
    long batchRows = Math.max(1, Math.min(rows, BATCH_BYTES / rowLen));
    long size = (batchRows + 1) * rowLen;
    if (size > Integer.MAX_VALUE - 8) {
      throw new ImagingException(PREFIX + "its rows are too long to decode");
    }
    return new byte[(int) size];
  }

  /** 8-bit RGB or RGBA, not interlaced, no tRNS. */
  private static Raster streamRgb(byte[] b, Layout l) throws ImagingException {
    int w = (int) l.ihdr.width();
    int h = (int) l.ihdr.height();
    boolean rgba = l.ihdr.colorType() == 6;
    int bpp = rgba ? 4 : 3;
    long stride = (long) w * bpp;
    byte[] buf = batchBuffer(stride + 1, h);
    int rowLen = (int) stride + 1;
    int batchRows = buf.length / rowLen - 1;
    int[] out = new int[w * h];
    try (Idat idat = new Idat(b, l)) {
      for (int y = 0; y < h; ) {
        WorkDeadline.check();
        int rows = Math.min(batchRows, h - y);
        if (idat.read(buf, rowLen, rows * rowLen) < rows * rowLen) {
          throw corrupt();
        }
        for (int j = 1; j <= rows; j++) {
          int row = j * rowLen;
          unfilter(buf, row + 1, y + j == 1 ? -1 : row - rowLen + 1, (int) stride, bpp, buf[row] & 0xFF);
          packRow(buf, row + 1, out, (y + j - 1) * w, w, rgba);
        }
        y += rows;
        System.arraycopy(buf, rows * rowLen, buf, 0, rowLen);
      }
      idat.finish(l);
    }
    return new Raster(out, w, h, rgba);
  }

  /** Big-endian int view of a byte array (one load for a pixel's bytes). */
  private static final java.lang.invoke.VarHandle BE_INT =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);

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

  /** Every layout: each pass (one, or Adam7's seven) inflated a batch of rows at a time and scattered into the raster. */
  private static Raster rows(byte[] b, Layout l) throws ImagingException {
    Ihdr ih = l.ihdr;
    int w = (int) ih.width();
    int h = (int) ih.height();
    int channels = ih.channels();
    int depth = ih.depth();
    int bpp = Math.max(1, channels * depth / 8);
    long widest = ((long) w * channels * depth + 7) / 8;
    byte[] buf = batchBuffer(widest + 1, h);
    int[] out = new int[w * h];
    Row row = new Row(ih, l, out, w);
    try (Idat idat = new Idat(b, l)) {
      int passes = ih.interlaced() ? 7 : 1;
      for (int p = 0; p < passes; p++) {
        int x0 = passes == 1 ? 0 : X0[p];
        int y0 = passes == 1 ? 0 : Y0[p];
        int dx = passes == 1 ? 1 : DX[p];
        int dy = passes == 1 ? 1 : DY[p];
        int pw = (w - x0 + dx - 1) / dx;
        int ph = (h - y0 + dy - 1) / dy;
        if (pw <= 0 || ph <= 0) {
          continue; // an empty pass has no bytes at all, not even filter bytes
        }
        int stride = (int) (((long) pw * channels * depth + 7) / 8);
        int rowLen = stride + 1;
        int batchRows = Math.max(1, Math.min(buf.length / rowLen - 1, BATCH_BYTES / rowLen));
        for (int r = 0; r < ph; ) {
          WorkDeadline.check();
          int rows = Math.min(batchRows, ph - r);
          if (idat.read(buf, rowLen, rows * rowLen) < rows * rowLen) {
            throw corrupt();
          }
          for (int j = 1; j <= rows; j++) {
            int at = j * rowLen;
            unfilter(buf, at + 1, r + j == 1 ? -1 : at - rowLen + 1, stride, bpp, buf[at] & 0xFF);
            row.convert(buf, at + 1, pw, (y0 + (r + j - 1) * dy) * w + x0, dx);
          }
          r += rows;
          System.arraycopy(buf, rows * rowLen, buf, 0, rowLen);
        }
      }
      idat.finish(l);
    }
    return new Raster(out, w, h, row.alpha());
  }

  /** Converts unfiltered rows of one layout into ARGB pixels. */
  private static final class Row {
    private final int colorType;
    private final int depth;
    private final int[] palette;
    private final int paletteSize;
    private final int trnsGray;
    private final int[] trnsRgb;
    private final int[] out;

    Row(Ihdr ih, Layout l, int[] out, int w) {
      this.colorType = ih.colorType();
      this.depth = ih.depth();
      this.palette = l.palette;
      this.paletteSize = l.paletteSize;
      this.trnsGray = l.trnsGray;
      this.trnsRgb = l.trnsRgb;
      this.out = out;
    }

    boolean alpha() {
      if (colorType == 4 || colorType == 6 || trnsGray >= 0 || trnsRgb != null) {
        return true;
      }
      if (colorType == 3) {
        for (int i = 0; i < paletteSize; i++) {
          if ((palette[i] >>> 24) != 0xFF) {
            return true;
          }
        }
      }
      return false;
    }

    /** {@code n} pixels of the row at raw[s...] to out[o], out[o + step], ... */
    void convert(byte[] raw, int s, int n, int o, int step) throws ImagingException {
      switch (colorType) {
        case 2 -> rgb(raw, s, n, o, step);
        case 6 -> {
          int size = depth == 8 ? 4 : 8;
          int c = depth == 8 ? 1 : 2;
          for (int x = 0; x < n; x++, s += size, o += step) {
            out[o] = ((raw[s + 3 * c] & 0xFF) << 24) | ((raw[s] & 0xFF) << 16) | ((raw[s + c] & 0xFF) << 8)
                | (raw[s + 2 * c] & 0xFF);
          }
        }
        case 4 -> {
          int size = depth == 8 ? 2 : 4;
          for (int x = 0; x < n; x++, s += size, o += step) {
            int v = raw[s] & 0xFF;
            int a = raw[s + size / 2] & 0xFF;
            out[o] = (a << 24) | (v << 16) | (v << 8) | v;
          }
        }
        case 0 -> grey(raw, s, n, o, step);
        default -> indexed(raw, s, n, o, step);
      }
    }

    private void rgb(byte[] raw, int s, int n, int o, int step) {
      int size = depth == 8 ? 3 : 6;
      int c = depth == 8 ? 1 : 2;
      for (int x = 0; x < n; x++, s += size, o += step) {
        int p = 0xFF000000 | ((raw[s] & 0xFF) << 16) | ((raw[s + c] & 0xFF) << 8) | (raw[s + 2 * c] & 0xFF);
        if (trnsRgb != null && sample(raw, s) == trnsRgb[0] && sample(raw, s + c) == trnsRgb[1]
            && sample(raw, s + 2 * c) == trnsRgb[2]) {
          p &= 0x00FFFFFF;
        }
        out[o] = p;
      }
    }

    private int sample(byte[] raw, int s) {
      return depth == 16 ? ((raw[s] & 0xFF) << 8) | (raw[s + 1] & 0xFF) : raw[s] & 0xFF;
    }

    private void grey(byte[] raw, int s, int n, int o, int step) {
      int max = (1 << depth) - 1;
      for (int x = 0; x < n; x++, o += step) {
        int v;
        int value;
        if (depth == 16) {
          value = ((raw[s + 2 * x] & 0xFF) << 8) | (raw[s + 2 * x + 1] & 0xFF);
          v = value >> 8;
        } else if (depth == 8) {
          value = raw[s + x] & 0xFF;
          v = value;
        } else {
          value = bits(raw, s, x, depth);
          v = value * 255 / max;
        }
        int a = value == trnsGray ? 0 : 0xFF;
        out[o] = (a << 24) | (v << 16) | (v << 8) | v;
      }
    }

    private void indexed(byte[] raw, int s, int n, int o, int step) throws ImagingException {
      for (int x = 0; x < n; x++, o += step) {
        int i = depth == 8 ? raw[s + x] & 0xFF : bits(raw, s, x, depth);
        if (i >= paletteSize) {
          throw new ImagingException(PREFIX + "a pixel uses palette entry " + i + " of a palette of "
              + paletteSize + (paletteSize == 1 ? " colour" : " colours"));
        }
        out[o] = palette[i];
      }
    }
  }

  private static int bits(byte[] raw, int s, int x, int depth) {
    int perByte = 8 / depth;
    int v = raw[s + x / perByte] & 0xFF;
    int shift = 8 - depth * (x % perByte + 1);
    return (v >> shift) & ((1 << depth) - 1);
  }

  static int channels(int colorType) {
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
      case 2, 4, 6 -> depth == 8 || depth == 16;
      default -> false;
    };
  }

  /** Reverses one row's filter in place; {@code prev} is the previous row's first byte or -1. */
  private static void unfilter(byte[] b, int cur, int prev, int n, int bpp, int filter) throws ImagingException {
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
      default -> throw corrupt();
    }
  }
}

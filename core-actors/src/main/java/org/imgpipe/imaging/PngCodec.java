package org.imgpipe.imaging;

import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * PNG decoding and a fast PNG encoder: 8-bit RGB or RGBA, one filter per row, zlib through
 * {@link Deflater} at a low level (measured in docs/performance.md).
 */
final class PngCodec {

  /** Row filter choices; ADAPTIVE picks per row the filter with the smallest sum of |residuals|. */
  enum RowFilter { NONE, SUB, UP, PAETH, ADAPTIVE }

  /** The chosen filter and level: the fastest of the measured settings at similar size (docs/performance.md). */
  static final RowFilter FILTER = RowFilter.UP;
  static final int LEVEL = 1;

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

  private PngCodec() {}

  /** Decodes with no limit but a raster's capacity (see {@link PngDecoder}). */
  static Raster decode(byte[] bytes) throws ImagingException {
    return PngDecoder.decode(bytes);
  }

  static byte[] encode(Raster r) {
    return encode(r, FILTER, LEVEL, Deflater.DEFAULT_STRATEGY);
  }

  /** Rows per deflate part: fewer would cost compression (each part starts with an empty window). */
  static final int MIN_PART_ROWS = 128;

  /** Filtered rows handed to the Deflater at once. */
  private static final int BATCH_BYTES = 1 << 16;

  private static final int ADLER_MOD = 65521;

  /**
   * Encodes with the given row filter, zlib level and strategy. The rows are split over the free
   * cores ({@link Rows}): each part is filtered and deflated by its own Deflater into raw deflate
   * data ended by a sync flush (the last part by the final block), and the parts, concatenated
   * after one zlib header and followed by the Adler-32 of all rows (combined from the parts'),
   * form one valid zlib stream. With one part it is the plain single-Deflater stream.
   */
  static byte[] encode(Raster r, RowFilter filter, int level, int strategy) {
    int w = r.width();
    int h = r.height();
    boolean alpha = r.hasAlpha();
    int[] px = r.argb();
    java.util.Map<Integer, Part> parts = new java.util.concurrent.ConcurrentSkipListMap<>();
    Rows.split(h, MIN_PART_ROWS, (from, to) ->
        parts.put(from, deflatePart(px, w, h, alpha, filter, level, strategy, from, to)));
    return assemble(r, level, parts);
  }

  /** The same stream made of exactly {@code count} parts, one after the other (for tests). */
  static byte[] encodeInParts(Raster r, RowFilter filter, int level, int strategy, int count) {
    int h = r.height();
    java.util.Map<Integer, Part> parts = new java.util.TreeMap<>();
    for (int p = 0; p < count; p++) {
      int from = (int) ((long) h * p / count);
      int to = (int) ((long) h * (p + 1) / count);
      if (to > from || h == 0) {
        parts.put(from, deflatePart(r.argb(), r.width(), h, r.hasAlpha(), filter, level, strategy, from, to));
      }
    }
    return assemble(r, level, parts);
  }

  private static byte[] assemble(Raster r, int level, java.util.Map<Integer, Part> parts) {
    int w = r.width();
    int h = r.height();
    boolean alpha = r.hasAlpha();
    long compressed = 0;
    for (Part part : parts.values()) {
      compressed += part.length;
    }
    // zlib header: deflate with a 32 KiB window, FLEVEL from the level, FCHECK making it a multiple of 31.
    int flevel = level == 1 ? 0 : (level >= 2 && level <= 5 ? 1 : (level >= 7 || level == 9 ? 3 : 2));
    int cmf = 0x78;
    int flg = flevel << 6;
    flg |= 31 - ((cmf << 8) | flg) % 31;
    // The file is written straight into one array of its exact size: the parts and the file are the
    // only copies of the compressed data alive at once.
    long zlen = 2L + compressed + 4;
    long idats = Math.max(1, (zlen + IDAT_MAX - 1) / IDAT_MAX);
    long total = SIGNATURE.length + 25 + zlen + 12 * idats + 12;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("the PNG would be larger than 2 GB");
    }
    byte[] file = new byte[(int) total];
    System.arraycopy(SIGNATURE, 0, file, 0, SIGNATURE.length);
    byte[] ihdr = new byte[13];
    putInt(ihdr, 0, w);
    putInt(ihdr, 4, h);
    ihdr[8] = 8;
    ihdr[9] = (byte) (alpha ? 6 : 2);
    int at = chunk(file, SIGNATURE.length, "IHDR", ihdr, 0, ihdr.length);
    IdatWriter idat = new IdatWriter(file, at, zlen);
    idat.write(new byte[] {(byte) cmf, (byte) flg}, 0, 2);
    long adlerA = 1;
    long adlerB = 0;
    for (Part part : parts.values()) {
      idat.write(part.data, 0, part.length);
      long a2 = part.adler & 0xFFFF;
      long b2 = (part.adler >>> 16) & 0xFFFF;
      long len2 = part.inputBytes % ADLER_MOD;
      adlerB = (adlerB + b2 + len2 * (adlerA + ADLER_MOD - 1)) % ADLER_MOD;
      adlerA = (adlerA + a2 + ADLER_MOD - 1) % ADLER_MOD;
    }
    byte[] adler = new byte[4];
    putInt(adler, 0, (int) ((adlerB << 16) | adlerA));
    idat.write(adler, 0, 4);
    chunk(file, idat.end(), "IEND", adler, 0, 0);
    return file;
  }

  /** Writes a zlib stream of known length into IDAT chunks of at most {@link #IDAT_MAX} bytes, in place. */
  private static final class IdatWriter {
    private final byte[] file;
    private final CRC32 crc = new CRC32();
    private int pos;
    private long left;
    private int chunkLeft;
    private int chunkStart;

    IdatWriter(byte[] file, int pos, long length) {
      this.file = file;
      this.pos = pos;
      this.left = length;
    }

    void write(byte[] src, int off, int len) {
      while (len > 0) {
        if (chunkLeft == 0) {
          chunkLeft = (int) Math.min(IDAT_MAX, left);
          putInt(file, pos, chunkLeft);
          file[pos + 4] = 'I';
          file[pos + 5] = 'D';
          file[pos + 6] = 'A';
          file[pos + 7] = 'T';
          chunkStart = pos + 4;
          pos += 8;
        }
        int n = Math.min(len, chunkLeft);
        System.arraycopy(src, off, file, pos, n);
        pos += n;
        off += n;
        len -= n;
        left -= n;
        chunkLeft -= n;
        if (chunkLeft == 0) {
          crc.reset();
          crc.update(file, chunkStart, pos - chunkStart);
          putInt(file, pos, (int) crc.getValue());
          pos += 4;
        }
      }
    }

    /** Where the data ended (after the last chunk's CRC). */
    int end() {
      return pos;
    }
  }

  /** Largest IDAT chunk written. */
  private static final int IDAT_MAX = 1 << 17;

  /** One part's raw deflate data and the Adler-32 and length of the filtered rows it holds. */
  private record Part(byte[] data, int length, long adler, long inputBytes) {}

  private static Part deflatePart(int[] px, int w, int h, boolean alpha, RowFilter filter, int level,
      int strategy, int from, int to) {
    int bpp = alpha ? 4 : 3;
    int rowBytes = w * bpp;
    int stride = rowBytes + 1;
    Deflater deflater = new Deflater(level, true);
    deflater.setStrategy(strategy);
    java.util.zip.Adler32 adler = new java.util.zip.Adler32();
    byte[] prev = new byte[rowBytes];
    byte[] cur = new byte[rowBytes];
    byte[][] candidates = filter == RowFilter.ADAPTIVE ? new byte[5][stride] : null;
    int batchRows = Math.max(1, BATCH_BYTES / stride);
    byte[] batch = new byte[batchRows * stride + 4]; // + 4: upRow's last 4-byte store
    byte[] filtered = new byte[stride];
    byte[] data = new byte[Math.max(1024, (to - from) * stride / 8)];
    int length = 0;
    if (from > 0) {
      pack(px, (from - 1) * w, w, alpha, prev);
    }
    try {
      for (int y0 = from; y0 < to; y0 += batchRows) {
        WorkDeadline.check();
        int y1 = Math.min(to, y0 + batchRows);
        int n = 0;
        for (int y = y0; y < y1; y++, n += stride) {
          if (filter == RowFilter.UP) {
            upRow(px, y * w, y == 0 ? -1 : (y - 1) * w, w, alpha, batch, n);
            continue;
          }
          pack(px, y * w, w, alpha, cur);
          if (candidates != null) {
            byte[] row = adaptive(cur, prev, bpp, y == 0, candidates);
            System.arraycopy(row, 0, batch, n, stride);
          } else {
            apply(filter, cur, prev, bpp, filtered); // UP never gets here: upRow above
            System.arraycopy(filtered, 0, batch, n, stride);
          }
          byte[] t = prev;
          prev = cur;
          cur = t;
        }
        adler.update(batch, 0, n);
        deflater.setInput(batch, 0, n);
        boolean end = y1 == to;
        if (end && to == h) {
          deflater.finish();
        }
        int flush = end && to < h ? Deflater.SYNC_FLUSH : Deflater.NO_FLUSH;
        while (true) {
          if (length == data.length) {
            data = java.util.Arrays.copyOf(data, data.length * 2);
          }
          int space = data.length - length;
          int k = deflater.deflate(data, length, space, flush);
          length += k;
          if (deflater.finished()) {
            break;
          }
          if (k < space && deflater.needsInput()) {
            // Everything given is consumed; a flush is complete once the output did not fill up.
            if (!end || to < h) {
              break;
            }
          }
        }
      }
      if (to == h && !deflater.finished()) {
        deflater.finish();
        while (!deflater.finished()) {
          if (length == data.length) {
            data = java.util.Arrays.copyOf(data, data.length * 2);
          }
          length += deflater.deflate(data, length, data.length - length);
        }
      }
    } finally {
      deflater.end();
    }
    return new Part(data, length, adler.getValue(), (long) (to - from) * stride);
  }

  /** Big-endian int view of a byte array, for 4-byte stores. */
  private static final java.lang.invoke.VarHandle BE_INT =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);

  /**
   * Writes row {@code off} UP-filtered (NONE when {@code up} < 0, the first row) straight from the
   * pixels: filter byte then R, G, B (, A) minus the row above, byte by byte modulo 256, four lanes
   * per int subtraction. An RGB pixel is stored as 4 bytes whose last is overwritten by the next
   * pixel (or, after the row, by the next row's filter byte; the buffer has 4 spare bytes at its end).
   */
  private static void upRow(int[] px, int off, int up, int w, boolean alpha, byte[] out, int o) {
    out[o] = (byte) (up < 0 ? 0 : 2);
    int j = o + 1;
    if (alpha) {
      for (int x = 0; x < w; x++, j += 4) {
        int d = up < 0 ? px[off + x] : bytewiseSub(px[off + x], px[up + x]);
        BE_INT.set(out, j, Integer.rotateLeft(d, 8));
      }
    } else {
      for (int x = 0; x < w; x++, j += 3) {
        int d = up < 0 ? px[off + x] : bytewiseSub(px[off + x], px[up + x]);
        BE_INT.set(out, j, d << 8);
      }
    }
  }

  /** Each byte of a minus the same byte of b, modulo 256, with no borrow between bytes. */
  static int bytewiseSub(int a, int b) {
    return ((a | 0x80808080) - (b & 0x7F7F7F7F)) ^ ((a ^ ~b) & 0x80808080);
  }

  private static void pack(int[] px, int off, int w, boolean alpha, byte[] row) {
    if (alpha) {
      for (int x = 0, j = 0; x < w; x++, j += 4) {
        int p = px[off + x];
        row[j] = (byte) (p >> 16);
        row[j + 1] = (byte) (p >> 8);
        row[j + 2] = (byte) p;
        row[j + 3] = (byte) (p >>> 24);
      }
    } else {
      for (int x = 0, j = 0; x < w; x++, j += 3) {
        int p = px[off + x];
        row[j] = (byte) (p >> 16);
        row[j + 1] = (byte) (p >> 8);
        row[j + 2] = (byte) p;
      }
    }
  }

  private static void apply(RowFilter f, byte[] cur, byte[] prev, int bpp, byte[] out) {
    int n = cur.length;
    switch (f) {
      case NONE -> {
        out[0] = 0;
        System.arraycopy(cur, 0, out, 1, n);
      }
      case SUB -> {
        out[0] = 1;
        for (int i = 0; i < bpp; i++) {
          out[i + 1] = cur[i];
        }
        for (int i = bpp; i < n; i++) {
          out[i + 1] = (byte) (cur[i] - cur[i - bpp]);
        }
      }
      case UP -> {
        out[0] = 2;
        for (int i = 0; i < n; i++) {
          out[i + 1] = (byte) (cur[i] - prev[i]);
        }
      }
      default -> {
        out[0] = 4;
        for (int i = 0; i < n; i++) {
          int a = i >= bpp ? cur[i - bpp] & 0xFF : 0;
          int b = prev[i] & 0xFF;
          int c = i >= bpp ? prev[i - bpp] & 0xFF : 0;
          out[i + 1] = (byte) (cur[i] - paeth(a, b, c));
        }
      }
    }
  }

  private static byte[] adaptive(byte[] cur, byte[] prev, int bpp, boolean first, byte[][] cand) {
    RowFilter[] order = first
        ? new RowFilter[] {RowFilter.NONE, RowFilter.SUB}
        : new RowFilter[] {RowFilter.NONE, RowFilter.SUB, RowFilter.UP, RowFilter.PAETH};
    long best = Long.MAX_VALUE;
    byte[] bestRow = null;
    for (int k = 0; k < order.length; k++) {
      byte[] out = cand[k];
      apply(order[k], cur, prev, bpp, out);
      long sum = 0;
      for (int i = 1; i < out.length; i++) {
        sum += Math.abs((int) out[i]);
      }
      if (sum < best) {
        best = sum;
        bestRow = out;
      }
    }
    return bestRow;
  }

  static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    if (pa <= pb && pa <= pc) {
      return a;
    }
    return pb <= pc ? b : c;
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  /** Writes one chunk at {@code pos}; returns the position after it. */
  private static int chunk(byte[] file, int pos, String type, byte[] data, int off, int len) {
    putInt(file, pos, len);
    for (int i = 0; i < 4; i++) {
      file[pos + 4 + i] = (byte) type.charAt(i);
    }
    System.arraycopy(data, off, file, pos + 8, len);
    CRC32 crc = new CRC32();
    crc.update(file, pos + 4, 4 + len);
    putInt(file, pos + 8 + len, (int) crc.getValue());
    return pos + 12 + len;
  }

}

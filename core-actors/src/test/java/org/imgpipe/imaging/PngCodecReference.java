package org.imgpipe.imaging;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * Test oracle: the PngCodec code as it was before the issue 8 rewrite.
 *
 * PNG decoding and a fast PNG encoder: 8-bit RGB or RGBA, one filter per row, zlib through
 * {@link Deflater} at a low level (measured in docs/performance.md).
 */
final class PngCodecReference {

  /** Row filter choices; ADAPTIVE picks per row the filter with the smallest sum of |residuals|. */
  enum RowFilter { NONE, SUB, UP, PAETH, ADAPTIVE }

  /** The chosen filter and level: the fastest of the measured settings at similar size (docs/performance.md). */
  static final RowFilter FILTER = RowFilter.UP;
  static final int LEVEL = 1;

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

  private PngCodecReference() {}

  static Raster decode(byte[] bytes) throws IOException {
    try {
      Raster r = PngDecoderReference.decode(bytes);
      if (r != null) {
        return r;
      }
    } catch (PngDecoderReference.BadPng e) {
      throw new IOException(e.getMessage());
    }
    // Interlaced: ImageIO.
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
    if (img == null) {
      throw new IOException("unreadable");
    }
    return Raster.fromBufferedImage(img);
  }

  static byte[] encode(Raster r) {
    return encode(r, FILTER, LEVEL, Deflater.DEFAULT_STRATEGY);
  }

  static byte[] encode(Raster r, RowFilter filter, int level, int strategy) {
    int w = r.width();
    int h = r.height();
    boolean alpha = r.hasAlpha();
    int bpp = alpha ? 4 : 3;
    int rowBytes = w * bpp;
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, w * h));
    out.writeBytes(SIGNATURE);
    byte[] ihdr = new byte[13];
    putInt(ihdr, 0, w);
    putInt(ihdr, 4, h);
    ihdr[8] = 8;
    ihdr[9] = (byte) (alpha ? 6 : 2);
    chunk(out, "IHDR", ihdr, ihdr.length);

    Deflater deflater = new Deflater(level);
    deflater.setStrategy(strategy);
    byte[] idat = new byte[1 << 17];
    int idatLen = 0;
    byte[] prev = new byte[rowBytes];
    byte[] cur = new byte[rowBytes];
    byte[] filtered = new byte[rowBytes + 1];
    byte[][] candidates = filter == RowFilter.ADAPTIVE ? new byte[5][rowBytes + 1] : null;
    int[] px = r.argb();
    RowFilter f = filter;
    for (int y = 0; y < h; y++) {
      pack(px, y * w, w, alpha, cur);
      byte[] row;
      if (candidates != null) {
        row = adaptive(cur, prev, bpp, y == 0, candidates);
      } else {
        apply(f == RowFilter.UP && y == 0 ? RowFilter.NONE : f, cur, prev, bpp, filtered);
        row = filtered;
      }
      deflater.setInput(row, 0, rowBytes + 1);
      while (!deflater.needsInput()) {
        int n = deflater.deflate(idat, idatLen, idat.length - idatLen);
        idatLen += n;
        if (idatLen == idat.length) {
          chunk(out, "IDAT", idat, idatLen);
          idatLen = 0;
        }
      }
      byte[] t = prev;
      prev = cur;
      cur = t;
    }
    deflater.finish();
    while (!deflater.finished()) {
      int n = deflater.deflate(idat, idatLen, idat.length - idatLen);
      idatLen += n;
      if (idatLen == idat.length) {
        chunk(out, "IDAT", idat, idatLen);
        idatLen = 0;
      }
    }
    deflater.end();
    if (idatLen > 0) {
      chunk(out, "IDAT", idat, idatLen);
    }
    chunk(out, "IEND", idat, 0);
    return out.toByteArray();
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

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int len) {
    byte[] head = new byte[8];
    putInt(head, 0, len);
    for (int i = 0; i < 4; i++) {
      head[4 + i] = (byte) type.charAt(i);
    }
    out.write(head, 0, 8);
    out.write(data, 0, len);
    CRC32 crc = new CRC32();
    crc.update(head, 4, 4);
    crc.update(data, 0, len);
    byte[] c = new byte[4];
    putInt(c, 0, (int) crc.getValue());
    out.write(c, 0, 4);
  }
}

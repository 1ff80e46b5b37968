package org.imgpipe.imaging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Image files assembled byte by byte, independently of imgpipe's and the JDK's encoders: hostile files
 * (lying headers, repeated chunks, bad CRCs, scan bombs) and reference PNGs of every layout, written
 * from known samples so that a decoder's output can be checked against them.
 */
final class CraftedImages {

  private CraftedImages() {}

  static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

  /** A PNG file chunk by chunk; each chunk gets its correct CRC unless told otherwise. */
  static final class Png {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Png() {
      out.writeBytes(PNG_SIGNATURE);
    }

    static byte[] ihdrData(long width, long height, int depth, int colorType, boolean interlaced) {
      byte[] d = new byte[13];
      putInt(d, 0, (int) width);
      putInt(d, 4, (int) height);
      d[8] = (byte) depth;
      d[9] = (byte) colorType;
      d[12] = (byte) (interlaced ? 1 : 0);
      return d;
    }

    Png ihdr(long width, long height, int depth, int colorType, boolean interlaced) {
      return chunk("IHDR", ihdrData(width, height, depth, colorType, interlaced));
    }

    Png chunk(String type, byte[] data) {
      return chunk(data.length, type, data, crc(type, data));
    }

    /** A chunk whose length field and CRC are given as they are (they may lie). */
    Png chunk(int lengthField, String type, byte[] data, int crc) {
      byte[] len = new byte[4];
      putInt(len, 0, lengthField);
      out.writeBytes(len);
      out.writeBytes(type.getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(data);
      byte[] c = new byte[4];
      putInt(c, 0, crc);
      out.writeBytes(c);
      return this;
    }

    Png idat(byte[] zlib) {
      return chunk("IDAT", zlib);
    }

    Png iend() {
      return chunk("IEND", new byte[0]);
    }

    Png raw(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  static int crc(String type, byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(type.getBytes(StandardCharsets.US_ASCII));
    crc.update(data);
    return (int) crc.getValue();
  }

  static byte[] zlib(byte[] raw) {
    Deflater d = new Deflater(9);
    d.setInput(raw);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  /**
   * The 94-byte file of the issue: a 1x1 RGB IHDR, then a second IHDR claiming 20000x20000, a tiny IDAT
   * (the 1x1 image's one row) and IEND.
   */
  static byte[] doubleIhdr() {
    return new Png().ihdr(1, 1, 8, 2, false).ihdr(20000, 20000, 8, 2, false)
        .idat(zlib(new byte[] {0, 1, 2, 3})).iend().bytes();
  }

  // ---- reference PNGs from samples

  /** Adam7 passes: first column and row, steps. */
  static final int[][] ADAM7 = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2},
      {0, 1, 1, 2}};

  /**
   * A PNG of {@code samples[y][x][channel]} (each below 2^depth) in the given colour type and depth,
   * Adam7-interlaced or not, its rows filtered with filter (row + pass) % 5, with an optional PLTE
   * (RGB triples) and tRNS.
   */
  static byte[] png(int[][][] samples, int depth, int colorType, boolean interlaced, int[] palette, byte[] trns) {
    int h = samples.length;
    int w = samples[0].length;
    int channels = PngDecoder.channels(colorType);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    int[][] passes = interlaced ? ADAM7 : new int[][] {{0, 0, 1, 1}};
    for (int p = 0; p < passes.length; p++) {
      int x0 = passes[p][0];
      int y0 = passes[p][1];
      int dx = passes[p][2];
      int dy = passes[p][3];
      int pw = (w - x0 + dx - 1) / dx;
      int ph = (h - y0 + dy - 1) / dy;
      if (pw <= 0 || ph <= 0) {
        continue;
      }
      int rowBytes = (pw * channels * depth + 7) / 8;
      int bpp = Math.max(1, channels * depth / 8);
      byte[] prev = new byte[rowBytes];
      for (int r = 0; r < ph; r++) {
        byte[] row = new byte[rowBytes];
        int bit = 0;
        for (int i = 0; i < pw; i++) {
          int[] px = samples[y0 + r * dy][x0 + i * dx];
          for (int c = 0; c < channels; c++) {
            int v = px[c];
            if (depth == 16) {
              row[bit / 8] = (byte) (v >> 8);
              row[bit / 8 + 1] = (byte) v;
            } else if (depth == 8) {
              row[bit / 8] = (byte) v;
            } else {
              row[bit / 8] |= (byte) (v << (8 - depth - bit % 8));
            }
            bit += depth;
          }
        }
        int filter = (r + p) % 5;
        raw.write(filter);
        raw.writeBytes(filter(row, r == 0 ? null : prev, bpp, filter));
        prev = row;
      }
    }
    Png png = new Png().ihdr(w, h, depth, colorType, interlaced);
    if (palette != null) {
      byte[] plte = new byte[palette.length * 3];
      for (int i = 0; i < palette.length; i++) {
        plte[3 * i] = (byte) (palette[i] >> 16);
        plte[3 * i + 1] = (byte) (palette[i] >> 8);
        plte[3 * i + 2] = (byte) palette[i];
      }
      png.chunk("PLTE", plte);
    }
    if (trns != null) {
      png.chunk("tRNS", trns);
    }
    byte[] z = zlib(raw.toByteArray());
    // Two IDAT chunks, split at an arbitrary point, as writers do.
    int cut = z.length / 3;
    return png.idat(java.util.Arrays.copyOfRange(z, 0, cut)).idat(java.util.Arrays.copyOfRange(z, cut, z.length))
        .iend().bytes();
  }

  private static byte[] filter(byte[] row, byte[] prev, int bpp, int filter) {
    byte[] out = new byte[row.length];
    for (int i = 0; i < row.length; i++) {
      int a = i >= bpp ? row[i - bpp] & 0xFF : 0;
      int b = prev != null ? prev[i] & 0xFF : 0;
      int c = prev != null && i >= bpp ? prev[i - bpp] & 0xFF : 0;
      int predictor = switch (filter) {
        case 0 -> 0;
        case 1 -> a;
        case 2 -> b;
        case 3 -> (a + b) >> 1;
        default -> paeth(a, b, c);
      };
      out[i] = (byte) (row[i] - predictor);
    }
    return out;
  }

  private static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : (pb <= pc ? b : c);
  }

  // ---- JPEG

  private static void segment(ByteArrayOutputStream o, int marker, byte[] body) {
    o.write(0xFF);
    o.write(marker);
    int len = body.length + 2;
    o.write(len >> 8);
    o.write(len & 0xFF);
    o.writeBytes(body);
  }

  /** SOI, a baseline frame header of the given size and components, and a scan header: enough for the header probe. */
  static byte[] jpegFrame(int width, int height, int components) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(0xFF);
    o.write(0xD8);
    byte[] sof = new byte[6 + 3 * components];
    sof[0] = 8;
    sof[1] = (byte) (height >> 8);
    sof[2] = (byte) height;
    sof[3] = (byte) (width >> 8);
    sof[4] = (byte) width;
    sof[5] = (byte) components;
    byte[] sos = new byte[4 + 2 * components];
    sos[0] = (byte) components;
    for (int c = 0; c < components; c++) {
      sof[6 + 3 * c] = (byte) (c + 1);
      sof[7 + 3 * c] = 0x11;
      sos[1 + 2 * c] = (byte) (c + 1);
    }
    sos[2 + 2 * components] = 63;
    segment(o, 0xC0, sof);
    segment(o, 0xDA, sos);
    return o.toByteArray();
  }

  /**
   * A valid progressive grey JPEG of all-zero coefficients: a DC scan (one bit per 8x8 block) and
   * {@code acScans} AC scans, each a few bytes of end-of-band runs covering every block. With
   * {@code legal} the AC scans follow the successive-approximation rules (up to 882 of them: 63
   * coefficients x 14 bit positions); otherwise the same first scan of coefficient 1 is repeated, which
   * libjpeg also accepts without a warning. {@code garbageAfterScan} > 0 puts two stray bytes after that
   * AC scan (libjpeg warns: "extraneous bytes before marker").
   */
  static byte[] progressiveGreyScanBomb(int width, int height, int acScans, boolean legal, int garbageAfterScan) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(0xFF);
    o.write(0xD8);
    byte[] dqt = new byte[65];
    java.util.Arrays.fill(dqt, 1, 65, (byte) 1);
    segment(o, 0xDB, dqt);
    segment(o, 0xC2, new byte[] {8, (byte) (height >> 8), (byte) height, (byte) (width >> 8), (byte) width, 1, 1,
        0x11, 0});
    // DC table 0: one code, length 1, for difference category 0.
    byte[] dc = new byte[18];
    dc[1] = 1;
    segment(o, 0xC4, dc);
    // AC table 0: 15 codes of 4 bits, the end-of-band runs EOB0 .. EOB14 (symbols 0x00 .. 0xE0).
    byte[] ac = new byte[32];
    ac[0] = 0x10;
    ac[4] = 15;
    for (int r = 0; r < 15; r++) {
      ac[17 + r] = (byte) (r << 4);
    }
    segment(o, 0xC4, ac);
    long blocks = (long) ((width + 7) / 8) * ((height + 7) / 8);
    segment(o, 0xDA, new byte[] {1, 1, 0x00, 0, 0, 0});
    int dcBytes = (int) ((blocks + 7) / 8);
    o.writeBytes(new byte[dcBytes - 1]);
    int rest = (int) (blocks - 8L * (dcBytes - 1));
    o.write((0xFF >> rest) & 0xFF);
    byte[] eob = eobRuns(blocks);
    int scans = 0;
    outer:
    for (int k = 1; k <= 63; k++) {
      for (int al = 13; al >= 0; al--) {
        if (scans == acScans) {
          break outer;
        }
        int ah = al == 13 ? 0 : al + 1;
        int band = legal ? k : 1;
        int bits = legal ? (ah << 4) | al : 0;
        segment(o, 0xDA, new byte[] {1, 1, 0x00, (byte) band, (byte) band, (byte) bits});
        o.writeBytes(eob);
        scans++;
        if (scans == garbageAfterScan) {
          o.write(0x12);
          o.write(0x34);
        }
      }
    }
    o.write(0xFF);
    o.write(0xD9);
    return o.toByteArray();
  }

  /** End-of-band runs covering {@code blocks} blocks: symbol r (4-bit code r) then r extra bits; at most 32767 a run. */
  private static byte[] eobRuns(long blocks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int acc = 0;
    int n = 0;
    long left = blocks;
    java.util.List<int[]> codes = new java.util.ArrayList<>();
    while (left > 0) {
      int run = (int) Math.min(left, 32767);
      int r = 31 - Integer.numberOfLeadingZeros(run);
      codes.add(new int[] {r, 4});
      if (r > 0) {
        codes.add(new int[] {run - (1 << r), r});
      }
      left -= run;
    }
    for (int[] c : codes) {
      for (int i = c[1] - 1; i >= 0; i--) {
        acc = (acc << 1) | ((c[0] >> i) & 1);
        if (++n == 8) {
          out.write(acc);
          if (acc == 0xFF) {
            out.write(0);
          }
          acc = 0;
          n = 0;
        }
      }
    }
    if (n > 0) {
      acc = (acc << (8 - n)) | ((1 << (8 - n)) - 1);
      out.write(acc);
      if (acc == 0xFF) {
        out.write(0);
      }
    }
    return out.toByteArray();
  }
}

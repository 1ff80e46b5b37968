package org.imgpipe.pipeline;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.util.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.imgpipe.imaging.Raster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lossless form a decoded image takes on its way to another node: every row minus the row above,
 * byte by byte (PNG's UP filter, 3 bytes a pixel, 4 with alpha), compressed with zstd at level 1, a
 * batch of rows at a time so that the filtered bytes are still in cache when zstd reads them. On
 * the demo's 1280x720 rasters that is 6-19 KB instead of 2.7 MB, for about 2.5 ms each way
 * (docs/cluster-transport.md has the measurements of every candidate). Pixels come back bit for bit.
 */
final class CompactRaster {

  private static final Logger log = LoggerFactory.getLogger(CompactRaster.class);

  /** zstd's fastest regular level: higher levels cost more time than the bytes they save are worth. */
  static final int LEVEL = 1;

  /** Below this many raw bytes compression saves nothing worth its call. */
  static final int MIN_BYTES = 4096;

  private static final boolean AVAILABLE = loadNative();

  private CompactRaster() {}

  /** Whether zstd could be loaded on this machine; without it rasters travel raw. */
  static boolean available() {
    return AVAILABLE;
  }

  /** Raw bytes of a raster of this shape: 3 or 4 a pixel. */
  static long rawBytes(int width, int height, boolean alpha) {
    return (long) width * height * (alpha ? 4 : 3);
  }

  /** Rows are filtered and packed this many bytes at a time, so that each batch is still in cache for zstd. */
  private static final int BATCH_BYTES = 64 * 1024;

  /** What a thread keeps between images: zstd's contexts and the batch and output buffers. */
  private static final class Scratch {
    final ZstdCompressCtx compressor = new ZstdCompressCtx().setLevel(LEVEL).setContentSize(true);
    final ZstdDecompressCtx decompressor = new ZstdDecompressCtx();
    byte[] batch = new byte[BATCH_BYTES];
    byte[] out = new byte[256 * 1024];

    byte[] batch(int bytes) {
      if (batch.length < bytes) {
        batch = new byte[bytes];
      }
      return batch;
    }
  }

  /** Outputs up to this size keep their buffer for the thread's next image. */
  private static final int KEEP_OUT_BYTES = 8 << 20;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * The raster compressed, or null when that would not make it smaller than its raw pixels (noise,
   * tiny images) or zstd is unavailable: the caller then sends raw pixels.
   */
  static byte[] compress(Raster r) {
    long raw = rawBytes(r.width(), r.height(), r.hasAlpha());
    if (!AVAILABLE || raw < MIN_BYTES || raw > Integer.MAX_VALUE - 64) {
      return null;
    }
    Scratch s = SCRATCH.get();
    int w = r.width();
    int h = r.height();
    int bpp = r.hasAlpha() ? 4 : 3;
    int rowBytes = w * bpp;
    int rowsPerBatch = Math.max(1, BATCH_BYTES / rowBytes);
    byte[] batch = s.batch(rowsPerBatch * rowBytes);
    long limit = raw * 15 / 16;
    ZstdCompressCtx z = s.compressor;
    z.reset();
    z.setLevel(LEVEL).setContentSize(true);
    z.setPledgedSrcSize(raw);
    ByteBuffer dst = ByteBuffer.wrap(s.out);
    try {
      for (int y = 0; y < h; y += rowsPerBatch) {
        int rows = Math.min(rowsPerBatch, h - y);
        filterUp(r, y, rows, batch);
        ByteBuffer src = ByteBuffer.wrap(batch, 0, rows * rowBytes);
        while (src.hasRemaining()) {
          dst = room(dst, s);
          z.compressByteBufferStream(dst, src, EndDirective.CONTINUE);
        }
        if (dst.position() >= limit) {
          return null;
        }
      }
      ByteBuffer none = ByteBuffer.allocate(0);
      do {
        dst = room(dst, s);
      } while (!z.compressByteBufferStream(dst, none, EndDirective.END));
    } catch (ZstdException e) {
      return null;
    }
    return dst.position() >= limit ? null : Arrays.copyOf(dst.array(), dst.position());
  }

  /** {@code dst}, or a larger copy of it when it is full. */
  private static ByteBuffer room(ByteBuffer dst, Scratch s) {
    if (dst.remaining() >= 1024) {
      return dst;
    }
    byte[] bigger = Arrays.copyOf(dst.array(), Math.max(2 * dst.capacity(), 64 * 1024));
    if (bigger.length <= KEEP_OUT_BYTES) {
      s.out = bigger;
    }
    return ByteBuffer.wrap(bigger).position(dst.position());
  }

  /**
   * The raster of {@code width x height} pixels back from {@code compressed}; the caller has checked the
   * size against its limits. Anything that does not decompress to exactly that many bytes is refused.
   */
  static Raster decompress(byte[] compressed, int off, int len, int width, int height, boolean alpha) {
    long raw = rawBytes(width, height, alpha);
    if (width <= 0 || height <= 0 || raw > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("bad raster size " + width + "x" + height);
    }
    if (!AVAILABLE) {
      throw new IllegalArgumentException("a compressed raster arrived, but zstd is not available on this node");
    }
    // The frame says how much it holds: a frame that claims anything else is refused before the pixels
    // are allocated.
    long declared = Zstd.getFrameContentSize(compressed, off, len);
    if (declared != raw) {
      throw new IllegalArgumentException("compressed raster does not hold " + width + "x" + height + " pixels"
          + (declared < 0 ? " (no valid frame header)" : " (it holds " + declared + " bytes)"));
    }
    Scratch s = SCRATCH.get();
    int bpp = alpha ? 4 : 3;
    int rowBytes = width * bpp;
    int rowsPerBatch = Math.max(1, BATCH_BYTES / Math.max(1, rowBytes));
    byte[] batch = s.batch(rowsPerBatch * rowBytes);
    int[] px = new int[width * height];
    ZstdDecompressCtx z = s.decompressor;
    z.reset();
    ByteBuffer src = ByteBuffer.wrap(compressed, off, len);
    boolean ended = false;
    try {
      for (int y = 0; y < height; y += rowsPerBatch) {
        int rows = Math.min(rowsPerBatch, height - y);
        ByteBuffer dst = ByteBuffer.wrap(batch, 0, rows * rowBytes);
        while (dst.hasRemaining()) {
          int before = src.position() + dst.position();
          ended = z.decompressByteBufferStream(dst, src);
          if (src.position() + dst.position() == before) {
            throw new IllegalArgumentException("compressed raster ends before " + width + "x" + height + " pixels");
          }
        }
        unfilterUp(batch, y, rows, width, alpha, px);
      }
      if (!ended || src.hasRemaining()) {
        throw new IllegalArgumentException("compressed raster holds more than " + width + "x" + height + " pixels");
      }
    } catch (ZstdException e) {
      throw new IllegalArgumentException("compressed raster is corrupt (" + e.getMessage() + ")");
    }
    return new Raster(px, width, height, alpha);
  }

  /**
   * Rows [y, y + rows) of {@code r}, each pixel minus the pixel above byte by byte (the first row as it
   * is), packed into {@code out}: A, R, G, B with alpha, R, G, B without.
   */
  static void filterUp(Raster r, int y, int rows, byte[] out) {
    int w = r.width();
    int[] px = r.argb();
    int p = 0;
    for (int row = y; row < y + rows; row++) {
      int at = row * w;
      int up = at - w;
      if (r.hasAlpha()) {
        for (int x = 0; x < w; x++) {
          int d = row == 0 ? px[at + x] : bytewiseSub(px[at + x], px[up + x]);
          out[p] = (byte) (d >>> 24);
          out[p + 1] = (byte) (d >>> 16);
          out[p + 2] = (byte) (d >>> 8);
          out[p + 3] = (byte) d;
          p += 4;
        }
      } else {
        for (int x = 0; x < w; x++) {
          int d = row == 0 ? px[at + x] : bytewiseSub(px[at + x], px[up + x]);
          out[p] = (byte) (d >>> 16);
          out[p + 1] = (byte) (d >>> 8);
          out[p + 2] = (byte) d;
          p += 3;
        }
      }
    }
  }

  /** The inverse of {@link #filterUp}: rows [y, y + rows) of {@code px} from {@code in}. */
  static void unfilterUp(byte[] in, int y, int rows, int w, boolean alpha, int[] px) {
    int p = 0;
    for (int row = y; row < y + rows; row++) {
      int at = row * w;
      int up = at - w;
      if (alpha) {
        for (int x = 0; x < w; x++) {
          int d = (in[p] & 0xff) << 24 | (in[p + 1] & 0xff) << 16 | (in[p + 2] & 0xff) << 8 | (in[p + 3] & 0xff);
          px[at + x] = row == 0 ? d : bytewiseAdd(d, px[up + x]);
          p += 4;
        }
      } else {
        for (int x = 0; x < w; x++) {
          int d = (in[p] & 0xff) << 16 | (in[p + 1] & 0xff) << 8 | (in[p + 2] & 0xff);
          px[at + x] = 0xff000000 | (row == 0 ? d : bytewiseAdd(d, px[up + x]));
          p += 3;
        }
      }
    }
  }

  /** a - b in each of the four bytes, without borrows between them. */
  private static int bytewiseSub(int a, int b) {
    return ((a | 0x80808080) - (b & 0x7f7f7f7f)) ^ ((a ^ ~b) & 0x80808080);
  }

  /** a + b in each of the four bytes, without carries between them. */
  private static int bytewiseAdd(int a, int b) {
    return ((a & 0x7f7f7f7f) + (b & 0x7f7f7f7f)) ^ ((a ^ b) & 0x80808080);
  }

  /**
   * Loads zstd's JNI library from a directory only this process can read, removed again at exit, instead
   * of a predictable file in the shared temporary directory.
   */
  private static boolean loadNative() {
    try {
      Path dir = Files.createTempDirectory("imgpipe-zstd-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "imgpipe-zstd-cleanup"));
      Native.load(dir.toFile());
      return true;
    } catch (IOException | UnsupportedOperationException | LinkageError | SecurityException e) {
      log.warn("zstd is not available ({}); images cross nodes as raw pixels", e.toString());
      return false;
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // best effort at exit
    }
  }
}

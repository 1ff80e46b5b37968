package org.imgpipe.pipeline;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.util.Native;
import java.io.IOException;
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
 * byte by byte (PNG's UP filter, 3 bytes a pixel, 4 with alpha), compressed with zstd at level 1. On
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

  /**
   * The raster compressed, or null when that would not make it smaller than its raw pixels (noise,
   * tiny images) or zstd is unavailable: the caller then sends raw pixels.
   */
  static byte[] compress(Raster r) {
    long raw = rawBytes(r.width(), r.height(), r.hasAlpha());
    if (!AVAILABLE || raw < MIN_BYTES || raw > Integer.MAX_VALUE - 64) {
      return null;
    }
    byte[] filtered = filterUp(r);
    byte[] out = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Zstd.compressBound(filtered.length))];
    long n = Zstd.compressByteArray(out, 0, out.length, filtered, 0, filtered.length, LEVEL);
    if (Zstd.isError(n) || n >= raw * 15 / 16) {
      return null;
    }
    return Arrays.copyOf(out, (int) n);
  }

  /**
   * The raster of {@code width x height} pixels back from {@code compressed}; the caller has checked the
   * size against its limits. Anything that does not decompress to exactly that many bytes is refused.
   */
  static Raster decompress(byte[] compressed, int off, int len, int width, int height, boolean alpha) {
    long raw = rawBytes(width, height, alpha);
    if (width < 0 || height < 0 || raw > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("bad raster size " + width + "x" + height);
    }
    if (!AVAILABLE) {
      throw new IllegalArgumentException("a compressed raster arrived, but zstd is not available on this node");
    }
    // The frame says how much it holds: a frame that claims anything else is refused before the buffer
    // for the pixels is allocated.
    long declared = Zstd.getFrameContentSize(compressed, off, len);
    if (declared != raw) {
      throw new IllegalArgumentException("compressed raster does not hold " + width + "x" + height + " pixels"
          + (declared < 0 ? " (no valid frame header)" : " (it holds " + declared + " bytes)"));
    }
    byte[] filtered = new byte[(int) raw];
    long n = Zstd.decompressByteArray(filtered, 0, filtered.length, compressed, off, len);
    if (Zstd.isError(n) || n != raw) {
      throw new IllegalArgumentException("compressed raster does not hold " + width + "x" + height + " pixels"
          + (Zstd.isError(n) ? " (" + Zstd.getErrorName(n) + ")" : ""));
    }
    return new Raster(unfilterUp(filtered, width, height, alpha), width, height, alpha);
  }

  /** Each pixel's bytes minus the bytes of the pixel above (the first row as it is), packed. */
  static byte[] filterUp(Raster r) {
    int w = r.width();
    int h = r.height();
    int[] px = r.argb();
    boolean alpha = r.hasAlpha();
    byte[] out = new byte[(int) rawBytes(w, h, alpha)];
    int p = 0;
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        int c = px[row + x];
        int d = y == 0 ? c : bytewiseSub(c, px[row + x - w]);
        if (alpha) {
          out[p++] = (byte) (d >>> 24);
        }
        out[p++] = (byte) (d >>> 16);
        out[p++] = (byte) (d >>> 8);
        out[p++] = (byte) d;
      }
    }
    return out;
  }

  static int[] unfilterUp(byte[] in, int w, int h, boolean alpha) {
    int[] px = new int[w * h];
    int p = 0;
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        int up = y == 0 ? 0 : px[row + x - w];
        int a = alpha ? ((up >>> 24) + in[p++]) & 0xff : 0xff;
        int r = ((up >>> 16) + in[p]) & 0xff;
        int g = ((up >>> 8) + in[p + 1]) & 0xff;
        int b = (up + in[p + 2]) & 0xff;
        p += 3;
        px[row + x] = a << 24 | r << 16 | g << 8 | b;
      }
    }
    return px;
  }

  /** a - b in each of the four bytes, without borrows between them. */
  private static int bytewiseSub(int a, int b) {
    return ((a | 0x80808080) - (b & 0x7f7f7f7f)) ^ ((a ^ ~b) & 0x80808080);
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

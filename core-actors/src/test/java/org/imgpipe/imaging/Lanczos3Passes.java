package org.imgpipe.imaging;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.imgpipe.testing.TestImages;

/**
 * Per-pass CPU time (horizontal only, vertical only) of the reference and the new kernel, row splitting
 * off. Run like {@link Lanczos3Ab}, with {@code -Drounds=N} in the JVM arguments for more rounds.
 */
final class Lanczos3Passes {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private Lanczos3Passes() {}

  public static void main(String[] args) {
    Rows.maxParts(1);
    Raster demo = DemoImages.demoRaster(1920, 1080);
    Raster photo = TestImages.photoLike(1920, 1080, 9);
    Object[][] cases = {
      {"demo H 1920->1280", demo, 1280, 1080},
      {"demo V 1080->720", Lanczos3Reference.resize(demo, 1280, 1080), 1280, 720},
      {"photo H 1920->1280", photo, 1280, 1080},
      {"photo V 1080->720", Lanczos3Reference.resize(photo, 1280, 1080), 1280, 720},
    };
    long sink = 0;
    int rounds = Integer.getInteger("rounds", 11);
    for (Object[] c : cases) {
      Raster src = (Raster) c[1];
      int dw = (Integer) c[2];
      int dh = (Integer) c[3];
      long[] ref = new long[rounds];
      long[] neu = new long[rounds];
      for (int r = -5; r < rounds; r++) {
        long t0 = THREADS.getCurrentThreadCpuTime();
        sink += Lanczos3Reference.resize(src, dw, dh).argb()[7];
        long t1 = THREADS.getCurrentThreadCpuTime();
        sink += Lanczos3.resize(src, dw, dh).argb()[7];
        long t2 = THREADS.getCurrentThreadCpuTime();
        if (r >= 0) {
          ref[r] = t1 - t0;
          neu[r] = t2 - t1;
        }
      }
      Arrays.sort(ref);
      Arrays.sort(neu);
      System.out.printf("%-22s ref %6.1f / %6.1f   new %6.1f / %6.1f%n", c[0], ref[0] / 1e6, ref[rounds / 2] / 1e6,
          neu[0] / 1e6, neu[rounds / 2] / 1e6);
    }
    System.out.println(sink);
  }
}

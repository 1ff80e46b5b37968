package org.imgpipe.imaging;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.imgpipe.testing.TestImages;

/**
 * A/B timing of {@link Lanczos3} against {@link Lanczos3Reference}, interleaved in one JVM, by the
 * calling thread's CPU time with row splitting off (so all work is on that thread), then the wall time
 * of the new kernel with splitting on and off. Run from the worktree root:
 * {@code mvn -B -q -pl core-actors test-compile exec:exec -Dexec.executable=java
 * -Dexec.classpathScope=test -Dexec.args="-cp %classpath org.imgpipe.imaging.Lanczos3Ab"}.
 */
final class Lanczos3Ab {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private Lanczos3Ab() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int warmup = 5;
    Object[][] cases = {
      {"demo 1920x1080 -> 1280x720", DemoImages.demoRaster(1920, 1080), 1280, 720},
      {"demo 2560x1440 -> 1280x720", DemoImages.demoRaster(2560, 1440), 1280, 720},
      {"demo 1600x900 -> 1280x720", DemoImages.demoRaster(1600, 900), 1280, 720},
      {"photo 2304x1440 -> 1152x720", TestImages.photoLike(2304, 1440, 9), 1152, 720},
      {"photo+alpha 1920x1080 -> 1280x720", TestImages.photoLikeWithAlpha(1920, 1080, 9), 1280, 720},
    };
    int cores = Runtime.getRuntime().availableProcessors();
    Rows.maxParts(1);
    long sink = 0;
    System.out.printf("%-36s %22s %22s %7s%n", "case (CPU ms, best / median)", "reference", "new", "speedup");
    for (Object[] c : cases) {
      Raster src = (Raster) c[1];
      int dw = (Integer) c[2];
      int dh = (Integer) c[3];
      long[] ref = new long[rounds];
      long[] neu = new long[rounds];
      for (int r = -warmup; r < rounds; r++) {
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
      System.out.printf("%-36s %10.1f / %9.1f %10.1f / %9.1f %6.1fx%n", c[0], ms(ref[0]), ms(ref[rounds / 2]),
          ms(neu[0]), ms(neu[rounds / 2]), (double) ref[rounds / 2] / neu[rounds / 2]);
    }
    System.out.printf("%n%-36s %22s %22s%n", "case (wall ms, best / median)", "split (" + cores + " parts)", "maxParts(1)");
    for (Object[] c : cases) {
      Raster src = (Raster) c[1];
      int dw = (Integer) c[2];
      int dh = (Integer) c[3];
      long[] split = new long[rounds];
      long[] one = new long[rounds];
      for (int r = -warmup; r < rounds; r++) {
        Rows.maxParts(cores);
        long t0 = System.nanoTime();
        sink += Lanczos3.resize(src, dw, dh).argb()[7];
        long t1 = System.nanoTime();
        Rows.maxParts(1);
        sink += Lanczos3.resize(src, dw, dh).argb()[7];
        long t2 = System.nanoTime();
        if (r >= 0) {
          split[r] = t1 - t0;
          one[r] = t2 - t1;
        }
      }
      Arrays.sort(split);
      Arrays.sort(one);
      System.out.printf("%-36s %10.1f / %9.1f %10.1f / %9.1f%n", c[0], ms(split[0]), ms(split[rounds / 2]),
          ms(one[0]), ms(one[rounds / 2]));
    }
    System.out.println("(checksum " + sink + ")");
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}

package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Work whose deadline has passed stops within tens of milliseconds, on every thread it runs on. */
class WorkDeadlineTest {

  private static final long MS = 1_000_000L;

  @AfterEach
  void restore() {
    Rows.maxParts(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void noDeadlineNeverPasses() {
    assertEquals(WorkDeadline.NONE, WorkDeadline.current());
    assertEquals(false, WorkDeadline.passed());
    WorkDeadline.check();
    // NONE is not a time: no nanoTime value makes it pass.
    assertEquals(false, WorkDeadline.passed(Long.MAX_VALUE));
  }

  @Test
  void theDeadlineHoldsOnlyForTheWorkItWasSetFor() {
    long d = System.nanoTime() + 60_000 * MS;
    long inside = WorkDeadline.during(d, WorkDeadline::current);
    assertEquals(d, inside);
    assertEquals(WorkDeadline.NONE, WorkDeadline.current());
    long past = System.nanoTime() - 1;
    WorkDeadline.Passed e = assertThrows(WorkDeadline.Passed.class,
        () -> WorkDeadline.during(past, () -> { WorkDeadline.check(); return null; }));
    assertEquals("image work stopped: the request's deadline passed", e.getMessage());
    assertEquals(WorkDeadline.NONE, WorkDeadline.current());
  }

  @Test
  void rowsSplitRunsNoChunkOnceTheDeadlineHasPassed() {
    AtomicInteger rows = new AtomicInteger();
    assertThrows(WorkDeadline.Passed.class, () -> WorkDeadline.during(System.nanoTime() - 1, () -> {
      Rows.split(1000, 16, (from, to) -> rows.addAndGet(to - from));
      return null;
    }));
    assertEquals(0, rows.get());
  }

  @Test
  void helperThreadsWorkUnderTheCallersDeadline() {
    long d = System.nanoTime() + 60_000 * MS;
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    WorkDeadline.during(d, () -> {
      Rows.split(1000, 16, (from, to) -> seen.add(WorkDeadline.current()), Runnable::run);
      Rows.split(1000, 16, (from, to) -> seen.add(WorkDeadline.current()));
      return null;
    });
    assertEquals(Set.of(d), seen);
  }

  @Test
  void chunksAfterTheDeadlineAreSkippedOnEveryThread() {
    // Two parts: each chunk sleeps past the deadline, so only the chunks already begun finish.
    Rows.maxParts(2);
    AtomicInteger chunks = new AtomicInteger();
    long d = System.nanoTime() + 30 * MS;
    assertThrows(WorkDeadline.Passed.class, () -> WorkDeadline.during(d, () -> {
      Rows.split(64 * 16, 16, (from, to) -> {
        chunks.incrementAndGet();
        sleep(50);
      });
      return null;
    }));
    assertTrue(chunks.get() <= 2, chunks.get() + " chunks ran");
  }

  @Test
  void aLongBlurStopsShortlyAfterItsDeadline() {
    Raster big = DemoImages.noise(4000, 2500, 7, false);
    ImageOperation blur = FilterType.BLUR.withIntensity(1);
    for (int parts : new int[] {1, 2}) {
      Rows.maxParts(parts);
      Late late = stopsAfter(() -> apply(blur, big));
      assertEquals("image work stopped: the request's deadline passed", late.stop().getMessage());
      System.out.println("BLUR 4000x2500, " + parts + " part(s): " + late);
      assertTrue(late.prompt(), parts + " part(s): " + late);
    }
  }

  @Test
  void aLongResizeStopsShortlyAfterItsDeadline() {
    Raster big = DemoImages.noise(4000, 2500, 8, false);
    Resize up = new Resize(6000, 3750, false, ImagingLimits.DEFAULT);
    Late late = stopsAfter(() -> apply(up, big));
    System.out.println("resize 4000x2500 to 6000x3750: " + late);
    assertTrue(late.prompt(), late.toString());
  }

  @Test
  void sharpenAndEdgesDoNoWorkOnceTheDeadlineHasPassed() {
    Raster big = DemoImages.noise(400, 300, 8, false);
    for (ImageOperation op : new ImageOperation[] {FilterType.SHARPEN.withIntensity(1),
        FilterType.EDGE_DETECT.withIntensity(1), FilterType.BLUR.withIntensity(1)}) {
      assertThrows(WorkDeadline.Passed.class, () -> WorkDeadline.during(System.nanoTime() - 1, () -> apply(op, big)));
    }
  }

  @Test
  void pngEncodingStopsWithAClearMessage() {
    Raster big = DemoImages.noise(4000, 2500, 9, false);
    Late late = stopsAfter(() -> {
      try {
        new ImageEncoder().encode(big, ImageFormat.PNG, 0);
        return null;
      } catch (ImagingException e) {
        throw new IllegalStateException(e);
      }
    });
    ImagingException e = (ImagingException) late.stop().getCause();
    assertEquals("PNG encoding stopped: the request's deadline passed", e.getMessage());
    assertTrue(WorkDeadline.causedBy(e));
    System.out.println("PNG encoding 4000x2500: " + late);
    assertTrue(late.prompt(), late.toString());
  }

  @Test
  void everyEncoderStopsOnceTheDeadlineHasPassed() {
    Raster r = DemoImages.noise(1200, 800, 10, false);
    for (ImageFormat f : ImageFormat.values()) {
      ImagingException e = WorkDeadline.during(System.nanoTime() - 1, () -> {
        try {
          new ImageEncoder().encode(r, f, 90);
          return null;
        } catch (ImagingException x) {
          return x;
        }
      });
      assertEquals(f + " encoding stopped: the request's deadline passed", e == null ? "encoded" : e.getMessage());
    }
  }

  @Test
  void aJpegEncodingStopsWithinRowsOfItsDeadline() {
    Raster big = DemoImages.noise(4000, 2500, 11, false);
    Late late = stopsAfter(() -> {
      try {
        return new ImageEncoder().encode(big, ImageFormat.JPEG, 90);
      } catch (ImagingException e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals("JPEG encoding stopped: the request's deadline passed", late.stop().getCause().getMessage());
    System.out.println("JPEG encoding 4000x2500: " + late);
    assertTrue(late.prompt(), late.toString());
  }

  /**
   * How late work stopped: user CPU time the calling thread spent after the deadline (neither GC pauses
   * nor the kernel's page faults for a fresh raster count), wall time, and the user CPU time of the
   * whole work run to completion.
   */
  record Late(RuntimeException stop, long cpuMillis, long wallMillis, long fullCpuMillis) {
    /**
     * Stopped promptly: a strip of rows is a few milliseconds; allocating (zeroing) a fresh raster is
     * the longest step without a check, tens of milliseconds on a loaded machine.
     */
    boolean prompt() {
      return cpuMillis < 60;
    }

    @Override
    public String toString() {
      return "stopped after " + cpuMillis + " ms of CPU (" + wallMillis + " ms of wall time) past the deadline"
          + (fullCpuMillis < 0 ? "" : "; the whole work takes " + fullCpuMillis + " ms of CPU");
    }
  }

  /**
   * Runs {@code work} twice to completion (compiled code, a grown heap and a bootstrapped deadline path,
   * as on a live node, and its duration), then again with a deadline a quarter of that duration away
   * ({@link #stopsAt}).
   */
  static Late stopsAfter(java.util.function.Supplier<?> work) {
    WorkDeadline.during(System.nanoTime() - 1, () -> assertThrows(WorkDeadline.Passed.class, WorkDeadline::check));
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long full = Long.MAX_VALUE;
    long fullCpu = Long.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      long t0 = System.nanoTime();
      long c0 = mx.getCurrentThreadUserTime();
      work.get();
      full = Math.min(full, System.nanoTime() - t0);
      fullCpu = Math.min(fullCpu, mx.getCurrentThreadUserTime() - c0);
    }
    assertTrue(full > 100 * MS, "the work is too short to be stopped midway: " + full / MS + " ms");
    Late late = stopsAt(System.nanoTime() + full / 4, work);
    return new Late(late.stop(), late.cpuMillis(), late.wallMillis(), fullCpu / MS);
  }

  /**
   * Runs {@code work} with {@code deadline}; it must throw. A watcher samples this thread's user CPU
   * time at the deadline; what the thread used after that is a lateness that neither the machine's load
   * nor garbage collection pauses distort.
   */
  static Late stopsAt(long deadline, java.util.function.Supplier<?> work) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    java.util.concurrent.atomic.AtomicLong cpuAtDeadline = new java.util.concurrent.atomic.AtomicLong(-1);
    Thread watcher = new Thread(() -> {
      while (System.nanoTime() - deadline < 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(Math.max(1, deadline - System.nanoTime()));
      }
      cpuAtDeadline.set(mx.getThreadUserTime(self));
    });
    watcher.start();
    RuntimeException stop = assertThrows(RuntimeException.class, () -> WorkDeadline.during(deadline, work));
    long cpuNow = mx.getCurrentThreadUserTime();
    long wall = (System.nanoTime() - deadline) / MS;
    try {
      watcher.join();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    assertTrue(cpuAtDeadline.get() >= 0 && wall >= 0, "the work ended before its deadline");
    return new Late(stop, (cpuNow - cpuAtDeadline.get()) / MS, wall, -1);
  }

  private static Raster apply(ImageOperation op, Raster r) {
    try {
      return op.apply(r);
    } catch (ImagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

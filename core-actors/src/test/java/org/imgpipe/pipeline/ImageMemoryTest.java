package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.imgpipe.imaging.ImagingException;
import org.junit.jupiter.api.Test;

/** The node's heap budget for image work: refusal with the sizes, first-come waiting, bounded waits. */
class ImageMemoryTest {

  private static final long MB = 1L << 20;

  @Test
  void moreThanTheWholeBudgetFailsAtOnceWithTheSizes() {
    ImageMemory m = new ImageMemory(100 * MB);
    long t0 = System.nanoTime();
    ImagingException e = assertThrows(ImagingException.class, () -> m.reserve(150 * MB, Duration.ofSeconds(20)));
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "a hopeless request must not wait");
    assertEquals("image too large for this node's memory: it needs about 150 MB, and the node allows 100 MB for"
        + " image work (give the node a larger heap, or send a smaller image)", e.getMessage());
    assertEquals(0, m.inUse());
    assertEquals(0, m.waits());
  }

  @Test
  void reservationsWaitFirstComeFirstServedUntilMemoryIsGivenBack() throws Exception {
    ImageMemory m = new ImageMemory(100);
    ImageMemory.Lease first = m.reserve(70, Duration.ofSeconds(1));
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<ImageMemory.Lease> big = threads.submit(() -> m.reserve(50, Duration.ofSeconds(30)));
      awaitWaits(m, 1);
      // 10 would fit beside the 70, but the 50 came first: the small one must not overtake it.
      Future<ImageMemory.Lease> small = threads.submit(() -> m.reserve(10, Duration.ofSeconds(30)));
      awaitWaits(m, 2);
      Thread.sleep(100);
      assertFalse(big.isDone());
      assertFalse(small.isDone());
      assertEquals(70, m.inUse());

      first.close();
      ImageMemory.Lease b = big.get(10, TimeUnit.SECONDS);
      ImageMemory.Lease s = small.get(10, TimeUnit.SECONDS);
      assertEquals(60, m.inUse());
      assertEquals(70, m.peak());
      b.close();
      s.close();
      s.close();
      first.close();
      assertEquals(0, m.inUse(), "closing a lease twice must give its memory back once");
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aWaitThatRunsOutFailsAndLeavesNoOneBlockedBehindIt() throws Exception {
    ImageMemory m = new ImageMemory(100 * MB);
    ImageMemory.Lease held = m.reserve(80 * MB, Duration.ofSeconds(1));
    long t0 = System.nanoTime();
    ImagingException e = assertThrows(ImagingException.class, () -> m.reserve(40 * MB, Duration.ofMillis(300)));
    assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(300).toNanos());
    assertEquals("no memory came free for this image within 0.3 s: it needs about 40 MB of the 100 MB this node"
        + " allows for image work, and other large images hold it; retry later", e.getMessage());
    assertEquals(80 * MB, m.inUse());
    // The request that gave up is out of the line: a small one that fits gets in at once.
    try (ImageMemory.Lease small = m.reserve(20 * MB, Duration.ZERO)) {
      assertEquals(100 * MB, m.inUse());
    }
    held.close();
    assertEquals(0, m.inUse());
  }

  private static void awaitWaits(ImageMemory m, long n) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (m.waits() < n) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no reservation waited");
      }
      Thread.sleep(5);
    }
  }
}

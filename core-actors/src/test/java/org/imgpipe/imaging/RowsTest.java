package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RowsTest {

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  @AfterEach
  void restore() {
    Rows.maxParts(CORES);
  }

  @Test
  void everyRowIsCoveredExactlyOnce() {
    for (int n : new int[] {1, 2, 3, 7, 720, 1081}) {
      AtomicIntegerArray seen = new AtomicIntegerArray(n);
      Rows.split(n, 1, (from, to) -> {
        for (int y = from; y < to; y++) {
          seen.incrementAndGet(y);
        }
      });
      for (int y = 0; y < n; y++) {
        assertEquals(1, seen.get(y), "row " + y + " of " + n);
      }
    }
  }

  @Test
  void anIdleNodeSplitsOverItsCoresAndABusyOneDoesNot() {
    assertEquals(Math.min(CORES, 720 / 16), Rows.parts(720, 16));
    assertEquals(1, Rows.parts(20, 16), "too few rows to split");
    // As many running jobs as cores: each kernel keeps to its own thread.
    int parts = nested(CORES, () -> Rows.parts(720, 16));
    assertEquals(1, parts);
    Rows.maxParts(1);
    assertEquals(1, Rows.parts(720, 16));
  }

  @Test
  void aHelperTakesPartOfTheWorkWhenCoresAreFree() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(CORES >= 2, "needs two cores");
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
    // Each chunk waits (at most 10 s) until two threads have started one: the caller alone would
    // take all of them only after that wait, so a second thread must have joined in.
    Rows.split(720, 16, (from, to) -> {
      if (threads.add(Thread.currentThread())) {
        both.countDown();
      }
      try {
        both.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertEquals(0, both.getCount(), "a helper thread ran a chunk");
    assertEquals(2, Math.min(2, threads.size()));
  }

  @Test
  void theCallerDoesEveryChunkWhenNoHelperComes() {
    AtomicIntegerArray seen = new AtomicIntegerArray(1000);
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    // An executor that never runs what it is given: a helper that never wakes.
    Rows.split(1000, 16, (from, to) -> {
      threads.add(Thread.currentThread());
      for (int y = from; y < to; y++) {
        seen.incrementAndGet(y);
      }
    }, task -> { });
    for (int y = 0; y < 1000; y++) {
      assertEquals(1, seen.get(y), "row " + y);
    }
    assertEquals(Set.of(Thread.currentThread()), threads);
  }

  @Test
  void aFailingPartIsRethrownAfterTheOthersFinish() {
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicIntegerArray done = new AtomicIntegerArray(100);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Rows.split(100, 1, (from, to) -> {
      if (to == 100) {
        throw boom;
      }
      for (int y = from; y < to; y++) {
        done.incrementAndGet(y);
      }
    }));
    assertSame(boom, e);
    assertEquals(1, done.get(0));
  }

  private static int nested(int depth, java.util.function.IntSupplier inner) {
    if (depth == 0) {
      return inner.getAsInt();
    }
    return Rows.job(() -> nested(depth - 1, inner));
  }
}

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
  void partsRunOnMoreThanOneThreadWhenCoresAreFree() {
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    Rows.split(720, 16, (from, to) -> threads.add(Thread.currentThread()));
    assertEquals(Math.min(CORES, 45), threads.size());
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

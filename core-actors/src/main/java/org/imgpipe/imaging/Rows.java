package org.imgpipe.imaging;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Splits an image kernel's row loop over the cores that no other image job is using. A node counts
 * the image jobs running in it ({@link #job}); a kernel asks {@link #split} to cover rows [0, n), and
 * gets {@code cores / running jobs} parts (at least one). So one request on an idle 2-core node uses
 * both cores, while four concurrent requests run each kernel on its own thread, with no hand-off cost.
 * The parts run on a small shared pool of daemon threads, the caller taking the first part itself.
 */
public final class Rows {

  /** One part of a row loop: rows [from, to). */
  @FunctionalInterface
  public interface Body {
    void rows(int from, int to);
  }

  private static final int CORES = Runtime.getRuntime().availableProcessors();
  private static final AtomicInteger RUNNING = new AtomicInteger();
  private static volatile int maxParts = CORES;
  private static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1, CORES - 1), pool -> {
    ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
    t.setName("imgpipe-rows-" + t.getPoolIndex());
    t.setDaemon(true);
    return t;
  }, null, false);

  private Rows() {}

  /** Runs one image job, counted as running while it does. */
  public static <T> T job(Supplier<T> work) {
    RUNNING.incrementAndGet();
    try {
      return work.get();
    } finally {
      RUNNING.decrementAndGet();
    }
  }

  /** Caps the parts a loop is split into (1 turns splitting off); at most the core count. */
  public static void maxParts(int parts) {
    maxParts = Math.max(1, Math.min(parts, CORES));
  }

  /** How many parts a loop over {@code n} rows of at least {@code minRows} each would get now. */
  static int parts(int n, int minRows) {
    if (Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == POOL) {
      return 1;
    }
    int free = maxParts / Math.max(1, RUNNING.get());
    return Math.max(1, Math.min(free, n / Math.max(1, minRows)));
  }

  /**
   * Runs {@code body} over rows [0, n) in contiguous parts of at least {@code minRows} rows; returns
   * when every part is done, rethrowing the first failure. The parts must write disjoint rows.
   */
  public static void split(int n, int minRows, Body body) {
    int parts = parts(n, minRows);
    if (parts <= 1) {
      body.rows(0, n);
      return;
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
    for (int p = 1; p < parts; p++) {
      int from = (int) ((long) n * p / parts);
      int to = (int) ((long) n * (p + 1) / parts);
      tasks[p - 1] = POOL.submit(() -> run(body, from, to, failure));
    }
    run(body, 0, (int) ((long) n / parts), failure);
    for (ForkJoinTask<?> t : tasks) {
      t.join();
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }

  private static void run(Body body, int from, int to, AtomicReference<Throwable> failure) {
    try {
      body.rows(from, to);
    } catch (RuntimeException | Error e) {
      failure.compareAndSet(null, e);
    }
  }
}

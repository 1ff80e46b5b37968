package org.imgpipe.imaging;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Splits an image kernel's row loop over the cores that no other image job is using. A node counts
 * the image jobs running in it ({@link #job}); a kernel asks {@link #split} to cover rows [0, n), and
 * gets {@code cores / running jobs} parts (at least one). So one request on an idle 2-core node uses
 * both cores, while four concurrent requests run each kernel on its own thread, with no hand-off cost.
 * The parts run on a small shared pool of daemon threads, the caller working alongside them.
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
   * Runs {@code body} over rows [0, n) in contiguous chunks of at least {@code minRows} rows; returns
   * when every chunk is done, rethrowing the first failure. The chunks must write disjoint rows. The
   * caller's {@link WorkDeadline} is checked before each chunk and holds on the helper threads too; once
   * a chunk has failed, the chunks not yet begun are skipped.
   */
  public static void split(int n, int minRows, Body body) {
    split(n, minRows, body, POOL);
  }

  /**
   * The work is cut into up to twice as many chunks as threads. The caller and the helpers take chunks
   * from a shared counter until none is left, so a helper that a busy core wakes late (or not at all)
   * only means the caller does more chunks itself: never slower than one thread, and balanced when
   * one part of the image is cheaper than another.
   */
  static void split(int n, int minRows, Body body, Executor helpers) {
    WorkDeadline.check();
    int parts = parts(n, minRows);
    if (parts <= 1) {
      body.rows(0, n);
      return;
    }
    Chunks chunks = new Chunks(n, Math.max(parts, Math.min(2 * parts, n / Math.max(1, minRows))), body,
        WorkDeadline.current());
    for (int p = 1; p < parts; p++) {
      helpers.execute(chunks::work);
    }
    chunks.work();
    chunks.awaitAll();
    Throwable t = chunks.failure.get();
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }

  private static final class Chunks {
    private final int n;
    private final int count;
    private final Body body;
    private final long deadline;
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch done;
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Chunks(int n, int count, Body body, long deadline) {
      this.n = n;
      this.count = count;
      this.body = body;
      this.deadline = deadline;
      this.done = new CountDownLatch(count);
    }

    void work() {
      WorkDeadline.within(deadline, this::chunks);
    }

    private void chunks() {
      for (int c = next.getAndIncrement(); c < count; c = next.getAndIncrement()) {
        try {
          if (failure.get() == null) {
            WorkDeadline.check();
            body.rows((int) ((long) n * c / count), (int) ((long) n * (c + 1) / count));
          }
        } catch (RuntimeException | Error e) {
          failure.compareAndSet(null, e);
        } finally {
          done.countDown();
        }
      }
    }

    /** Waits for the chunks that helpers took (an interrupt is kept for later, not lost). */
    void awaitAll() {
      boolean interrupted = false;
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

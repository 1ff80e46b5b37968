package org.imgpipe.imaging;

import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The deadline of the image work on the current thread, so that work nobody waits for any more stops
 * instead of burning CPU. The pipeline sets it for the duration of a job ({@link #during}); the long
 * loops check it: {@link Rows#split} between chunks (on its helper threads too), the kernels between
 * strips of rows, the PNG decoder between row batches and ImageIO reads from their progress callbacks.
 * A check costs a thread-local read and {@link System#nanoTime}.
 */
public final class WorkDeadline {

  /** No deadline. */
  public static final long NONE = Long.MAX_VALUE;

  private static final ThreadLocal<long[]> DEADLINE = ThreadLocal.withInitial(() -> new long[] {NONE});

  private WorkDeadline() {}

  /**
   * Thrown from inside a loop whose deadline has passed. Unchecked, so that it crosses row loops and
   * ImageIO's callbacks; the public entry points turn it into an {@link ImagingException} with the
   * same message and this as its cause ({@link #causedBy}).
   */
  public static final class Passed extends RuntimeException {
    Passed(String what) {
      super(stopped(what), null, false, false);
    }
  }

  /** Runs {@code work} with {@code deadlineNanos} (a {@link System#nanoTime} value, or {@link #NONE}) as this thread's deadline. */
  public static <T> T during(long deadlineNanos, Supplier<T> work) {
    long[] slot = DEADLINE.get();
    long before = slot[0];
    slot[0] = deadlineNanos;
    try {
      return work.get();
    } finally {
      slot[0] = before;
    }
  }

  /** This thread's deadline, or {@link #NONE}. */
  public static long current() {
    return DEADLINE.get()[0];
  }

  /** Whether {@code deadlineNanos} has passed ({@link #NONE} never does). */
  public static boolean passed(long deadlineNanos) {
    return deadlineNanos != NONE && System.nanoTime() - deadlineNanos >= 0;
  }

  /** Whether this thread's deadline has passed. */
  public static boolean passed() {
    return passed(current());
  }

  /** Throws {@link Passed} ("image work stopped: ...") if this thread's deadline has passed. */
  public static void check() {
    check("image work");
  }

  /** Throws {@link Passed} ("{@code what} stopped: ...") if this thread's deadline has passed. */
  static void check(String what) {
    if (passed()) {
      throw new Passed(what);
    }
  }

  /** The client's message for work that stopped at its deadline: "{@code what} stopped: the request's deadline passed". */
  public static String stopped(String what) {
    return what + " stopped: the request's deadline passed";
  }

  /** Whether {@code e} (an ImagingException from imaging's entry points) reports a passed deadline. */
  public static boolean causedBy(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Passed) {
        return true;
      }
    }
    return false;
  }

  /** Interrupts threads whose blocking call outlives its deadline ({@link #interrupting}). */
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "imgpipe-deadline");
    t.setDaemon(true);
    return t;
  });

  /**
   * Runs a blocking call that checks no deadline itself but stops when interrupted (waiting for an
   * external process: the WebP tools). If this thread's deadline passes while it runs, the thread is
   * interrupted, the interrupt is cleared afterwards and {@link Passed} is thrown.
   */
  static <T> T interrupting(String what, Callable<T> call) throws Exception {
    long deadline = current();
    if (deadline == NONE) {
      return call.call();
    }
    check(what);
    Thread me = Thread.currentThread();
    Object lock = new Object();
    boolean[] armedFired = {true, false};
    ScheduledFuture<?> timer = TIMER.schedule(() -> {
      synchronized (lock) {
        if (armedFired[0]) {
          armedFired[1] = true;
          me.interrupt();
        }
      }
    }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    T result = null;
    Exception failure = null;
    try {
      result = call.call();
    } catch (Exception e) {
      failure = e;
    } finally {
      timer.cancel(false);
      synchronized (lock) {
        armedFired[0] = false;
      }
      if (armedFired[1]) {
        Thread.interrupted(); // ours, not the caller's
      }
    }
    if (armedFired[1]) {
      throw new Passed(what);
    }
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  /** Runs {@code body} with {@code deadlineNanos} as this thread's deadline (for Rows' helper threads). */
  static void within(long deadlineNanos, Runnable body) {
    long[] slot = DEADLINE.get();
    long before = slot[0];
    slot[0] = deadlineNanos;
    try {
      body.run();
    } finally {
      slot[0] = before;
    }
  }
}

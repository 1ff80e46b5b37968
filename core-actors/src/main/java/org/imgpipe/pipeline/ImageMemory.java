package org.imgpipe.pipeline;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.imgpipe.imaging.ImagingException;

/**
 * A budget of heap bytes; a node keeps one for its image work (stage jobs) and one for the request
 * bodies its XML-RPC ports are reading. Work reserves an estimate of what it holds at its peak before it
 * starts and gives it back when it ends. Work that does not fit waits, first come first served (a large
 * job is not overtaken for ever by small ones), for at most a given time; work larger than the whole
 * budget fails at once and says why. Without them, a few large images at once (a 13 MB JPEG of
 * 7000x7000 pixels held about 400 MB while it was decoded) ran the JVM out of heap, and the node exited
 * with every job in flight.
 */
public final class ImageMemory {

  private final long budget;
  private final String noun;
  private final String purpose;
  private final ArrayDeque<Object> waiting = new ArrayDeque<>();
  private long inUse;
  private long peak;
  private long waits;

  /** A budget for image work: the messages speak of an "image" and of "image work". */
  public ImageMemory(long budgetBytes) {
    this(budgetBytes, "image", "image work");
  }

  /**
   * A budget of {@code budgetBytes} whose messages speak of {@code noun} (what is reserved for: "image",
   * "request") and {@code purpose} (what the budget is for: "image work", "request bodies").
   */
  public ImageMemory(long budgetBytes, String noun, String purpose) {
    if (budgetBytes < 1) {
      throw new IllegalArgumentException(purpose + " memory budget must be positive");
    }
    this.budget = budgetBytes;
    this.noun = noun;
    this.purpose = purpose;
  }

  /** What a reservation holds until it is closed (once; closing again does nothing). */
  public final class Lease implements AutoCloseable {
    private long bytes;

    private Lease(long bytes) {
      this.bytes = bytes;
    }

    @Override
    public void close() {
      synchronized (ImageMemory.this) {
        inUse -= bytes;
        bytes = 0;
        ImageMemory.this.notifyAll();
      }
    }
  }

  /**
   * Reserves {@code bytes}, waiting up to {@code maxWait} behind earlier reservations and for memory to
   * be given back. Fails with a client-safe message when the request exceeds the budget, the wait runs
   * out or the thread is interrupted.
   */
  public synchronized Lease reserve(long bytes, Duration maxWait) throws ImagingException {
    long want = Math.max(0, bytes);
    if (want > budget) {
      throw new ImagingException(noun + " too large for this node's memory: it needs about " + mb(want)
          + " MB, and the node allows " + mb(budget) + " MB for " + purpose + " (give the node a larger heap, or"
          + " send a smaller image)");
    }
    Object me = new Object();
    waiting.addLast(me);
    long deadline = System.nanoTime() + maxWait.toNanos();
    boolean counted = false;
    try {
      while (waiting.peekFirst() != me || inUse + want > budget) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new ImagingException("no memory came free for this " + noun + " within "
              + String.format(Locale.ROOT, "%.1f", maxWait.toMillis() / 1000.0) + " s: it needs about " + mb(want)
              + " MB of the " + mb(budget) + " MB this node allows for " + purpose
              + ", and other large " + noun + "s hold it; retry later");
        }
        if (!counted) {
          waits++;
          counted = true;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      inUse += want;
      peak = Math.max(peak, inUse);
      return new Lease(want);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImagingException("interrupted while waiting for memory for " + purpose);
    } finally {
      waiting.remove(me);
      // The next in line may fit now, or may be first now.
      notifyAll();
    }
  }

  /**
   * Registers {@code prefix}.used and .budget (bytes) and .waits (a counter) for this budget, e.g.
   * imgpipe.image.memory → imgpipe_image_memory_used_bytes, _budget_bytes and _waits_total.
   */
  public void register(MeterRegistry registry, String prefix) {
    Gauge.builder(prefix + ".used", this, ImageMemory::inUse).baseUnit("bytes")
        .description("Heap reserved for " + purpose + " now").register(registry);
    Gauge.builder(prefix + ".budget", this, ImageMemory::budget).baseUnit("bytes")
        .description("Heap this node allows for " + purpose).register(registry);
    FunctionCounter.builder(prefix + ".waits", this, ImageMemory::waits)
        .description("Reservations for " + purpose + " that waited for memory to be given back").register(registry);
  }

  public long budget() {
    return budget;
  }

  public synchronized long inUse() {
    return inUse;
  }

  /** The most held at once since start. */
  public synchronized long peak() {
    return peak;
  }

  /** Reservations that had to wait. */
  public synchronized long waits() {
    return waits;
  }

  private static long mb(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }
}

package org.imgpipe.bridge;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The heap a node's XML-RPC ports may hold in request bodies (imgpipe.limits.request-memory), taken as the
 * bytes arrive: a body holds what it has really received (and inflated, and will cost to parse), never a
 * length it merely declared, and gives it all back when its call has been answered. A body that does not
 * fit waits (unread: the socket pushes back on the client) without blocking a thread, for at most a given
 * time.
 *
 * <p>Bodies are served oldest first, and a younger body is given memory only while what is left still
 * covers what the older bodies have declared they will need: bodies that each hold part of the memory and
 * each wait for more can then never block one another for good (the oldest can always finish). The bodies
 * of one client address may hold at most their share (imgpipe.limits.request-memory-per-client).
 */
final class RequestMemory {

  private final long budget;
  private final long perClient;
  private final TreeMap<Long, Body> reading = new TreeMap<>();
  private final List<Want> waiting = new ArrayList<>();
  private final Map<InetAddress, Long> byClient = new HashMap<>();
  private long nextAge;
  private long inUse;
  private long peak;
  private long waits;

  RequestMemory(long budget, long perClient) {
    this.budget = budget;
    this.perClient = Math.min(perClient, budget);
  }

  /**
   * A body starts arriving from {@code client}; {@code expected} is what it will need in all, as far as its
   * headers tell (0 when they do not), which younger bodies leave room for.
   */
  synchronized Body open(InetAddress client, long expected) {
    Body b = new Body(nextAge++, client, expected);
    reading.put(b.age, b);
    return b;
  }

  /** Refuses at once what could never fit: more than the whole budget, or than one client's share. */
  void checkFits(long bytes) {
    if (bytes > budget) {
      throw tooLarge(bytes, budget, "the node allows " + mb(budget) + " MB for request bodies");
    }
    if (bytes > perClient) {
      throw tooLarge(bytes, perClient, "the node allows " + mb(perClient) + " MB for the request bodies of one "
          + "client address (imgpipe.limits.request-memory-per-client)");
    }
  }

  private static Fault tooLarge(long bytes, long allowed, String allows) {
    return Fault.memory("request too large for this node's memory: it needs about " + mb(bytes) + " MB, and "
        + allows + " (give the node a larger heap, or send a smaller image)");
  }

  /** One body's hold on the budget. */
  final class Body implements AutoCloseable {
    private final long age;
    private final InetAddress client;
    private final long expected;
    private long held;
    private boolean done;
    private boolean closed;

    private Body(long age, InetAddress client, long expected) {
      this.age = age;
      this.client = client;
      this.expected = expected;
    }

    /**
     * Takes {@code bytes} more for this body: at once if they fit, else when they do, within {@code maxWait}.
     * Fails with a MemoryError {@link Fault} when they never can or the wait runs out.
     */
    CompletionStage<Void> take(long bytes, Duration maxWait) {
      synchronized (RequestMemory.this) {
        if (closed) {
          return CompletableFuture.failedFuture(new IllegalStateException("the body was given back"));
        }
        try {
          checkFits(held + bytes);
        } catch (Fault f) {
          return CompletableFuture.failedFuture(f);
        }
        if (waiting.isEmpty() && fits(this, bytes)) {
          grant(this, bytes);
          return CompletableFuture.completedFuture(null);
        }
        Want w = new Want(this, bytes, maxWait);
        waiting.add(w);
        waiting.sort((a, b) -> Long.compare(a.body.age, b.body.age));
        waits++;
        w.result.orTimeout(maxWait.toNanos(), TimeUnit.NANOSECONDS).whenComplete((ok, error) -> {
          if (error != null) {
            synchronized (RequestMemory.this) {
              waiting.remove(w);
              serveWaiting();
            }
          }
        });
        return w.result.exceptionallyCompose(error -> CompletableFuture.failedFuture(
            error instanceof java.util.concurrent.TimeoutException ? w.timedOut() : error));
      }
    }

    /** The body has arrived: it will take no more, and younger bodies need no longer leave room for it. */
    void finishedReading() {
      synchronized (RequestMemory.this) {
        if (!done) {
          done = true;
          reading.remove(age);
          serveWaiting();
        }
      }
    }

    long held() {
      synchronized (RequestMemory.this) {
        return held;
      }
    }

    /** Gives back everything the body holds (once; closing again does nothing). */
    @Override
    public void close() {
      synchronized (RequestMemory.this) {
        if (closed) {
          return;
        }
        closed = true;
        done = true;
        reading.remove(age);
        inUse -= held;
        byClient.computeIfPresent(client, (c, n) -> n - held <= 0 ? null : n - held);
        held = 0;
        waiting.removeIf(w -> {
          if (w.body == this) {
            w.result.completeExceptionally(new IllegalStateException("the body was given back"));
            return true;
          }
          return false;
        });
        serveWaiting();
      }
    }
  }

  /** A body waiting for memory. */
  private final class Want {
    final Body body;
    final long bytes;
    final Duration maxWait;
    final CompletableFuture<Void> result = new CompletableFuture<>();

    Want(Body body, long bytes, Duration maxWait) {
      this.body = body;
      this.bytes = bytes;
      this.maxWait = maxWait;
    }

    Fault timedOut() {
      return Fault.memory("no memory came free for this request within "
          + String.format(Locale.ROOT, "%.1f", maxWait.toMillis() / 1000.0) + " s: it needs about "
          + mb(body.held() + bytes) + " MB of the " + mb(budget) + " MB this node allows for request bodies, and "
          + "other large requests hold it; retry later");
    }
  }

  /** Whether {@code bytes} more for {@code body} leave the room the older, unfinished bodies declared. */
  private boolean fits(Body body, long bytes) {
    if (inUse + bytes > budget
        || byClient.getOrDefault(body.client, 0L) + bytes > perClient) {
      return false;
    }
    long olderNeeds = 0;
    for (Body older : reading.headMap(body.age, false).values()) {
      olderNeeds += Math.max(0, older.expected - older.held);
    }
    return inUse + bytes + olderNeeds <= budget;
  }

  private void grant(Body body, long bytes) {
    body.held += bytes;
    inUse += bytes;
    peak = Math.max(peak, inUse);
    byClient.merge(body.client, bytes, Long::sum);
  }

  /** Grants the waiting bodies that fit now, oldest first. */
  private void serveWaiting() {
    for (Iterator<Want> it = waiting.iterator(); it.hasNext(); ) {
      Want w = it.next();
      if (w.result.isDone()) {
        it.remove();
      } else if (fits(w.body, w.bytes)) {
        it.remove();
        grant(w.body, w.bytes);
        w.result.complete(null);
      }
    }
  }

  /**
   * Registers {@code prefix}.used and .budget (bytes) and .waits (a counter), e.g. imgpipe.request.memory
   * → imgpipe_request_memory_used_bytes, _budget_bytes and _waits_total.
   */
  void register(MeterRegistry registry, String prefix) {
    Gauge.builder(prefix + ".used", this, RequestMemory::inUse).baseUnit("bytes")
        .description("Heap held by request bodies now").register(registry);
    Gauge.builder(prefix + ".budget", this, RequestMemory::budget).baseUnit("bytes")
        .description("Heap this node allows for request bodies").register(registry);
    FunctionCounter.builder(prefix + ".waits", this, RequestMemory::waits)
        .description("Request bodies that waited for memory to be given back").register(registry);
  }

  long budget() {
    return budget;
  }

  synchronized long inUse() {
    return inUse;
  }

  /** The most held at once since start. */
  synchronized long peak() {
    return peak;
  }

  synchronized long waits() {
    return waits;
  }

  private static long mb(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }
}

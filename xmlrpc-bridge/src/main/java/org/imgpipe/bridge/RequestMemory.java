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
 * <p>Bodies are served oldest first (a younger one passes only with what leaves the oldest waiting one
 * its room), and a younger body is given memory only while what is left still covers what the older
 * bodies have declared they will need (by Content-Length), so that declared bodies can never block one
 * another for good. Bodies that declared nothing (chunked, gzip) go past their first MiB one at a time,
 * oldest first; should bodies still block one another (every body holding memory waits for more), the one
 * holding most gives up with a retry fault. The bodies of one client address may
 * hold at most their share (imgpipe.limits.request-memory-per-client), and a quarter of the memory is kept
 * for small calls ({@link #smallLimit}).
 */
final class RequestMemory {

  /** What a body that declared no size may hold before it waits for the older such bodies to be read. */
  static final long UNDECLARED_GATE = 1 << 20;

  /**
   * The most a declared body may take beyond its estimate (its length counted as base64) without others having
   * taken it meanwhile: the markup of an image call (method name, struct keys, file name) costs ten bytes a
   * byte to parse, a few kilobytes in all. Without it, bodies that each came a few kilobytes past their
   * estimate while younger ones filled the rest all waited for one another, and one of them was failed.
   */
  static final long MARKUP_ALLOWANCE = 256 * 1024;

  private final long budget;
  private final long perClient;
  private final TreeMap<Long, Body> open = new TreeMap<>();
  private final TreeMap<Long, Body> reading = new TreeMap<>();
  /** Waiting wants, oldest body first (a body reading gzip may wait for its sent and its inflated bytes at once). */
  private final java.util.TreeSet<Want> waiting = new java.util.TreeSet<>(
      java.util.Comparator.<Want>comparingLong(w -> w.body.age).thenComparingLong(w -> w.seq));
  private long nextWant;
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
   * A body starts arriving from {@code client}; {@code expected} is what it will need in all as far as its
   * headers tell ({@code declared}: they do), which younger bodies leave room for.
   */
  synchronized Body open(InetAddress client, long expected, boolean declared) {
    Body b = new Body(nextAge++, client, expected, declared, declared && expected <= smallLimit());
    reading.put(b.age, b);
    open.put(b.age, b);
    return b;
  }

  /**
   * Refuses at once what could never fit: more than one body may hold (the large bodies' three quarters of
   * the budget), or than one client's share.
   */
  void checkFits(long bytes) {
    long oneBody = Math.max(smallLimit(), budget - smallLimit());
    if (bytes > oneBody) {
      throw tooLarge(bytes, oneBody, "the node allows " + mb(budget) + " MB for request bodies, " + mb(oneBody)
          + " MB of them for one large request");
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
    private final boolean small;
    private final boolean declared;
    private long held;
    private boolean done;
    private boolean closed;
    private int wants;

    private Body(long age, InetAddress client, long expected, boolean declared, boolean small) {
      this.age = age;
      this.client = client;
      this.expected = expected;
      this.declared = declared;
      this.small = small;
    }

    /**
     * What younger bodies leave room for while this one is read: what it declared and has not taken yet,
     * and for a declared body a 32nd more (at most {@link #MARKUP_ALLOWANCE}), since its markup costs more
     * than its length counted as base64.
     */
    private long stillNeeds() {
      return Math.max(0, expected + (declared ? Math.min(MARKUP_ALLOWANCE, expected / 32) : 0) - held);
    }

    /**
     * Whether the body counts as large once it holds {@code more} bytes more: past a quarter of the budget,
     * or declared larger, or (declared nothing) past the gate.
     */
    private boolean large(long more) {
      return held + more > (declared ? (small ? smallLimit() : 0) : UNDECLARED_GATE);
    }

    /**
     * Takes {@code bytes} more for this body: at once if they fit, else when they do, within {@code maxWait}.
     * Fails with a MemoryError {@link Fault} when they never can, the wait runs out, or the body is chosen
     * to give its memory back because every body holding memory waits for more.
     */
    CompletionStage<Void> take(long bytes, Duration maxWait) {
      List<Runnable> after = new ArrayList<>();
      Want w;
      synchronized (RequestMemory.this) {
        if (closed) {
          return CompletableFuture.failedFuture(new IllegalStateException("the body was given back"));
        }
        try {
          checkFits(held + bytes);
        } catch (Fault f) {
          return CompletableFuture.failedFuture(f);
        }
        // a body may pass the waiting ones only by what leaves the first of them its room
        if (fitsAhead(this, bytes, waiting.isEmpty() ? 0 : waiting.first().bytes)) {
          grant(this, bytes);
          return CompletableFuture.completedFuture(null);
        }
        w = new Want(this, bytes, maxWait);
        waiting.add(w);
        wants++;
        waits++;
        breakDeadlock(after);
      }
      after.forEach(Runnable::run);
      w.result.orTimeout(maxWait.toNanos(), TimeUnit.NANOSECONDS).whenComplete((ok, error) -> {
        if (error != null) {
          List<Runnable> then = new ArrayList<>();
          synchronized (RequestMemory.this) {
            if (waiting.remove(w)) {
              wants--;
            }
            serveWaiting(then);
          }
          then.forEach(Runnable::run);
        }
      });
      return w.result.exceptionallyCompose(error -> CompletableFuture.failedFuture(
          error instanceof java.util.concurrent.TimeoutException ? w.timedOut() : error));
    }

    /** The body has arrived: it will take no more, and younger bodies need no longer leave room for it. */
    void finishedReading() {
      List<Runnable> after = new ArrayList<>();
      synchronized (RequestMemory.this) {
        if (!done) {
          done = true;
          reading.remove(age);
          serveWaiting(after);
        }
      }
      after.forEach(Runnable::run);
    }

    long held() {
      synchronized (RequestMemory.this) {
        return held;
      }
    }

    /** Gives back everything the body holds (once; closing again does nothing). */
    @Override
    public void close() {
      List<Runnable> after = new ArrayList<>();
      synchronized (RequestMemory.this) {
        if (closed) {
          return;
        }
        closed = true;
        done = true;
        reading.remove(age);
        open.remove(age);
        inUse -= held;
        byClient.computeIfPresent(client, (c, n) -> n - held <= 0 ? null : n - held);
        held = 0;
        for (Iterator<Want> it = waiting.iterator(); it.hasNext(); ) {
          Want w = it.next();
          if (w.body == this) {
            it.remove();
            after.add(() -> w.result.completeExceptionally(new IllegalStateException("the body was given back")));
          }
        }
        wants = 0;
        serveWaiting(after);
      }
      after.forEach(Runnable::run);
    }
  }

  /** A body waiting for memory. */
  private final class Want {
    final Body body;
    final long seq = nextWant++;
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

  /**
   * Whether {@code bytes} more for {@code body} fit: in the budget, in the client's share, in the large
   * bodies' part when the body is large, and leaving the room the older unfinished bodies declared they
   * still need (of the large part, for a large body).
   */
  private boolean fits(Body body, long bytes) {
    if (inUse + bytes > budget || byClient.getOrDefault(body.client, 0L) + bytes > perClient) {
      return false;
    }
    if (!body.declared && body.held + bytes > UNDECLARED_GATE) {
      // bodies that declared no size go past the gate one at a time, in order: they queue instead of each
      // holding a part and waiting for more
      for (Body older : reading.headMap(body.age, false).values()) {
        if (!older.declared && older.held > UNDECLARED_GATE) {
          return false;
        }
      }
    }
    boolean large = body.large(bytes);
    long olderNeeds = 0;
    long sameClientNeeds = 0;
    for (Body older : reading.headMap(body.age, false).values()) {
      if (!large || older.large(0) || older.expected > smallLimit()) {
        long needs = older.stillNeeds();
        olderNeeds += needs;
        if (older.client.equals(body.client)) {
          sameClientNeeds += needs;
        }
      }
    }
    if (byClient.getOrDefault(body.client, 0L) + bytes + sameClientNeeds > perClient) {
      return false;
    }
    if (!large) {
      return inUse + bytes + olderNeeds <= budget;
    }
    long largeHeld = body.held + bytes;
    for (Body other : open.values()) {
      if (other != body && other.large(0)) {
        largeHeld += other.held;
      }
    }
    return largeHeld + olderNeeds <= budget - smallLimit();
  }

  /** Whether a body may take {@code bytes} ahead of the waiting ones: only by what leaves the first its room. */
  private boolean fitsAhead(Body body, long bytes, long firstWaiting) {
    return fits(body, bytes) && inUse + bytes + firstWaiting <= budget;
  }

  private void grant(Body body, long bytes) {
    body.held += bytes;
    inUse += bytes;
    peak = Math.max(peak, inUse);
    byClient.merge(body.client, bytes, Long::sum);
  }

  /** Grants the waiting bodies that fit now, oldest first; their callers go on after the lock is let go. */
  private void serveWaiting(List<Runnable> after) {
    long firstBlocked = 0;
    for (Iterator<Want> it = waiting.iterator(); it.hasNext(); ) {
      Want w = it.next();
      if (w.result.isDone()) {
        it.remove();
        w.body.wants--;
      } else if (!fitsAhead(w.body, w.bytes, firstBlocked)) {
        firstBlocked = firstBlocked == 0 ? w.bytes : firstBlocked;
      } else {
        it.remove();
        w.body.wants--;
        grant(w.body, w.bytes);
        after.add(() -> {
          if (!w.result.complete(null)) {
            // timed out meanwhile: the caller has given up; the body gives it back when it closes
          }
        });
      }
    }
    breakDeadlock(after);
  }

  /**
   * When every body that holds memory waits for more and none can be served, none would ever give any
   * back: the waiting body that holds the most (not the oldest waiter) gives up, with a fault that says to
   * retry, until the oldest can go on. Bodies still arriving, or read and being answered, give their
   * memory back by themselves, so while there is one there is no dead end.
   */
  private void breakDeadlock(List<Runnable> after) {
    while (waiting.size() > 1) {
      for (Body b : open.values()) {
        if (b.held > 0 && b.wants == 0) {
          return;
        }
      }
      Body oldest = waiting.first().body;
      Want victim = null;
      for (Want w : waiting) {
        if (w.body != oldest && w.body.held > 0 && (victim == null || w.body.held >= victim.body.held)) {
          victim = w;
        }
      }
      if (victim == null) {
        return;
      }
      Want v = victim;
      waiting.remove(v);
      v.body.wants--;
      Fault f = Fault.memory("no memory came free for this request: it holds " + mb(v.body.held) + " MB of the "
          + mb(budget) + " MB this node allows for request bodies and needs more, while other large requests "
          + "hold the rest and wait too; retry later");
      after.add(() -> v.result.completeExceptionally(f));
      // its memory is given back when its call fails and closes the body; until then the others wait
      return;
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

  /**
   * The part of the budget kept for small calls: a body that declared (by Content-Length) that it needs at
   * most this much may use it; large bodies, and those that declared nothing, share the rest. A burst of
   * large or gzip bodies then never holds up a call of an ordinary photo.
   */
  long smallLimit() {
    return budget / 4;
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

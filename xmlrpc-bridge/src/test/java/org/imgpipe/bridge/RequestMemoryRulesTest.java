package org.imgpipe.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How request bodies share the node's request memory ({@link RequestMemory}), without a server. */
class RequestMemoryRulesTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final InetAddress ONE = address("127.0.0.1");
  private static final InetAddress TWO = address("127.0.0.2");
  private static final InetAddress THREE = address("127.0.0.3");

  private static InetAddress address(String a) {
    try {
      return InetAddress.getByName(a);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<Void> take(RequestMemory.Body b, long bytes) {
    return b.take(bytes, WAIT).toCompletableFuture();
  }

  private static String failure(CompletableFuture<Void> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return ((Fault) e.getCause()).faultString();
    }
    throw new AssertionError("expected a fault");
  }

  @Test
  void aBodyHoldsWhatArrivedNotWhatItDeclared() {
    RequestMemory m = new RequestMemory(100, 100);
    RequestMemory.Body idle = m.open(ONE, 90, true);
    assertEquals(0, m.inUse());
    RequestMemory.Body other = m.open(TWO, 5, true);
    assertTrue(take(other, 5).isDone(), "a small body waited behind one that sent nothing");
    idle.close();
    other.close();
    assertEquals(0, m.inUse());
  }

  @Test
  void youngerBodiesLeaveRoomForWhatOlderOnesDeclared() throws Exception {
    RequestMemory m = new RequestMemory(100, 100);
    RequestMemory.Body older = m.open(ONE, 60, true); // large: more than a quarter
    take(older, 10).get();
    RequestMemory.Body younger = m.open(TWO, 70, true);
    CompletableFuture<Void> young = take(younger, 20); // 10 + 20 + the 50 older still needs > 75
    assertFalse(young.isDone(), "the younger body took what the older one declared it needs");
    take(older, 50).get(); // the older body can always finish
    older.finishedReading();
    assertFalse(young.isDone());
    older.close();
    young.get(10, TimeUnit.SECONDS);
    assertEquals(20, m.inUse());
  }

  @Test
  void bodiesThatAllWaitForEachOtherAreUnblockedByTheLargestHolderGivingUp() throws Exception {
    // Three bodies of one client that declared 1 MiB each but go on taking (a long string costs more than
    // the base64 its length was counted as): once each holds part of the client's share and waits for more,
    // none would ever give any back.
    long mib = RequestMemory.UNDECLARED_GATE;
    RequestMemory m = new RequestMemory(1000 * mib, 200 * mib);
    RequestMemory.Body a = m.open(ONE, mib, true);
    RequestMemory.Body b = m.open(ONE, mib, true);
    RequestMemory.Body c = m.open(ONE, mib, true);
    take(a, 80 * mib).get();
    take(b, 50 * mib).get();
    take(c, 70 * mib).get(); // 200: the client's share
    CompletableFuture<Void> wantA = take(a, 30 * mib);
    CompletableFuture<Void> wantB = take(b, 50 * mib);
    assertFalse(wantA.isDone() || wantB.isDone());
    CompletableFuture<Void> wantC = take(c, 30 * mib); // now every holder waits: c, holding most but a, gives up
    assertTrue(failure(wantC).startsWith("<class 'MemoryError'>:no memory came free for this request: it holds 70 "
        + "MB"), failure(wantC));
    assertTrue(failure(wantC).endsWith("retry later"));
    c.close();
    wantA.get(10, TimeUnit.SECONDS);
    assertFalse(wantB.isDone(), "the younger body went first");
    a.close();
    wantB.get(10, TimeUnit.SECONDS);
  }

  @Test
  void declaredBodiesThatComeAFewKilobytesPastTheirEstimateAreAllServed() throws Exception {
    // Eight 7000x7000 JPEG calls at once from one client failed this way: each body's markup cost a few
    // kilobytes more than its length counted as base64, the younger bodies had filled the rest, and all
    // of them waited for each other.
    long mib = RequestMemory.UNDECLARED_GATE;
    RequestMemory m = new RequestMemory(100 * mib, 75 * mib); // 75 MiB for large bodies
    RequestMemory.Body a = m.open(ONE, 30 * mib, true);
    RequestMemory.Body b = m.open(ONE, 30 * mib, true);
    RequestMemory.Body c = m.open(ONE, 30 * mib, true);
    take(a, 30 * mib).get();
    take(b, 30 * mib).get();
    CompletableFuture<Void> wantC = take(c, 15 * mib); // would fill the large part to its last byte
    assertFalse(wantC.isDone(), "the youngest took the room the older bodies' markup needs");
    take(a, 5 * 1024).get(1, TimeUnit.SECONDS);
    take(b, 5 * 1024).get(1, TimeUnit.SECONDS);
    a.finishedReading();
    a.close();
    wantC.get(10, TimeUnit.SECONDS);
    b.close();
    c.close();
    assertEquals(0, m.inUse());
  }

  @Test
  void aYoungerBodyLeavesRoomForTheOlderBodiesOfItsOwnClient() throws Exception {
    long mib = RequestMemory.UNDECLARED_GATE;
    RequestMemory m = new RequestMemory(400 * mib, 100 * mib); // the client's share is the tighter limit
    RequestMemory.Body a = m.open(ONE, 60 * mib, true);
    take(a, 10 * mib).get();
    RequestMemory.Body b = m.open(ONE, 60 * mib, true);
    CompletableFuture<Void> wantB = take(b, 40 * mib); // 50 held by the client, a still needs 50
    assertFalse(wantB.isDone(), "the younger body took its client's share from under the older one");
    RequestMemory.Body other = m.open(TWO, 60 * mib, true);
    take(other, 40 * mib).get(1, TimeUnit.SECONDS); // another client's share is its own
    take(a, 50 * mib).get(1, TimeUnit.SECONDS);
    a.finishedReading();
    a.close();
    wantB.get(10, TimeUnit.SECONDS);
    b.close();
    other.close();
  }

  @Test
  void oneClientAddressHoldsAtMostItsShare() throws Exception {
    RequestMemory m = new RequestMemory(100, 50);
    RequestMemory.Body first = m.open(ONE, 40, true);
    take(first, 40).get();
    CompletableFuture<Void> sameClient = take(m.open(ONE, 20, true), 20);
    assertFalse(sameClient.isDone());
    take(m.open(TWO, 20, true), 20).get(10, TimeUnit.SECONDS);
    first.close();
    sameClient.get(10, TimeUnit.SECONDS);
    assertTrue(failure(take(m.open(THREE, 55, true), 55)).contains("the node allows 1 MB for the request bodies of one "
        + "client address"));
  }

  @Test
  void aQuarterIsKeptForSmallCalls() throws Exception {
    long mib = RequestMemory.UNDECLARED_GATE;
    RequestMemory m = new RequestMemory(400 * mib, 400 * mib);
    RequestMemory.Body large = m.open(ONE, 200 * mib, true);
    RequestMemory.Body gzip = m.open(THREE, 0, false);
    take(large, 200 * mib).get();
    large.finishedReading();
    take(gzip, 100 * mib).get();
    CompletableFuture<Void> more = take(gzip, 10 * mib);
    assertFalse(more.isDone(), "large bodies took the small calls' quarter");
    RequestMemory.Body small = m.open(TWO, 90 * mib, true);
    take(small, 90 * mib).get(1, TimeUnit.SECONDS);
    assertEquals(390 * mib, m.inUse());
    large.close();
    more.get(10, TimeUnit.SECONDS);
    gzip.close();
    small.close();
    assertEquals(0, m.inUse());
  }

  @Test
  void aWaitThatRunsOutIsAClearFaultAndHoldsNothing() throws Exception {
    RequestMemory m = new RequestMemory(100, 100);
    RequestMemory.Body holder = m.open(ONE, 70, true);
    take(holder, 70).get();
    RequestMemory.Body late = m.open(TWO, 50, true);
    String f = failure(late.take(50, Duration.ofMillis(100)).toCompletableFuture());
    assertEquals("<class 'MemoryError'>:no memory came free for this request within 0.1 s: it needs about 1 MB of the "
        + "1 MB this node allows for request bodies, and other large requests hold it; retry later", f);
    late.close();
    holder.close();
    assertEquals(0, m.inUse());
    assertEquals("<class 'MemoryError'>:request too large for this node's memory: it needs about 1 MB, and the node "
        + "allows 1 MB for request bodies, 1 MB of them for one large request (give the node a larger heap, or send "
        + "a smaller image)", failure(take(m.open(ONE, 80, true), 80)));
  }

  @Test
  void closingGivesEverythingBackAndEndsItsWaits() throws Exception {
    RequestMemory m = new RequestMemory(100, 100);
    RequestMemory.Body a = m.open(ONE, 0, false);
    take(a, 70).get();
    CompletableFuture<Void> waiting = take(a, 10); // past the large bodies' 75
    a.close();
    assertTrue(waiting.isCompletedExceptionally());
    assertEquals(0, m.inUse());
    try {
      waiting.join();
    } catch (CompletionException expected) {
      // given back
    }
  }

  @Test
  void bodiesThatDeclaredNoSizeGoPastTheirFirstMebibyteOneAtATime() throws Exception {
    long mib = RequestMemory.UNDECLARED_GATE;
    RequestMemory m = new RequestMemory(400 * mib, 400 * mib);
    RequestMemory.Body first = m.open(ONE, 0, false);
    RequestMemory.Body second = m.open(TWO, 0, false);
    take(first, 2 * mib).get();
    take(second, mib / 2).get(1, TimeUnit.SECONDS); // below the gate: at once
    CompletableFuture<Void> past = take(second, mib);
    assertFalse(past.isDone(), "two bodies without a declared size were past the gate at once");
    take(first, 10 * mib).get(1, TimeUnit.SECONDS);
    first.finishedReading();
    past.get(10, TimeUnit.SECONDS);
    first.close();
    second.close();
    assertEquals(0, m.inUse());
  }
}

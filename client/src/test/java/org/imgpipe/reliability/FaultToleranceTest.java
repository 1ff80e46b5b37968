package org.imgpipe.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.reliability.Workload.Outcome;
import org.imgpipe.reliability.Workload.Retry;
import org.imgpipe.reliability.Workload.Target;
import org.imgpipe.xmlrpc.client.ImgpipeClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Node failures on a cluster of separate JVMs (issue 7, "Faults"): A = orchestrator + format, B and C =
 * resize + filter + watermark, and for one case D = a second orchestrator. The cases run in order on the same
 * cluster; each leaves it with A, B and C up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceTest {

  private static final Duration START = Duration.ofSeconds(240);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);
  private static final List<String> WORKER_ROLES = List.of("resize", "filter", "watermark");

  static NodeProcess a;
  static NodeProcess b;
  static NodeProcess c;
  static NodeProcess d;
  static List<NodeProcess> all = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    String ha = Net.host(1);
    a = new NodeProcess("fault-A", ha, List.of("orchestrator", "format"), Net.ports(ha), List.of(), List.of());
    all.add(a);
    a.start();
    List<String> seed = List.of(a.seedAddress());
    b = node("fault-B", Net.host(2), WORKER_ROLES, seed);
    c = node("fault-C", Net.host(3), WORKER_ROLES, seed);
    d = node("fault-D", Net.host(4), List.of("orchestrator"), seed);
    // D, the second orchestrator, starts only for its own case: fewer JVMs competing for the cores.
    for (NodeProcess n : List.of(b, c)) {
      n.start();
    }
    for (NodeProcess n : List.of(a, b, c)) {
      n.awaitReady(START);
    }
    // Warm up (JIT, shard allocation) until both workers have served work, bounded.
    boolean bothUsed = false;
    for (int round = 0; round < 6 && !bothUsed; round++) {
      List<Outcome> warm = Workload.run(List.of(orchestratorA()), 0, 8, 4, Retry.BUSY, CALL_TIMEOUT, n -> { });
      bothUsed = warm.stream().anyMatch(o -> o.usedHost(b.host)) && warm.stream().anyMatch(o -> o.usedHost(c.host));
    }
    assertTrue(bothUsed, "the warm-up batches never used both worker nodes");
  }

  static NodeProcess node(String name, String host, List<String> roles, List<String> seeds) {
    NodeProcess n = new NodeProcess(name, host, roles, Net.ports(host), seeds, List.of());
    all.add(n);
    return n;
  }

  @AfterAll
  static void stopCluster() {
    for (NodeProcess n : all) {
      n.close();
    }
  }

  static Target orchestratorA() {
    return new Target(a.host, a.port(Role.ORCHESTRATOR));
  }

  static Target orchestratorD() {
    return new Target(d.host, d.port(Role.ORCHESTRATOR));
  }

  static double retries(NodeProcess n) throws Exception {
    return NodeProcess.sum(n.metrics(), "imgpipe_stage_retries_total");
  }

  static double members(NodeProcess n, String status) throws Exception {
    return NodeProcess.sum(n.metrics(), "imgpipe_cluster_members", "status=\"" + status + "\"");
  }

  /** Waits until {@code observer} sees {@code up} members Up and none unreachable. */
  static void awaitMembers(NodeProcess observer, int up, Duration timeout) throws Exception {
    boolean ok = Timing.await(timeout, Duration.ofMillis(500),
        () -> members(observer, "up") == up && members(observer, "unreachable") == 0
            && members(observer, "joining") == 0 && members(observer, "leaving") == 0
            && members(observer, "exiting") == 0 && members(observer, "down") == 0);
    assertTrue(ok, observer + " did not see " + up + " members up (and none unreachable, joining, leaving or down)"
        + " within " + Timing.scaled(timeout).toSeconds() + " s; it sees up=" + members(observer, "up")
        + " unreachable=" + members(observer, "unreachable") + " down=" + members(observer, "down"));
  }

  static void assertAllSucceeded(String what, List<Outcome> outcomes, int expected) {
    assertEquals(expected, outcomes.size());
    assertEquals(expected, Workload.succeeded(outcomes), what + ": not every image succeeded:\n"
        + Workload.failures(outcomes));
    Set<String> ids = new HashSet<>();
    Set<Integer> indexes = new HashSet<>();
    for (Outcome o : outcomes) {
      assertTrue(ids.add(o.processId()), what + ": process_id " + o.processId() + " answered twice");
      assertTrue(indexes.add(o.index()), what + ": image " + o.index() + " answered twice");
    }
  }

  /** Runs a batch on A and fires {@code action} (off the batch threads) once {@code after} images finished. */
  static List<Outcome> batchWith(List<Target> targets, int first, int count, Retry retry, int after, Runnable action)
      throws Exception {
    return batchWith(targets, first, count, retry, after, action, () -> true);
  }

  static List<Outcome> batchWith(List<Target> targets, int first, int count, Retry retry, int after, Runnable action,
      java.util.function.BooleanSupplier more) throws Exception {
    AtomicBoolean fired = new AtomicBoolean();
    List<CompletableFuture<Void>> actions = new ArrayList<>();
    List<Outcome> out = Workload.run(targets, first, count, 4, retry, CALL_TIMEOUT, n -> {
      if (n >= after && fired.compareAndSet(false, true)) {
        synchronized (actions) {
          actions.add(CompletableFuture.runAsync(action));
        }
      }
    }, more);
    for (CompletableFuture<Void> f : actions) {
      f.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertTrue(fired.get(), "the fault was never injected");
    return out;
  }

  @Test
  @Order(1)
  void killNineOfAWorkerMidBatchLosesNoImageAndItsSlotsMoveToTheSurvivor() throws Exception {
    int n = Sizes.faultBatch();
    AtomicLong killedAt = new AtomicLong();
    long t0 = System.nanoTime();
    List<Outcome> batch = batchWith(List.of(orchestratorA()), 100, n, Retry.NONE, n / 4, () -> {
      try {
        c.kill9();
        killedAt.set(System.nanoTime());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    long batchMs = (System.nanoTime() - t0) / 1_000_000;
    assertAllSucceeded("kill -9 batch", batch, n);
    assertFalse(c.isAlive());

    // The Split Brain Resolver downs C; the slots C hosted move to B.
    awaitMembers(a, 2, Duration.ofSeconds(120));
    long removedMs = (System.nanoTime() - killedAt.get()) / 1_000_000;
    List<Outcome> after = Workload.run(List.of(orchestratorA()), 200, 8, 4, Retry.NONE, CALL_TIMEOUT, k -> { });
    assertAllSucceeded("batch after the kill", after, 8);
    for (Outcome o : after) {
      assertTrue(o.servedOnlyBy(b.host, "Resize", "Filter", "Watermark"), "image " + o.index()
          + " was not served by the survivor " + b.host + ": " + o.hostMap());
    }
    double retried = retries(a);
    Report.result("kill -9 of a worker mid-batch", n + "/" + n + " images succeeded, batch " + batchMs
        + " ms, C removed from the cluster " + removedMs + " ms after the kill, 8/8 next images all on B, "
        + "stage retries on A so far " + (long) retried);
  }

  @Test
  @Order(2)
  void theRestartedNodeRejoinsAndTheNextBatchUsesIt() throws Exception {
    long t0 = System.nanoTime();
    c.start().awaitReady(START);
    awaitMembers(a, 3, Duration.ofSeconds(120));
    long joinedMs = (System.nanoTime() - t0) / 1_000_000;
    // Sharding rebalances slots onto the new node in rounds (every 10 s by default): bounded batches.
    boolean used = false;
    int batches = 0;
    long t1 = System.nanoTime();
    while (!used && batches < 8) {
      batches++;
      List<Outcome> next = Workload.run(List.of(orchestratorA()), 300 + batches * 10, 8, 4, Retry.NONE, CALL_TIMEOUT,
          k -> { });
      assertAllSucceeded("batch after the restart", next, 8);
      used = next.stream().anyMatch(o -> o.usedHost(c.host));
      if (!used) {
        Thread.sleep(Timing.scaled(Duration.ofSeconds(3)).toMillis());
      }
    }
    assertTrue(used, "the restarted node " + c.host + " served no work in " + batches + " batches");
    Report.result("restart of the killed worker", "rejoined (Up on A) " + joinedMs + " ms after the start, served "
        + "work from batch " + batches + " (" + (System.nanoTime() - t1) / 1_000_000 + " ms after joining)");
  }

  @Test
  @Order(3)
  void sigtermMidBatchLosesNoImageAndNeedsNoRetry() throws Exception {
    int n = Sizes.faultBatch();
    double retriesBefore = retries(a);
    long restartsBefore = heldImageRestarts(a);
    long t0 = System.nanoTime();
    List<Outcome> batch = batchWith(List.of(orchestratorA()), 400, n, Retry.NONE, n / 4, b::term);
    long batchMs = (System.nanoTime() - t0) / 1_000_000;
    int exit = b.awaitExit(Duration.ofSeconds(90));
    assertAllSucceeded("SIGTERM batch", batch, n);
    double retried = retries(a) - retriesBefore;
    assertEquals(0, exit, "a SIGTERM'd node exits 0 after leaving:\n" + b.logTail(20));
    awaitMembers(a, 2, Duration.ofSeconds(60));
    Report.result("SIGTERM of a worker mid-batch", n + "/" + n + " images succeeded, batch " + batchMs
        + " ms, exit code " + exit + ", stage retries during the batch " + (long) retried);
    // Known limit (docs/reliability.md): a stage result the leaving node still held for a next stage that
    // had not fetched it when the node's shard regions stopped cannot be sent any more; that request starts
    // again from the client's bytes (and succeeds, above). Every other retry is a fault of the hand-off.
    long restarts = heldImageRestarts(a) - restartsBefore;
    assertEquals(restarts, (long) retried, "work the leaving node held was retried; see its log:\n" + b.logTail(30));
  }

  /** Requests A restarted because a node that left had held their image. */
  private static long heldImageRestarts(NodeProcess n) {
    return n.logText().lines().filter(l -> l.contains("left the cluster, and the image was held there")).count();
  }

  @Test
  @Order(4)
  void killingOneOfTwoOrchestratorsFailsOnlyItsOwnRequestsAndTheRetryOnTheOtherSucceeds() throws Exception {
    if (!b.isAlive()) {
      b.start();
    }
    d.start();
    b.awaitReady(START);
    d.awaitReady(START);
    awaitMembers(a, 4, Duration.ofSeconds(120));
    int n = Sizes.faultBatch();
    List<Outcome> batch = batchWith(List.of(orchestratorA(), orchestratorD()), 500, n, Retry.FAILOVER, n / 4, () -> {
      try {
        d.kill9();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertAllSucceeded("two-orchestrator batch", batch, n);
    int failedOver = 0;
    List<String> errors = new ArrayList<>();
    for (Outcome o : batch) {
      for (String e : o.transportErrors()) {
        assertTrue(e.startsWith(orchestratorD().toString()), "a request to A failed: " + e);
        errors.add(e);
      }
      if (!o.transportErrors().isEmpty()) {
        failedOver++;
        assertEquals(orchestratorA().toString(), o.servedBy(), "image " + o.index() + " was retried elsewhere");
      }
    }
    assertTrue(failedOver > 0, "no request to D failed; was D killed before the batch ended?");
    for (String e : errors) {
      assertTrue(e.contains("process_image on http://" + d.host), "transport errors name the call and node: " + e);
    }
    Report.result("kill -9 of one of two orchestrators", n + "/" + n + " images succeeded; " + failedOver
        + " requests to D failed with a transport error and succeeded on A; first error: "
        + errors.get(0).replaceAll("\\s+", " "));
    awaitMembers(a, 3, Duration.ofSeconds(120));
  }

  @Test
  @Order(5)
  void aPausedNodeIsDownedBySbrWithNoJobLostOrDuplicated() throws Exception {
    // Over a minute by design (the pause must outlast SBR's stable-after): the long suite runs it, or
    // -Dimgpipe.reliability.partition=true.
    assumeTrue(Sizes.isLong() || Boolean.getBoolean("imgpipe.reliability.partition"),
        "the SIGSTOP partition runs in the long suite (selftest/long.sh)");
    // Longer than the failure detector (about 3 s of missed heartbeats) plus SBR's stable-after (20 s).
    Duration pause = Duration.ofSeconds(Integer.getInteger("imgpipe.reliability.pause-seconds", 35));
    // Images keep coming through the pause, the downing of C and the move of its slots: the batch runs until
    // 15 s after A has seen C downed and removed (at most 1000 images, at most 3 minutes).
    AtomicLong pausedAt = new AtomicLong();
    AtomicLong removedAt = new AtomicLong();
    long t0 = System.nanoTime();
    long hardEnd = t0 + Timing.scaled(Duration.ofMinutes(3)).toNanos();
    Thread watcher = new Thread(() -> {
      while (System.nanoTime() < hardEnd && removedAt.get() == 0) {
        try {
          if (pausedAt.get() != 0 && members(a, "up") == 2 && members(a, "unreachable") == 0) {
            removedAt.set(System.nanoTime());
          }
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // A did not answer /metrics this time; ask again
        }
      }
    }, "partition-watcher");
    watcher.setDaemon(true);
    watcher.start();
    List<Outcome> batch;
    try {
      batch = batchWith(List.of(orchestratorA()), 600, 1000, Retry.NONE, 8, () -> {
        try {
          c.pause();
          pausedAt.set(System.nanoTime());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, () -> System.nanoTime() < hardEnd
          && (removedAt.get() == 0 || System.nanoTime() < removedAt.get() + Duration.ofSeconds(15).toNanos()));
    } finally {
      watcher.interrupt();
    }
    int n = batch.size();
    long batchMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(removedAt.get() != 0, "A never saw the paused node downed and removed");
    long downedAfterMs = (removedAt.get() - pausedAt.get()) / 1_000_000;
    assertAllSucceeded("SIGSTOP batch", batch, n);
    long sleep = pause.toMillis() - (System.nanoTime() - pausedAt.get()) / 1_000_000;
    if (sleep > 0) {
      Thread.sleep(sleep);
    }
    awaitMembers(a, 2, Duration.ofSeconds(60));
    c.resume();
    // C learns it was downed and stops itself.
    int exit = c.awaitExit(Duration.ofSeconds(90));
    String log = c.logText();
    // Every job has exactly one result, and the orchestrator's ledger agrees.
    ImgpipeClient client = orchestratorA().client(Duration.ofSeconds(30));
    for (Outcome o : batch) {
      Map<String, Object> st = client.getProcessingStatus(o.processId());
      assertEquals("completed", st.get("status"), "status of image " + o.index() + ": " + st);
    }
    // Healthy: the rest of the cluster serves, and C rejoins when restarted.
    awaitMembers(a, 2, Duration.ofSeconds(30));
    assertEquals(200, a.readyStatus());
    List<Outcome> after = Workload.run(List.of(orchestratorA()), 700, 8, 4, Retry.NONE, CALL_TIMEOUT, k -> { });
    assertAllSucceeded("batch after the partition", after, 8);
    c.start().awaitReady(START);
    awaitMembers(a, 3, Duration.ofSeconds(120));
    Report.result("SIGSTOP of a worker for " + pause.toSeconds() + " s, then SIGCONT", n + "/" + n
        + " images sent through the pause, the downing (C removed " + downedAfterMs + " ms after SIGSTOP) and 15 s"
        + " beyond succeeded exactly once (batch " + batchMs + " ms), all " + n
        + " completed in get_processing_status; SBR (keep-majority) downed the paused node, which stopped itself"
        + " on SIGCONT with exit code " + exit + "; cluster back to 3 Up after its restart");
    // As configured (keep-majority): the majority's leader downed C, and C, back with a minority of one, downed
    // itself and stopped (exit 0, the launcher's normal stop).
    assertTrue(a.logText().contains("SBR took decision DownUnreachable and is downing [akka://imgpipe@" + c.host),
        "A's log has no SBR downing of " + c.host);
    assertTrue(log.contains("ClusterDowningReason"), "C did not stop because it was downed:\n" + c.logTail(30));
    assertEquals(0, exit);
  }
}

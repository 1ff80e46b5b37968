package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorRef;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.sharding.ClusterSharding;
import akka.cluster.sharding.ShardRegion;
import akka.pattern.Patterns;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * Two all-roles nodes on their own loopback addresses, one filter slot on each. A job waits for a slot
 * on its own node for up to {@code delivery.remote-after}, even though the other node's slot is free,
 * because a local slot gets the image by reference and a remote one costs serialising it both ways; once
 * remote-after has passed it takes the other node's free slot.
 */
class LocalSlotPreferenceTest {

  private static final byte[] PNG = TestImages.png(TestImages.photoLike(48, 32, 3));
  private static final long REMOTE_AFTER_MS = 1500;

  private static StageJob.Filter filter(String name) {
    return new StageJob.Filter(List.of(new StageJob.FilterStep(name, 1.0)), true);
  }

  /** How many filter regions A's shard coordinator knows. */
  private static int filterRegions(TestNode n) {
    ActorRef region = ClusterSharding.get(Adapter.toClassic(n.system()))
        .shardRegion(StageSlot.typeKey(Stage.FILTER).name());
    try {
      Object answer = Patterns.ask(region, ShardRegion.getCurrentRegionsInstance(), Duration.ofSeconds(3))
          .toCompletableFuture().get();
      return ((ShardRegion.CurrentRegions) answer).getRegions().size();
    } catch (Exception e) {
      return 0;
    }
  }

  @Test
  void jobWaitsForItsOwnNodesSlotAndTakesAnotherNodesFreeSlotOnlyAfterRemoteAfter() {
    String conf = "imgpipe.pools.filter { slots = 2, queue = 8 }\n"
        + "imgpipe.delivery.remote-after = " + REMOTE_AFTER_MS + "ms\n";
    ScriptedWork[] workA = new ScriptedWork[1];
    ScriptedWork[] workB = new ScriptedWork[1];
    try (TestNode a = TestNode.start("127.0.0.2", "all", null, conf, s -> workA[0] = new ScriptedWork(s), false);
        TestNode b = TestNode.start("127.0.0.3", "all", a, conf, s -> workB[0] = new ScriptedWork(s), false)) {
      TestNode.awaitTrue(Duration.ofSeconds(90), () -> a.upMembers() == 2 && b.upMembers() == 2, "two nodes did not come up");
      a.awaitReady(Duration.ofSeconds(30));
      b.awaitReady(Duration.ofSeconds(30));
      // Slots are allocated when first used, among the regions the coordinator knows: wait until B's is known.
      TestNode.awaitTrue(Duration.ofSeconds(30), () -> filterRegions(a) == 2, "B's filter region did not register");
      String nodeA = "127.0.0.2:" + a.settings.ports().filter();
      String nodeB = "127.0.0.3:" + b.settings.ports().filter();
      var pool = a.pipeline.pool(Stage.FILTER);

      // Two jobs at once from A: A's pool knows no slot yet, so it offers them to both slots, and learns
      // where each lives. Least-shard allocation puts one of the two slots on each node.
      TestProbe<StageResult> p1 = a.kit.createTestProbe();
      TestProbe<StageResult> p2 = a.kit.createTestProbe();
      workA[0].delayMillis = 300;
      workB[0].delayMillis = 300;
      pool.tell(new StagePool.Submit(filter("NEGATIVE"), new ImagePayload.Encoded(PNG), p1.getRef()));
      pool.tell(new StagePool.Submit(filter("NEGATIVE"), new ImagePayload.Encoded(PNG), p2.getRef()));
      Set<String> where = new HashSet<>();
      for (TestProbe<StageResult> p : List.of(p1, p2)) {
        StageResult r = p.receiveMessage(Duration.ofSeconds(30));
        assertEquals(StageResult.Status.OK, r.status(), r.message());
        where.add(r.node());
      }
      assertEquals(Set.of(nodeA, nodeB), where, "the two filter slots should live one on each node");
      workA[0].delayMillis = 0;
      workB[0].delayMillis = 0;
      long onB = workB[0].count(Stage.FILTER);

      // A's own slot is held; B's is free. The next job from A waits for A's slot instead of going to B.
      workA[0].release = new CountDownLatch(1);
      TestProbe<StageResult> held = a.kit.createTestProbe();
      pool.tell(new StagePool.Submit(filter("HOLD"), new ImagePayload.Encoded(PNG), held.getRef()));
      TestNode.awaitTrue(Duration.ofSeconds(30), () -> workA[0].count(Stage.FILTER) == 2, "A's slot did not take the job");
      TestProbe<StageResult> waits = a.kit.createTestProbe();
      pool.tell(new StagePool.Submit(filter("NEGATIVE"), new ImagePayload.Encoded(PNG), waits.getRef()));
      waits.expectNoMessage(Duration.ofMillis(500));
      workA[0].release.countDown();
      assertEquals(nodeA, held.receiveMessage(Duration.ofSeconds(30)).node());
      StageResult local = waits.receiveMessage(Duration.ofSeconds(30));
      assertEquals(StageResult.Status.OK, local.status(), local.message());
      assertEquals(nodeA, local.node(), "the job should have waited for its own node's slot");
      assertEquals(onB, workB[0].count(Stage.FILTER), "no job may have gone to B while A's slot was coming free");

      // A's slot is held for longer than remote-after: the waiting job then takes B's free slot.
      workA[0].release = new CountDownLatch(1);
      TestProbe<StageResult> heldAgain = a.kit.createTestProbe();
      pool.tell(new StagePool.Submit(filter("HOLD"), new ImagePayload.Encoded(PNG), heldAgain.getRef()));
      TestNode.awaitTrue(Duration.ofSeconds(30), () -> workA[0].count(Stage.FILTER) == 4, "A's slot did not take the job");
      long t0 = System.nanoTime();
      TestProbe<StageResult> spills = a.kit.createTestProbe();
      pool.tell(new StagePool.Submit(filter("NEGATIVE"), new ImagePayload.Encoded(PNG), spills.getRef()));
      StageResult remote = spills.receiveMessage(Duration.ofSeconds(30));
      long waitedMs = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(StageResult.Status.OK, remote.status(), remote.message());
      assertEquals(nodeB, remote.node(), "after remote-after the job should use B's free slot");
      assertTrue(waitedMs >= REMOTE_AFTER_MS - 50, "went to B after " + waitedMs + " ms, before remote-after");
      assertEquals(onB + 1, workB[0].count(Stage.FILTER));
      workA[0].release.countDown();
      assertEquals(StageResult.Status.OK, heldAgain.receiveMessage(Duration.ofSeconds(30)).status());
    }
  }
}

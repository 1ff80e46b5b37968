package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.imgpipe.imaging.DecodedImage;
import org.imgpipe.imaging.ImageDecoder;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.ImagingLimits;
import org.imgpipe.imaging.Raster;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;

/** A stage pool on one node: slots do the work, the queue is bounded, lost slots are retried, deadlines hold. */
class StagePoolTest {

  private static final byte[] PNG = TestImages.png(TestImages.solid(64, 32, 200, 100, 50));

  private static DecodedImage decode(ImagePayload p) throws Exception {
    return new ImageDecoder(ImagingLimits.DEFAULT).decode(((ImagePayload.Encoded) p).bytes());
  }

  @Test
  void slotRunsTheJobAndNamesItsNode() throws Exception {
    try (TestNode node = TestNode.single("127.0.0.2", "", StageWork::new)) {
      TestProbe<StageResult> probe = node.kit.createTestProbe();
      node.pipeline.pool(Stage.RESIZE).tell(new StagePool.Submit(new StageJob.Resize(32, 0, true, true),
          new ImagePayload.Encoded(PNG), probe.getRef()));
      StageResult r = probe.receiveMessage(Duration.ofSeconds(30));
      assertEquals(StageResult.Status.OK, r.status(), r.message());
      assertEquals(32, r.width());
      assertEquals(16, r.height());
      assertEquals(64, r.sourceWidth());
      assertEquals("127.0.0.2:" + node.settings.ports().resize(), r.node());
      DecodedImage out = decode(r.image());
      assertEquals(ImageFormat.PNG, out.format());
      assertEquals(32, out.raster().width());
      assertEquals(0xFFC86432, out.raster().pixel(5, 5));
      assertEquals(1.0, node.pipeline.metrics().jobs(Stage.RESIZE, StageResult.Status.OK));
    }
  }

  @Test
  void decodedOutputStaysDecodedAndFailuresHaveNoPrefix() {
    try (TestNode node = TestNode.single("127.0.0.2", "", StageWork::new)) {
      TestProbe<StageResult> probe = node.kit.createTestProbe();
      node.pipeline.pool(Stage.FILTER).tell(new StagePool.Submit(
          new StageJob.Filter(List.of(new StageJob.FilterStep("NEGATIVE", 1.0)), false),
          new ImagePayload.Encoded(PNG), probe.getRef()));
      StageResult ok = probe.receiveMessage(Duration.ofSeconds(30));
      ImagePayload.Decoded d = assertInstanceOf(ImagePayload.Decoded.class, ok.image());
      assertEquals(0xFF379BCD, d.raster().pixel(0, 0));
      assertEquals(ImageFormat.PNG, d.sourceFormat());

      node.pipeline.pool(Stage.FILTER).tell(new StagePool.Submit(
          new StageJob.Filter(List.of(new StageJob.FilterStep("FOO", 1.0)), true),
          new ImagePayload.Encoded(PNG), probe.getRef()));
      StageResult bad = probe.receiveMessage(Duration.ofSeconds(30));
      assertEquals(StageResult.Status.FAILED, bad.status());
      assertTrue(bad.message().startsWith("unknown filter 'FOO'"), bad.message());
    }
  }

  @Test
  void fullQueueAnswersBusyAtOnceAndQueuedJobIsServedWhenTheSlotFrees() throws Exception {
    String conf = "imgpipe.pools.format { slots = 1, queue = 1 }\n";
    ScriptedWork[] work = new ScriptedWork[1];
    try (TestNode node = TestNode.single("127.0.0.2", conf, s -> work[0] = new ScriptedWork(s))) {
      TestProbe<StageResult> first = node.kit.createTestProbe();
      TestProbe<StageResult> second = node.kit.createTestProbe();
      TestProbe<StageResult> third = node.kit.createTestProbe();
      TestProbe<StagePool.State> state = node.kit.createTestProbe();
      var pool = node.pipeline.pool(Stage.FORMAT);
      pool.tell(new StagePool.Submit(new StageJob.Format("HOLD", 0), new ImagePayload.Encoded(PNG), first.getRef()));
      TestNode.awaitTrue(Duration.ofSeconds(30), () -> work[0].count(Stage.FORMAT) == 1, "first job not started");
      pool.tell(new StagePool.Submit(new StageJob.Format("PNG", 0), new ImagePayload.Encoded(PNG), second.getRef()));
      pool.tell(new StagePool.GetState(state.getRef()));
      assertEquals(new StagePool.State(1, 1, 1, 1), state.receiveMessage());
      assertEquals(1.0, node.registry.get("imgpipe.stage.queue.depth").tag("stage", "format").gauge().value());

      pool.tell(new StagePool.Submit(new StageJob.Format("PNG", 0), new ImagePayload.Encoded(PNG), third.getRef()));
      StageResult busy = third.receiveMessage(Duration.ofSeconds(5));
      // Answered while the only slot is still held and the queue still full: BUSY does not wait for a slot.
      pool.tell(new StagePool.GetState(state.getRef()));
      assertEquals(new StagePool.State(1, 1, 1, 1), state.receiveMessage(), "the slot or the queue moved before BUSY");
      assertEquals(1, work[0].count(Stage.FORMAT), "the first job finished before BUSY");
      assertEquals(StageResult.Status.BUSY, busy.status());
      assertEquals("Format busy: all 1 slots and 1 queued requests in use; retry later", busy.message());
      assertEquals(1.0, node.pipeline.metrics().busyRejections(Stage.FORMAT));
      second.expectNoMessage(Duration.ofMillis(200));

      work[0].release.countDown();
      assertEquals(StageResult.Status.OK, first.receiveMessage(Duration.ofSeconds(30)).status());
      StageResult served = second.receiveMessage(Duration.ofSeconds(30));
      assertEquals(StageResult.Status.OK, served.status(), served.message());
      assertEquals(64, served.width());
      assertEquals(2, work[0].count(Stage.FORMAT));
      assertEquals(0.0, node.registry.get("imgpipe.stage.queue.depth").tag("stage", "format").gauge().value());
    }
  }

  @Test
  void jobOfASlotThatStopsAnsweringIsRetriedOnAnotherSlot() {
    String conf = "imgpipe.pools.filter { slots = 2, queue = 4 }\n"
        + "imgpipe.timeouts.stage-attempt = 400ms\n"
        + "imgpipe.delivery.suspect-cooldown = 100ms\n";
    ScriptedWork[] work = new ScriptedWork[1];
    try (TestNode node = TestNode.single("127.0.0.2", conf, s -> work[0] = new ScriptedWork(s))) {
      TestProbe<StageResult> probe = node.kit.createTestProbe();
      // First attempt: the slot takes the job, then gives no answer within the attempt timeout.
      long t0 = System.nanoTime();
      node.pipeline.pool(Stage.FILTER).tell(new StagePool.Submit(
          new StageJob.Filter(List.of(new StageJob.FilterStep("ONCE-8000", 1.0)), true),
          new ImagePayload.Encoded(PNG), probe.getRef()));
      StageResult r = probe.receiveMessage(Duration.ofSeconds(30));
      assertEquals(StageResult.Status.OK, r.status(), r.message());
      assertTrue(System.nanoTime() - t0 < Duration.ofMillis(7900).toNanos(), "answered by the lost slot, not the retry");
      assertEquals(1.0, node.pipeline.metrics().retries(Stage.FILTER));
      assertTrue(work[0].count(Stage.FILTER) >= 2, "the job was not sent to a second slot");
    }
  }

  @Test
  void retriesAreBoundedAndEndInAClearError() {
    String conf = "imgpipe.pools.filter { slots = 3, queue = 4 }\n"
        + "imgpipe.image-dispatcher.thread-pool-executor.fixed-pool-size = 4\n"
        + "imgpipe.timeouts.stage-attempt = 200ms\n"
        + "imgpipe.timeouts.stage-attempts = 3\n"
        + "imgpipe.delivery.suspect-cooldown = 50ms\n";
    ScriptedWork[] work = new ScriptedWork[1];
    try (TestNode node = TestNode.single("127.0.0.2", conf, s -> work[0] = new ScriptedWork(s))) {
      TestProbe<StageResult> probe = node.kit.createTestProbe();
      // Every slot that takes this job hangs: three lost attempts, then a clear failure, not a hang.
      node.pipeline.pool(Stage.FILTER).tell(new StagePool.Submit(
          new StageJob.Filter(List.of(new StageJob.FilterStep("HOLD", 1.0)), true),
          new ImagePayload.Encoded(PNG), probe.getRef()));
      StageResult r = probe.receiveMessage(Duration.ofSeconds(30));
      work[0].release.countDown();
      assertEquals(StageResult.Status.FAILED, r.status());
      assertTrue(r.message().startsWith("no filter slot could finish the job after 3 attempts"), r.message());
      assertEquals(2.0, node.pipeline.metrics().retries(Stage.FILTER));
      assertEquals(3, work[0].count(Stage.FILTER));
    }
  }

  @Test
  void queuedJobPastItsDeadlineIsAnsweredTimeoutAndLeavesTheQueue() {
    String conf = "imgpipe.pools.resize { slots = 1, queue = 4 }\n";
    ScriptedWork[] work = new ScriptedWork[1];
    try (TestNode node = TestNode.single("127.0.0.2", conf, s -> work[0] = new ScriptedWork(s))) {
      work[0].resizeHold = new CountDownLatch(1);
      TestProbe<StageResult> holder = node.kit.createTestProbe();
      TestProbe<StageResult> waiter = node.kit.createTestProbe();
      TestProbe<StagePool.State> state = node.kit.createTestProbe();
      var pool = node.pipeline.pool(Stage.RESIZE);
      pool.tell(new StagePool.Submit(new StageJob.Resize(10, 0, true, true), new ImagePayload.Encoded(PNG),
          holder.getRef()));
      pool.tell(new StagePool.Submit(new StageJob.Resize(10, 0, true, true), new ImagePayload.Encoded(PNG),
          waiter.getRef(), Duration.ofMillis(300)));
      StageResult r = waiter.receiveMessage(Duration.ofSeconds(15));
      assertEquals(StageResult.Status.TIMEOUT, r.status());
      assertTrue(r.message().startsWith("timed out after "), r.message());
      pool.tell(new StagePool.GetState(state.getRef()));
      assertEquals(0, state.receiveMessage().queued());
      work[0].resizeHold.countDown();
      assertEquals(StageResult.Status.OK, holder.receiveMessage(Duration.ofSeconds(30)).status());
      assertEquals(1, work[0].count(Stage.RESIZE), "the expired job must never reach a slot");
    }
  }

  @Test
  void stageWithoutAnyNodeOfItsRoleFailsAtOnceWithTheReason() {
    try (TestNode node = TestNode.start("127.0.0.2", "orchestrator, format", null, "", StageWork::new, false)) {
      TestNode.awaitTrue(Duration.ofSeconds(60), () -> akka.cluster.typed.Cluster.get(node.system()).selfMember()
          .status() == akka.cluster.MemberStatus.up(), "node not up");
      assertTrue(!node.pipeline.ready(), "a node without resize, filter and watermark members is not ready");
      TestProbe<StageResult> probe = node.kit.createTestProbe();
      node.pipeline.pool(Stage.RESIZE).tell(new StagePool.Submit(new StageJob.Resize(10, 0, true, true),
          new ImagePayload.Encoded(PNG), probe.getRef()));
      StageResult r = probe.receiveMessage(Duration.ofSeconds(15));
      assertEquals(StageResult.Status.FAILED, r.status());
      assertEquals("no node with the resize role is up in the cluster", r.message());

      TestProbe<ProcessResult> result = node.kit.createTestProbe();
      node.pipeline.orchestration().tell(new Orchestration.Process("x.png", PNG,
          ProcessOptions.parse(java.util.Map.of("filters", new Object[] {"BLUR"})), result.getRef()));
      ProcessResult p = result.receiveMessage(Duration.ofSeconds(15));
      assertEquals("Filter BLUR failed: no node with the filter role is up in the cluster", p.message());
      // The format stage, whose role this node has, still works.
      node.pipeline.pool(Stage.FORMAT).tell(new StagePool.Submit(new StageJob.Format("JPEG", 80),
          new ImagePayload.Encoded(PNG), probe.getRef()));
      assertEquals(StageResult.Status.OK, probe.receiveMessage(Duration.ofSeconds(30)).status());
    }
  }

  static Raster raster(ImagePayload p) throws Exception {
    return p instanceof ImagePayload.Decoded d ? d.raster() : decode(p).raster();
  }
}

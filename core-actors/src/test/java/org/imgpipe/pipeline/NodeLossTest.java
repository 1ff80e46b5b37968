package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * Nodes that die while they hold a job, as separate devices would (each node its own loopback address,
 * stopped abruptly: no leaving, its peers find out through the failure detector). A job whose node died
 * is run once more on another node; when that node dies too, the job is a suspected poison input: it fails
 * with the reason and its image is refused on every node. A request whose image was held by a node that
 * died starts again from the client's bytes.
 */
class NodeLossTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static List<TestNode> started = new ArrayList<>();

  private static TestNode node(String host, String roles, TestNode seed, String conf, ScriptedWork[] work,
      boolean abrupt) {
    TestNode n = TestNode.start(host, roles, seed, conf, s -> work[0] = new ScriptedWork(s), abrupt);
    started.add(n);
    return n;
  }

  private static void closeAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (RuntimeException e) {
        // stopped by the test already
      }
    }
    started = new ArrayList<>();
  }

  private static void awaitUp(int n, TestNode... nodes) {
    TestNode.awaitTrue(Duration.ofSeconds(90), () -> {
      for (TestNode t : nodes) {
        if (t.upMembers() != n) {
          return false;
        }
      }
      return true;
    }, n + " nodes did not come up");
  }

  @Test
  void aJobThatTakesDownTwoNodesFailsAndItsImageIsRefusedOnEveryNode() {
    ScriptedWork[] wa = new ScriptedWork[1];
    ScriptedWork[] wb = new ScriptedWork[1];
    ScriptedWork[] wc = new ScriptedWork[1];
    ScriptedWork[] wd = new ScriptedWork[1];
    try {
      TestNode a = node("127.0.0.2", "orchestrator, resize, watermark, format", null, "", wa, false);
      TestNode b = node("127.0.0.3", "filter", a, "", wb, true);
      TestNode c = node("127.0.0.4", "filter", a, "", wc, true);
      // A fourth member keeps A on the majority side while two of the others die.
      TestNode d = node("127.0.0.5", "format", a, "", wd, false);
      awaitUp(4, a, b, c, d);
      a.awaitReady(WAIT);
      wb[0].crash = b::close;
      wc[0].crash = c::close;

      byte[] poison = TestImages.png(TestImages.photoLike(64, 48, 7));
      TestProbe<ProcessResult> probe = a.kit.createTestProbe();
      long t0 = System.nanoTime();
      a.pipeline.orchestration().tell(new Orchestration.Process("poison.png", poison,
          ProcessOptions.parse(Map.of("filters", new Object[] {"CRASH"})), probe.getRef()));
      ProcessResult r = probe.receiveMessage(WAIT);
      assertFalse(r.success());
      assertTrue(r.message().startsWith("Filter CRASH failed: nodes were lost 2 times while working on this image"),
          r.message());
      assertTrue(r.message().contains("suspected poison input"), r.message());
      assertEquals(1, wb[0].count(Stage.FILTER), "B ran the job once");
      assertEquals(1, wc[0].count(Stage.FILTER), "C ran the job once");
      assertEquals(1.0, a.pipeline.metrics().poisonJobs(Stage.FILTER));
      assertTrue(System.nanoTime() - t0 < WAIT.toNanos());

      // The same bytes are refused at once, through process_image and a single stage, here and on D.
      TestProbe<ProcessResult> again = a.kit.createTestProbe();
      a.pipeline.orchestration().tell(new Orchestration.Process("poison.png", poison,
          ProcessOptions.parse(Map.of("target_width", 32)), again.getRef()));
      ProcessResult refused = again.receiveMessage(Duration.ofSeconds(10));
      assertFalse(refused.success());
      assertTrue(refused.message().startsWith("this image is refused for another "), refused.message());
      TestProbe<StageResult> stage = a.kit.createTestProbe();
      a.pipeline.pool(Stage.RESIZE).tell(new StagePool.Submit(new StageJob.Resize(32, 0, true, true),
          new ImagePayload.Encoded(poison), stage.getRef()));
      assertEquals(StageResult.Status.POISON, stage.receiveMessage(Duration.ofSeconds(10)).status());
      TestNode.awaitTrue(Duration.ofSeconds(10), () -> d.pipeline.quarantine().refusal(poison) != null,
          "D was not told about the quarantined image");

      // Other images still work on the nodes that are left.
      byte[] fine = TestImages.png(TestImages.photoLike(64, 48, 8));
      assertNull(a.pipeline.quarantine().refusal(fine));
      TestProbe<ProcessResult> ok = a.kit.createTestProbe();
      a.pipeline.orchestration().tell(new Orchestration.Process("fine.png", fine,
          ProcessOptions.parse(Map.of("target_width", 32)), ok.getRef()));
      ProcessResult good = ok.receiveMessage(WAIT);
      assertTrue(good.success(), good.message());
    } finally {
      closeAll();
    }
  }

  @Test
  void aRequestWhoseImageWasOnANodeThatDiedStartsAgainFromTheClientsBytes() throws Exception {
    ScriptedWork[] wa = new ScriptedWork[1];
    ScriptedWork[] wb = new ScriptedWork[1];
    ScriptedWork[] wc = new ScriptedWork[1];
    ScriptedWork[] wd = new ScriptedWork[1];
    String oneWatermarkSlot = "imgpipe.pools.watermark { slots = 1, queue = 8 }\n";
    try {
      TestNode a = node("127.0.0.2", "orchestrator, watermark, format", null, oneWatermarkSlot, wa, false);
      TestNode b = node("127.0.0.3", "resize, filter", a, oneWatermarkSlot, wb, true);
      TestNode c = node("127.0.0.4", "resize, filter", a, oneWatermarkSlot, wc, true);
      TestNode d = node("127.0.0.5", "format", a, oneWatermarkSlot, wd, false);
      awaitUp(4, a, b, c, d);
      a.awaitReady(WAIT);

      // The only watermark slot works on something else, so the request's watermark job waits in A's queue
      // while its input is held on B or C.
      byte[] png = TestImages.png(TestImages.smoothScene(320, 200));
      TestProbe<StageResult> blocker = a.kit.createTestProbe();
      a.pipeline.pool(Stage.WATERMARK).tell(new StagePool.Submit(
          new StageJob.TextWatermark("HOLD", "center", 20, "#FFFFFF", 1.0, true), new ImagePayload.Encoded(png),
          blocker.getRef()));
      TestNode.awaitTrue(Duration.ofSeconds(30), () -> wa[0].count(Stage.WATERMARK) == 1, "the blocker did not start");

      TestProbe<ProcessResult> probe = a.kit.createTestProbe();
      a.pipeline.orchestration().tell(new Orchestration.Process("scene.png", png, ProcessOptions.parse(Map.of(
          "target_width", 160, "filters", new Object[] {"NEGATIVE"}, "add_watermark", true, "watermark_text", "x")),
          probe.getRef()));
      TestNode.awaitTrue(Duration.ofSeconds(30), () -> state(a, Stage.WATERMARK).queued() == 1,
          "the request's watermark job did not queue");
      boolean onB = wb[0].count(Stage.FILTER) == 1;
      TestNode holder = onB ? b : c;
      ScriptedWork survivor = onB ? wc[0] : wb[0];
      assertEquals(1, (onB ? wb[0] : wc[0]).count(Stage.FILTER));
      assertEquals(0, survivor.count(Stage.FILTER));
      holder.close();

      // Once A sees the holder gone, the request starts again on the survivor; then the slot comes free.
      TestNode.awaitTrue(WAIT, () -> survivor.count(Stage.FILTER) == 1, "the request did not start again");
      wa[0].release.countDown();
      ProcessResult r = probe.receiveMessage(WAIT);
      assertTrue(r.success(), r.message());
      @SuppressWarnings("unchecked")
      Map<String, String> hosts = (Map<String, String>) r.stats().toOrderedMap().get("host_map");
      String survivorHost = (onB ? c : b).settings.node().host();
      assertEquals(survivorHost + ":50052", hosts.get("Resize"));
      assertEquals(survivorHost + ":50053", hosts.get("Filter-1 (NEGATIVE)"));
      assertNotNull(blocker.receiveMessage(WAIT));
    } finally {
      closeAll();
    }
  }

  private static StagePool.State state(TestNode n, Stage stage) {
    TestProbe<StagePool.State> p = n.kit.createTestProbe();
    n.pipeline.pool(stage).tell(new StagePool.GetState(p.getRef()));
    return p.receiveMessage(Duration.ofSeconds(5));
  }
}

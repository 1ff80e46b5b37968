package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three real nodes on loopback, like three devices: A only orchestrates, B resizes and filters, C adds
 * watermarks and encodes. A stage's decoded result stays on the node whose slot made it: the sender gets
 * a reference, the next stage's slot gets the image from the holder (by reference on the same node), and
 * the pixels that come out are the ones one node makes alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectDeliveryTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private TestNode a;
  private TestNode b;
  private TestNode c;
  private ScriptedWork workB;
  private ScriptedWork workC;

  @BeforeAll
  void startCluster() {
    a = TestNode.start("127.0.0.2", "orchestrator", null, "", ScriptedWork::new, false);
    b = TestNode.start("127.0.0.3", "resize, filter", a, "", s -> workB = new ScriptedWork(s), false);
    c = TestNode.start("127.0.0.4", "watermark, format", a, "", s -> workC = new ScriptedWork(s), false);
    TestNode.awaitTrue(Duration.ofSeconds(90), () -> a.upMembers() == 3 && b.upMembers() == 3 && c.upMembers() == 3,
        "three nodes did not come up");
    a.awaitReady(WAIT);
  }

  @AfterAll
  void stopCluster() {
    for (TestNode n : new TestNode[] {c, b, a}) {
      if (n != null) {
        n.close();
      }
    }
  }

  private static final StageJob RESIZE = new StageJob.Resize(320, 180, true, false);
  private static final StageJob SEPIA = new StageJob.Filter(List.of(new StageJob.FilterStep("SEPIA", 1.0)), false);
  private static final StageJob WATERMARK = new StageJob.TextWatermark("imgpipe", "bottom-right", 20, "#FFFFFF", 0.8,
      false);
  private static final StageJob FORMAT = new StageJob.Format("PNG", 0);

  private StageResult submit(StageJob job, ImagePayload input, boolean hold) {
    TestProbe<StageResult> probe = a.kit.createTestProbe();
    a.pipeline.pool(job.stage()).tell(new StagePool.Submit(job, input, probe.getRef(), null, hold, 0));
    return probe.receiveMessage(WAIT);
  }

  /** What one node makes of the same steps, each result handed on decoded. */
  private static byte[] alone(ImgpipeSettings settings, byte[] png, StageJob... jobs) {
    StageWork work = new StageWork(settings);
    ImagePayload image = new ImagePayload.Encoded(png);
    for (StageJob job : jobs) {
      StageResult r = work.run(job, image);
      assertEquals(StageResult.Status.OK, r.status(), r.message());
      image = r.image();
    }
    return ((ImagePayload.Encoded) image).bytes();
  }

  private double held(TestNode n) {
    return n.registry.get("imgpipe.held.images").gauge().value();
  }

  @Test
  void eachResultStaysWhereItWasMadeAndOnlyTheFinalImageComesBack() {
    byte[] png = TestImages.png(TestImages.smoothScene(640, 360));
    StageResult resized = submit(RESIZE, new ImagePayload.Encoded(png), true);
    assertEquals(StageResult.Status.OK, resized.status(), resized.message());
    ImagePayload.Held onB = assertInstanceOf(ImagePayload.Held.class, resized.image(),
        "the sender must get a reference, not the pixels");
    assertEquals(b.member(), onB.member());
    assertEquals(320, onB.width());
    assertEquals(180, onB.height());
    assertEquals(ImageFormat.PNG, onB.sourceFormat());

    // B has the filter role as well: the image does not leave it.
    StageResult filtered = submit(SEPIA, onB, true);
    ImagePayload.Held stillOnB = assertInstanceOf(ImagePayload.Held.class, filtered.image(), filtered.message());
    assertEquals(b.member(), stillOnB.member());
    assertEquals(ImagePayload.Decoded.class, workB.seen.get(workB.seen.size() - 1).inputType());

    StageResult marked = submit(WATERMARK, stillOnB, true);
    ImagePayload.Held onC = assertInstanceOf(ImagePayload.Held.class, marked.image(), marked.message());
    assertEquals(c.member(), onC.member());

    StageResult formatted = submit(FORMAT, onC, false);
    assertEquals(StageResult.Status.OK, formatted.status(), formatted.message());
    byte[] out = assertInstanceOf(ImagePayload.Encoded.class, formatted.image()).bytes();
    assertArrayEquals(alone(a.settings, png, RESIZE, SEPIA, WATERMARK, FORMAT), out,
        "the pixels must be the ones one node makes");
    assertEquals(ImagePayload.Decoded.class, workC.seen.get(workC.seen.size() - 1).inputType());

    // Nothing released yet: B holds two outputs, C one; then the sender releases them.
    assertTrue(held(b) >= 2 * 4 * 320 * 180, "B holds " + held(b));
    for (ImagePayload.Held h : List.of(onB, stillOnB, onC)) {
      h.outputs().tell(new StageOutputs.Release(h.key()));
    }
    TestNode.awaitTrue(WAIT, () -> held(b) == 0 && held(c) == 0, "released outputs are still held");

    // A released image cannot be used again: the job is answered INPUT_LOST, not left waiting.
    StageResult lost = submit(WATERMARK, stillOnB, true);
    assertEquals(StageResult.Status.INPUT_LOST, lost.status(), lost.message());
    assertTrue(lost.message().contains("no longer held by node " + b.member()), lost.message());
  }

  @Test
  void processImageAcrossThreeDevicesMatchesOneNodeAndLeavesNothingHeld() {
    byte[] png = TestImages.png(TestImages.smoothScene(800, 450));
    TestProbe<ProcessResult> probe = a.kit.createTestProbe();
    a.pipeline.orchestration().tell(new Orchestration.Process("scene.png", png, ProcessOptions.parse(Map.of(
        "target_width", 320, "target_height", 180, "filters", new Object[] {"SEPIA", "NEGATIVE"},
        "add_watermark", true, "watermark_text", "imgpipe", "output_format", "PNG")), probe.getRef()));
    ProcessResult r = probe.receiveMessage(Duration.ofSeconds(60));
    assertTrue(r.success(), r.message());
    @SuppressWarnings("unchecked")
    Map<String, String> hosts = (Map<String, String>) r.stats().toOrderedMap().get("host_map");
    String bHost = b.settings.node().host();
    String cHost = c.settings.node().host();
    assertEquals(bHost + ":50052", hosts.get("Resize"));
    assertEquals(bHost + ":50053", hosts.get("Filter-1 (SEPIA)"));
    assertEquals(bHost + ":50053", hosts.get("Filter-2 (NEGATIVE)"));
    assertEquals(cHost + ":50054", hosts.get("Watermark"));
    assertEquals(cHost + ":50056", hosts.get("Format"));
    StageJob negative = new StageJob.Filter(List.of(new StageJob.FilterStep("NEGATIVE", 1.0)), false);
    StageJob text = new StageJob.TextWatermark("imgpipe", "bottom-right", 30, "#FFFFFF", 0.8, false);
    StageJob format = new StageJob.Format("PNG", 90);
    assertArrayEquals(alone(a.settings, png, RESIZE, SEPIA, negative, text, format),
        r.image());
    TestNode.awaitTrue(WAIT, () -> held(b) == 0 && held(c) == 0, "a finished request left outputs held");
  }
}

package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.imgpipe.imaging.DecodedImage;
import org.imgpipe.imaging.FilterType;
import org.imgpipe.imaging.ImageDecoder;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.ImagingLimits;
import org.imgpipe.imaging.Raster;
import org.imgpipe.imaging.Resize;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;

/** process_image on one node: stage order, skip rules, stats, failures, deadline, job status. */
class OrchestratorTest {

  private static final Raster SOURCE = TestImages.photoLike(64, 32, 7);
  private static final byte[] PNG = TestImages.png(SOURCE);

  private static ProcessResult process(TestNode node, Map<String, Object> options) {
    TestProbe<ProcessResult> probe = node.kit.createTestProbe();
    node.pipeline.orchestration().tell(new Orchestration.Process("test.png", PNG, ProcessOptions.parse(options),
        probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(60));
  }

  private static JobStatus status(TestNode node, String id) {
    TestProbe<JobStatus> probe = node.kit.createTestProbe();
    node.pipeline.orchestration().tell(new Orchestration.GetStatus(id, probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(15));
  }

  private static DecodedImage decode(byte[] bytes) throws Exception {
    return new ImageDecoder(ImagingLimits.DEFAULT).decode(bytes);
  }

  @SuppressWarnings("unchecked")
  private static List<String> hostKeys(ProcessResult r) {
    return new ArrayList<>(((Map<String, String>) r.stats().toOrderedMap().get("host_map")).keySet());
  }

  @Test
  void stagesRunInOrderOnDecodedImagesAndGiveTheSamePixelsAsTheOperations() throws Exception {
    ScriptedWork[] work = new ScriptedWork[1];
    try (TestNode node = TestNode.single("127.0.0.2", "", s -> work[0] = new ScriptedWork(s))) {
      ProcessResult r = process(node, Map.of("target_width", 32, "filters", new Object[] {"NEGATIVE", "GRAYSCALE"}));
      assertTrue(r.success(), r.message());
      assertEquals("Processing completed successfully", r.message());
      assertEquals(List.of("Resize", "Filter-1 (NEGATIVE)", "Filter-2 (GRAYSCALE)", "Format", "Orchestrator"),
          hostKeys(r));
      assertEquals(List.of(Stage.RESIZE, Stage.FILTER, Stage.FILTER, Stage.FORMAT),
          work[0].seen.stream().map(s -> s.job().stage()).toList());
      assertEquals(ImagePayload.Encoded.class, work[0].seen.get(0).inputType());
      for (int i = 1; i < 4; i++) {
        assertEquals(ImagePayload.Decoded.class, work[0].seen.get(i).inputType(), "stage " + i + " got re-encoded input");
      }
      Raster expected = FilterType.GRAYSCALE.withIntensity(1.0).apply(FilterType.NEGATIVE.withIntensity(1.0)
          .apply(new Resize(32, 0, true, ImagingLimits.DEFAULT).apply(SOURCE)));
      DecodedImage out = decode(r.image());
      assertEquals(ImageFormat.PNG, out.format());
      assertEquals(32, out.raster().width());
      assertEquals(16, out.raster().height());
      assertArrayEquals(expected.argb(), out.raster().argb());

      Map<String, Object> stats = r.stats().toOrderedMap();
      assertEquals(List.of("original_size_bytes", "resize_time_ms", "filter_time_ms", "watermark_time_ms",
          "format_time_ms", "host_map", "total_time_ms", "processed_size_bytes"), new ArrayList<>(stats.keySet()));
      assertEquals(PNG.length, stats.get("original_size_bytes"));
      assertEquals(r.image().length, stats.get("processed_size_bytes"));
      assertEquals(0, stats.get("watermark_time_ms"));
      int stageSum = (int) stats.get("resize_time_ms") + (int) stats.get("filter_time_ms")
          + (int) stats.get("format_time_ms");
      assertTrue((int) stats.get("total_time_ms") >= stageSum, stats.toString());
      @SuppressWarnings("unchecked")
      Map<String, String> hosts = (Map<String, String>) stats.get("host_map");
      assertEquals("127.0.0.2:" + node.settings.ports().resize(), hosts.get("Resize"));
      assertEquals("127.0.0.2:" + node.settings.ports().filter(), hosts.get("Filter-2 (GRAYSCALE)"));
      assertEquals("127.0.0.2:" + node.settings.ports().orchestrator(), hosts.get("Orchestrator"));
    }
  }

  @Test
  void emptyOptionsRunOnlyTheFormatStageAndWatermarkRunsWhenAsked() throws Exception {
    ScriptedWork[] work = new ScriptedWork[1];
    try (TestNode node = TestNode.single("127.0.0.2", "", s -> work[0] = new ScriptedWork(s))) {
      ProcessResult r = process(node, Map.of());
      assertTrue(r.success(), r.message());
      assertEquals(List.of("Format", "Orchestrator"), hostKeys(r));
      assertEquals(0, r.stats().toOrderedMap().get("resize_time_ms"));
      assertEquals(0, r.stats().toOrderedMap().get("filter_time_ms"));
      assertEquals(new StageJob.Format("PNG", 90), work[0].seen.get(0).job());
      assertArrayEquals(SOURCE.argb(), decode(r.image()).raster().argb());

      work[0].seen.clear();
      ProcessResult w = process(node, Map.of("add_watermark", true, "watermark_text", "imgpipe",
          "watermark_position", "top-left", "output_format", "JPEG", "output_quality", 0));
      assertTrue(w.success(), w.message());
      assertEquals(List.of("Watermark", "Format", "Orchestrator"), hostKeys(w));
      assertEquals(new StageJob.TextWatermark("imgpipe", "top-left", 30, "#FFFFFF", 0.8, false),
          work[0].seen.get(0).job());
      assertEquals(new StageJob.Format("JPEG", 90), work[0].seen.get(1).job());
      assertEquals(ImageFormat.JPEG, decode(w.image()).format());
    }
  }

  @Test
  void failureNamesTheStageOnceAndKeepsWhatWasMeasured() {
    try (TestNode node = TestNode.single("127.0.0.2", "", StageWork::new)) {
      ProcessResult f = process(node, Map.of("filters", new Object[] {"NEGATIVE", "FOO"}));
      assertFalse(f.success());
      assertTrue(f.message().startsWith("Filter FOO failed: unknown filter 'FOO'"), f.message());
      assertEquals(0, f.image().length);
      Map<String, Object> stats = f.stats().toOrderedMap();
      assertEquals(PNG.length, stats.get("original_size_bytes"));
      assertEquals(0, stats.get("resize_time_ms"));
      assertFalse(stats.containsKey("processed_size_bytes"));
      assertFalse(stats.containsKey("format_time_ms"));
      assertEquals(List.of("Filter-1 (NEGATIVE)", "Filter-2 (FOO)", "Orchestrator"), hostKeys(f));

      ProcessResult r = process(node, Map.of("target_width", 1, "target_height", 1));
      assertFalse(r.success());
      assertTrue(r.message().startsWith("Resize failed: "), r.message());
      assertFalse(r.message().substring(1).contains("Resize failed"), r.message());
      assertEquals(JobStatus.FAILED, status(node, r.processId()).status());
    }
  }

  @Test
  void deadlineFromTimeoutMsAnswersClearlyAndFreesTheQueuedPlace() {
    String conf = "imgpipe.pools.filter { slots = 1, queue = 4 }\n";
    ScriptedWork[] work = new ScriptedWork[1];
    try (TestNode node = TestNode.single("127.0.0.2", conf, s -> work[0] = new ScriptedWork(s))) {
      TestProbe<StageResult> holder = node.kit.createTestProbe();
      node.pipeline.pool(Stage.FILTER).tell(new StagePool.Submit(
          new StageJob.Filter(List.of(new StageJob.FilterStep("HOLD", 1.0)), true), new ImagePayload.Encoded(PNG),
          holder.getRef()));
      TestNode.awaitTrue(Duration.ofSeconds(30), () -> work[0].count(Stage.FILTER) == 1, "holder not started");

      long t0 = System.nanoTime();
      ProcessResult r = process(node, Map.of("filters", new Object[] {"BLUR"}, "timeout_ms", 300));
      long took = (System.nanoTime() - t0) / 1_000_000;
      assertFalse(r.success());
      assertEquals("Processing timed out after 300 ms during Filter-1 (BLUR)", r.message());
      // Without the deadline it would wait for the held slot (released only below).
      assertTrue(took < 10_000, "deadline answer took " + took + " ms");
      TestProbe<StagePool.State> state = node.kit.createTestProbe();
      node.pipeline.pool(Stage.FILTER).tell(new StagePool.GetState(state.getRef()));
      assertEquals(0, state.receiveMessage().queued());
      JobStatus s = status(node, r.processId());
      assertEquals(JobStatus.FAILED, s.status());
      assertEquals("Filter-1 (BLUR)", s.currentStage());

      work[0].release.countDown();
      assertEquals(StageResult.Status.OK, holder.receiveMessage(Duration.ofSeconds(30)).status());
      assertEquals(1, work[0].count(Stage.FILTER), "the timed-out job must not run after its deadline");
    }
  }

  @Test
  void statusMovesThroughItsStatesAndFinishedJobsExpire() {
    String conf = "imgpipe.jobs { retention = 3s, max-finished = 100 }\n";
    ScriptedWork[] work = new ScriptedWork[1];
    try (TestNode node = TestNode.single("127.0.0.2", conf, s -> work[0] = new ScriptedWork(s))) {
      work[0].resizeHold = new CountDownLatch(1);
      TestProbe<ProcessResult> result = node.kit.createTestProbe();
      node.pipeline.orchestration().tell(new Orchestration.Process("t.png", PNG,
          ProcessOptions.parse(Map.of("target_width", 32, "filters", new Object[] {"HOLD"})), result.getRef()));
      TestProbe<List<JobStatus>> jobs = node.kit.createTestProbe();
      String[] id = new String[1];
      TestNode.awaitTrue(Duration.ofSeconds(30), () -> {
        node.pipeline.ledger().tell(new JobLedger.ListJobs(jobs.getRef()));
        List<JobStatus> l = jobs.receiveMessage();
        if (l.size() == 1 && l.get(0).status().equals(JobStatus.RESIZING)) {
          id[0] = l.get(0).processId();
          return true;
        }
        return false;
      }, "job never reported resizing");
      JobStatus resizing = status(node, id[0]);
      assertEquals(0, resizing.progressPercent());
      assertEquals("Resize", resizing.currentStage());

      work[0].resizeHold.countDown();
      TestNode.awaitTrue(Duration.ofSeconds(30), () -> status(node, id[0]).status().equals(JobStatus.FILTERING),
          "job never reported filtering");
      JobStatus filtering = status(node, id[0]);
      assertEquals(33, filtering.progressPercent());
      assertEquals("Filter-1 (HOLD)", filtering.currentStage());
      assertTrue(filtering.stats().hostMap().containsKey("Resize"));

      work[0].release.countDown();
      ProcessResult r = result.receiveMessage(Duration.ofSeconds(30));
      assertTrue(r.success(), r.message());
      assertEquals(id[0], r.processId());
      JobStatus done = status(node, id[0]);
      assertEquals(JobStatus.COMPLETED, done.status());
      assertEquals(100, done.progressPercent());
      assertEquals("done", done.currentStage());
      assertEquals(r.stats(), done.stats());

      TestNode.awaitTrue(Duration.ofSeconds(15), () -> status(node, id[0]).status().equals(JobStatus.UNKNOWN),
          "finished job did not expire");
      assertEquals(JobStatus.UNKNOWN, status(node, "no-such-id").status());
    }
  }

  @Test
  void finishedJobsAreBoundedInCount() {
    String conf = "imgpipe.jobs { retention = 10m, max-finished = 2 }\n";
    try (TestNode node = TestNode.single("127.0.0.2", conf, StageWork::new)) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ids.add(process(node, Map.of()).processId());
      }
      assertEquals(JobStatus.UNKNOWN, status(node, ids.get(0)).status());
      assertEquals(JobStatus.UNKNOWN, status(node, ids.get(1)).status());
      assertEquals(JobStatus.COMPLETED, status(node, ids.get(2)).status());
      assertEquals(JobStatus.COMPLETED, status(node, ids.get(3)).status());
      assertNotEquals(ids.get(2), ids.get(3));
    }
  }
}

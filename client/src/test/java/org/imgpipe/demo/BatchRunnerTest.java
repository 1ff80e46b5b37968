package org.imgpipe.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchRunnerTest {

  @TempDir Path dir;

  /** A stand-in orchestrator: answers like the original, with stage times derived from the image index. */
  private static Map<String, Object> answer(int i, String node) {
    Map<String, Object> hostMap = new LinkedHashMap<>();
    hostMap.put("Resize", node + ":50052");
    hostMap.put("Filter-1 (SEPIA)", node + ":50053");
    hostMap.put("Watermark", node + ":50054");
    hostMap.put("Format", node + ":50056");
    hostMap.put("Orchestrator", node + ":50055");
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("original_size_bytes", 100);
    stats.put("resize_time_ms", 10 * i);
    stats.put("filter_time_ms", 20);
    stats.put("watermark_time_ms", 5);
    stats.put("format_time_ms", 7);
    stats.put("host_map", hostMap);
    stats.put("total_time_ms", 10 * i + 32);
    stats.put("processed_size_bytes", 3);
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("success", true);
    a.put("message", "Processing completed successfully");
    a.put("process_id", "p" + i);
    a.put("processed_image", new byte[] {1, 2, (byte) i});
    a.put("stats", stats);
    return a;
  }

  private static int indexOf(String filename) {
    return Integer.parseInt(filename.replaceAll(".*batch_(\\d+)\\.png$", "$1"));
  }

  @Test
  void everyImageIsWrittenAndTheSummaryHasPerStageTimesAndNodes() throws Exception {
    PipelineService svc = (name, img, opts) -> {
      int i = indexOf(name);
      return answer(i, i % 2 == 0 ? "127.0.0.2" : "127.0.0.3");
    };
    List<Integer> progress = Collections.synchronizedList(new ArrayList<>());
    BatchSummary s = new BatchRunner(svc, new SyntheticBatch(4), dir.resolve("output"), 2, BusyRetry.NONE)
        .run(new BatchRunner.Listener() {
          @Override
          public void imageFinished(ImageResult r, int done, int total) {
            progress.add(done);
          }
        });
    assertEquals(List.of(1, 2, 3, 4), progress.stream().sorted().toList());
    assertEquals(4, s.succeeded());
    assertTrue(s.allSucceeded());
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("output/batch_003.png")));
    assertEquals(4, Files.list(dir.resolve("output")).count());
    BatchSummary.TimeStat resize = s.stages().get("resize");
    assertEquals(25.0, resize.mean(), 1e-9); // 10, 20, 30, 40
    assertEquals(40, resize.p95());
    assertEquals(20.0, s.stages().get("filters").mean(), 1e-9);
    assertEquals(57.0, s.total().mean(), 1e-9);
    assertEquals(Map.of("Resize", 1, "Filter", 1, "Watermark", 1, "Format", 1, "Orchestrator", 1).size(),
        s.distribution().get("127.0.0.2:50052").size() + 4);
    assertEquals(2, s.distribution().get("127.0.0.2:50052").get("Resize"));
    assertEquals(2, s.distribution().get("127.0.0.3:50053").get("Filter"));
    String text = s.render();
    assertTrue(text.contains("Successful:        4"), text);
    assertTrue(text.contains("127.0.0.3:50056"), text);
  }

  @Test
  void aSuccessFalseAnswerCountsAsAFailureAndNoFileIsWritten() throws Exception {
    PipelineService svc = (name, img, opts) -> indexOf(name) == 2
        ? Map.of("success", false, "message", "Format failed: broken", "stats", Map.of())
        : answer(indexOf(name), "n");
    BatchSummary s = new BatchRunner(svc, new SyntheticBatch(3), dir, 1, BusyRetry.NONE).run(null);
    assertEquals(2, s.succeeded());
    assertEquals(1, s.failed());
    assertFalse(s.allSucceeded());
    assertFalse(Files.exists(dir.resolve("batch_002.png")));
    assertTrue(s.render().contains("batch_002.png: Format failed: broken"));
  }

  @Test
  void transportErrorsAreFailuresWithTheirMessage() throws Exception {
    PipelineService svc = (name, img, opts) -> {
      throw new java.net.ConnectException("cannot connect to 127.0.0.1:1: Connection refused");
    };
    BatchSummary s = new BatchRunner(svc, new SyntheticBatch(2), dir, 1, BusyRetry.NONE).run(null);
    assertEquals(2, s.failed());
    assertEquals("cannot connect to 127.0.0.1:1: Connection refused", s.results().get(0).message());
  }

  @Test
  void busyAnswersAreRetriedWithBackoffAndThenSucceed() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    PipelineService svc = (name, img, opts) -> calls.incrementAndGet() <= 2
        ? Map.of("success", false, "message", "Resize failed: service busy, try again", "stats", Map.of())
        : answer(1, "n");
    BusyRetry retry = new BusyRetry(4, Duration.ofMillis(1), Duration.ofMillis(5));
    BatchSummary s = new BatchRunner(svc, new SyntheticBatch(1), dir, 1, retry).run(null);
    assertEquals(1, s.succeeded());
    assertEquals(3, s.results().get(0).attempts());
  }

  @Test
  void busyRetriesAreBounded() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    PipelineService svc = (name, img, opts) -> {
      calls.incrementAndGet();
      return Map.of("success", false, "message", "busy", "stats", Map.of());
    };
    BatchSummary s = new BatchRunner(svc, new SyntheticBatch(1), dir, 1,
        new BusyRetry(3, Duration.ofMillis(1), Duration.ofMillis(2))).run(null);
    assertEquals(1, s.failed());
    assertEquals(3, calls.get());
  }

  @Test
  void cancelStopsHandingOutImages() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    BatchRunner[] runner = new BatchRunner[1];
    PipelineService svc = (name, img, opts) -> {
      if (calls.incrementAndGet() == 2) {
        runner[0].cancel();
      }
      return answer(indexOf(name), "n");
    };
    runner[0] = new BatchRunner(svc, new SyntheticBatch(10), dir, 1, BusyRetry.NONE);
    BatchSummary s = runner[0].run(null);
    assertEquals(2, calls.get());
    assertEquals(2, s.succeeded());
    assertEquals(8, s.notRun());
    assertTrue(s.cancelled());
    assertFalse(s.allSucceeded());
  }

  @Test
  void percentileIsNearestRank() {
    List<Long> v = new ArrayList<>();
    for (long i = 1; i <= 20; i++) {
      v.add(i);
    }
    assertEquals(19, BatchSummary.percentile(v, 95));
    assertEquals(20, BatchSummary.percentile(v, 99));
    assertEquals(10, BatchSummary.percentile(v, 50));
  }
}

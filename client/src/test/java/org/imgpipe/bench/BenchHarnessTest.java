package org.imgpipe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.imgpipe.demo.BatchItem;
import org.imgpipe.demo.BusyRetry;
import org.imgpipe.demo.PipelineService;
import org.junit.jupiter.api.Test;

class BenchHarnessTest {

  /** A process_image stub: reports fixed stage times, counts the calls in flight, fails every 7th image. */
  private static final class Stub implements PipelineService {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Map<String, Object> processImage(String filename, byte[] image, Map<String, Object> options)
        throws Exception {
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      int n = calls.incrementAndGet();
      try {
        Thread.sleep(5);
      } finally {
        inFlight.decrementAndGet();
      }
      Map<String, Object> answer = new LinkedHashMap<>();
      if (filename.contains("bench_00007_")) {
        answer.put("success", false);
        answer.put("message", "Filter BLUR failed: boom");
        return answer;
      }
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("resize_time_ms", 2);
      stats.put("filter_time_ms", 3);
      stats.put("watermark_time_ms", 1);
      stats.put("format_time_ms", 4);
      stats.put("total_time_ms", 12);
      answer.put("success", true);
      answer.put("message", "Processing completed successfully");
      answer.put("process_id", "p" + n);
      answer.put("processed_image", new byte[] {1, 2, 3});
      answer.put("stats", stats);
      return answer;
    }
  }

  /** A probe whose CPU clock advances 20 ms per reading and whose heap grows by 1 MB per reading. */
  private static final class CountingProbe implements ResourceProbe {
    final AtomicLong readings = new AtomicLong();
    boolean started;

    @Override
    public Reading read() {
      long n = readings.incrementAndGet();
      return new Reading(n * 20_000_000L, n << 20, 100L << 20);
    }

    @Override
    public void startRun() {
      started = true;
    }

    @Override
    public String describe() {
      return "counting";
    }
  }

  private static Workload tiny() {
    List<BatchItem> items = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      items.add(new BatchItem(i, "img" + i + ".png", new byte[] {(byte) i}, Workload.photoOptions()));
    }
    return new Workload("tiny", "three stub images", items);
  }

  @Test
  void eachLevelKeepsItsConcurrencyAndCountsOnlyTheMeasuredRequests() throws Exception {
    Stub stub = new Stub();
    BenchHarness h = new BenchHarness(stub, new CountingProbe(), BusyRetry.NONE);
    List<RunResult> runs = h.runAll(tiny(), List.of(1, 3), 20, 4, null);
    assertEquals(2, runs.size());
    assertEquals(2 * (20 + 4), stub.calls.get(), "warm-up and measured requests at both levels");
    assertEquals(3, stub.maxInFlight.get());
    RunResult r = runs.get(1);
    assertEquals("tiny", r.workload());
    assertEquals(3, r.concurrency());
    assertEquals(20, r.requests());
    assertEquals(19, r.succeeded());
    assertEquals(1, r.failed());
    assertEquals(List.of("Filter BLUR failed: boom"), r.failures());
    assertEquals(19, r.latency().count());
    assertTrue(r.latency().p50() >= 5, "each call sleeps 5 ms: " + r.latency());
    assertTrue(r.throughput() > 0 && r.throughput() <= 3 * 1000.0 / 5, "bounded by C / 5 ms: " + r.throughput());
  }

  @Test
  void stageSplitIsTheMeanOfTheServerStatsAndTheRestOfTheRoundTrip() throws Exception {
    RunResult r = new BenchHarness(new Stub(), ResourceProbe.NONE, BusyRetry.NONE).run(tiny(), 2, 6, 0);
    RunResult.StageSplit s = r.stages();
    assertEquals(2.0, s.resize(), 1e-9);
    assertEquals(3.0, s.filters(), 1e-9);
    assertEquals(1.0, s.watermark(), 1e-9);
    assertEquals(4.0, s.format(), 1e-9);
    assertEquals(12.0, s.serverTotal(), 1e-9);
    assertEquals(2.0, s.pipeline(), 1e-9);
    assertTrue(s.roundTrip() >= 5, "round trip includes the 5 ms sleep: " + s.roundTrip());
    assertEquals(Math.max(0, s.roundTrip() - 12), s.transport(), 1e-9);
    assertEquals(-1, r.cpuMillisPerImage(), 1e-9, "no probe, no CPU figure");
    assertEquals(-1, r.peakHeapBytes());
  }

  @Test
  void cpuPerImageIsTheProbesCpuDeltaOverTheSuccessfulImages() throws Exception {
    CountingProbe probe = new CountingProbe();
    RunResult r = new BenchHarness(new Stub(), probe, BusyRetry.NONE).run(tiny(), 1, 6, 0);
    assertTrue(probe.started);
    long n = probe.readings.get();
    // The first reading is "before", the last one "after"; the sampler's readings fall in between.
    assertEquals(6, r.succeeded());
    assertTrue(r.cpuMillisPerImage() > 0);
    assertEquals(0, (r.cpuMillisPerImage() * 6) % 20, 1e-6, "a whole number of 20 ms steps");
    assertTrue(r.peakHeapBytes() >= 1L << 20 && r.peakHeapBytes() <= n << 20, "peak is one of the samples");
    assertEquals(100L << 20, r.peakRssBytes());
  }

  @Test
  void summariseComputesCpuFromReadings() {
    org.imgpipe.demo.ImageResult ok = new org.imgpipe.demo.ImageResult(1, "a", true, "", "p", null, 10, 20, 5, 15,
        60, 80, 100, 50, Map.of("Resize", "h:1"), 2);
    org.imgpipe.demo.BatchSummary s = new org.imgpipe.demo.BatchSummary(2, List.of(ok, ok), 1000, false);
    RunResult r = BenchHarness.summarise("w", 2, s, new ResourceProbe.Reading(1_000_000_000L, 1, 1),
        new ResourceProbe.Reading(1_500_000_000L, 1, 1), 64L << 20, 128L << 20);
    assertEquals(250.0, r.cpuMillisPerImage(), 1e-9);
    assertEquals(2.0, r.throughput(), 1e-9);
    assertEquals(2, r.busyRetries());
    assertEquals(10.0, r.stages().pipeline(), 1e-9);
    assertEquals(20.0, r.stages().transport(), 1e-9);
    assertEquals(64L << 20, r.peakHeapBytes());
  }
}

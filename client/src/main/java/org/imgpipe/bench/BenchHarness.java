package org.imgpipe.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.imgpipe.demo.BatchRunner;
import org.imgpipe.demo.BatchSummary;
import org.imgpipe.demo.BusyRetry;
import org.imgpipe.demo.ImageResult;
import org.imgpipe.demo.PipelineService;

/**
 * Runs a workload at each of a list of concurrencies against one process_image service: a warm-up at
 * each level (not counted), then the measured requests, while a sampler reads the node's CPU, heap and
 * RSS every {@value #SAMPLE_MILLIS} ms. Closed loop: C callers, each sending its next request when the
 * previous one is answered.
 */
public final class BenchHarness {

  public static final List<Integer> MATRIX = List.of(1, 2, 4, 8);
  static final long SAMPLE_MILLIS = 100;

  private final PipelineService service;
  private final ResourceProbe probe;
  private final BusyRetry retry;

  public BenchHarness(PipelineService service, ResourceProbe probe, BusyRetry retry) {
    this.service = Objects.requireNonNull(service);
    this.probe = probe == null ? ResourceProbe.NONE : probe;
    this.retry = Objects.requireNonNull(retry);
  }

  /** One run per concurrency, in order; {@code progress} (may be null) hears of each finished run. */
  public List<RunResult> runAll(Workload workload, List<Integer> concurrencies, int requests, int warmup,
      Consumer<RunResult> progress) throws IOException, InterruptedException {
    List<RunResult> out = new ArrayList<>();
    for (int c : concurrencies) {
      RunResult r = run(workload, c, requests, warmup);
      out.add(r);
      if (progress != null) {
        progress.accept(r);
      }
    }
    return out;
  }

  /** {@code requests} measured requests, {@code concurrency} in flight, after {@code warmup} uncounted ones. */
  public RunResult run(Workload workload, int concurrency, int requests, int warmup)
      throws IOException, InterruptedException {
    if (requests < 1 || concurrency < 1 || warmup < 0) {
      throw new IllegalArgumentException("requests and concurrency must be at least 1, warmup at least 0");
    }
    if (warmup > 0) {
      new BatchRunner(service, workload.requests(warmup), null, concurrency, retry).run(null);
    }
    Sampler sampler = new Sampler(probe);
    probe.startRun();
    ResourceProbe.Reading before = probe.read();
    sampler.start();
    BatchSummary s;
    try {
      s = new BatchRunner(service, workload.requests(requests), null, concurrency, retry).run(null);
    } finally {
      sampler.stop();
    }
    ResourceProbe.Reading after = probe.read();
    return summarise(workload.name(), concurrency, s, before, after, sampler.peakHeap,
        Math.max(sampler.peakRss, probe.kernelPeakRssBytes()));
  }

  /** The run's figures from the batch's per-image results and the probe's readings. */
  static RunResult summarise(String workload, int concurrency, BatchSummary s, ResourceProbe.Reading before,
      ResourceProbe.Reading after, long peakHeap, long peakRss) {
    List<Long> latency = new ArrayList<>();
    int retries = 0;
    List<String> failures = new ArrayList<>();
    for (ImageResult r : s.results()) {
      if (r.success()) {
        latency.add(r.roundTripMillis());
      } else if (failures.size() < 5 && !failures.contains(r.message())) {
        failures.add(r.message());
      }
      retries += Math.max(0, r.attempts() - 1);
    }
    double cpu = before.cpuNanos() < 0 || after.cpuNanos() < 0 || s.succeeded() == 0 ? -1
        : (after.cpuNanos() - before.cpuNanos()) / 1e6 / s.succeeded();
    RunResult.StageSplit split = new RunResult.StageSplit(mean(s, ImageResult::resizeMillis),
        mean(s, ImageResult::filterMillis), mean(s, ImageResult::watermarkMillis), mean(s, ImageResult::formatMillis),
        mean(s, ImageResult::totalMillis), mean(s, ImageResult::roundTripMillis));
    return new RunResult(workload, concurrency, s.results().size(), s.succeeded(), s.failed(), retries,
        s.wallMillis(), Percentiles.of(latency), split, cpu, peakHeap, peakRss, failures);
  }

  private static double mean(BatchSummary s, ToLongFunction<ImageResult> f) {
    double sum = 0;
    int n = 0;
    for (ImageResult r : s.results()) {
      long v = f.applyAsLong(r);
      if (r.success() && v >= 0) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  /** Reads the probe every SAMPLE_MILLIS on a daemon thread and keeps the peaks. */
  private static final class Sampler {
    private final ResourceProbe probe;
    private final Thread thread;
    private volatile boolean running = true;
    volatile long peakHeap = -1;
    volatile long peakRss = -1;

    Sampler(ResourceProbe probe) {
      this.probe = probe;
      this.thread = new Thread(this::loop, "imgpipe-bench-sampler");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    private void loop() {
      while (running) {
        take();
        try {
          Thread.sleep(SAMPLE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void take() {
      ResourceProbe.Reading r = probe.read();
      peakHeap = Math.max(peakHeap, r.heapUsedBytes());
      peakRss = Math.max(peakRss, r.rssBytes());
    }

    void stop() throws InterruptedException {
      running = false;
      thread.interrupt();
      thread.join(1000);
      take();
    }
  }
}

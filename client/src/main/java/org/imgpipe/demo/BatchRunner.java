package org.imgpipe.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Sends a batch through process_image with {@code concurrency} calls in flight, writes each processed
 * image into the output folder and reports every image to a {@link Listener}. The CLI's demo and bench
 * and the desktop panel share it.
 *
 * <p>{@link #run} blocks until the batch is done or cancelled; call it off the UI thread. Listener
 * methods are called from the runner's worker threads (a Swing listener hops to the event thread).
 * {@link #cancel()} stops handing out new images; calls already in flight finish and are reported.
 */
public final class BatchRunner {

  /** Progress of a batch, image by image. */
  public interface Listener {
    default void started(int total, Path outputDir) {}

    default void imageStarted(int index, int total) {}

    /** One image is done; {@code done} of {@code total} have finished so far (successful or not). */
    default void imageFinished(ImageResult result, int done, int total) {}

    default void finished(BatchSummary summary) {}
  }

  private final PipelineService service;
  private final BatchSource source;
  private final Path outputDir;
  private final int concurrency;
  private final BusyRetry retry;
  private final boolean writeOutputs;
  private final AtomicBoolean cancelled = new AtomicBoolean();

  /**
   * @param outputDir where processed images go (created if needed); null to keep nothing (bench)
   */
  public BatchRunner(PipelineService service, BatchSource source, Path outputDir, int concurrency, BusyRetry retry) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    this.service = Objects.requireNonNull(service);
    this.source = Objects.requireNonNull(source);
    this.outputDir = outputDir;
    this.writeOutputs = outputDir != null;
    this.concurrency = concurrency;
    this.retry = Objects.requireNonNull(retry);
  }

  /** Asks the batch to stop after the images in flight. */
  public void cancel() {
    cancelled.set(true);
  }

  /** Runs the batch to the end (or to cancellation) and returns its summary. */
  public BatchSummary run(Listener listener) throws IOException, InterruptedException {
    Listener l = listener == null ? new Listener() {} : listener;
    int total = source.size();
    if (writeOutputs) {
      Files.createDirectories(outputDir);
    }
    l.started(total, outputDir);
    AtomicInteger next = new AtomicInteger(1);
    AtomicInteger done = new AtomicInteger();
    AtomicReferenceArray<ImageResult> results = new AtomicReferenceArray<>(total + 1);
    int threads = Math.min(concurrency, total);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "imgpipe-batch");
      t.setDaemon(true);
      return t;
    });
    long start = System.nanoTime();
    try {
      for (int t = 0; t < threads; t++) {
        pool.execute(() -> {
          int i;
          while (!cancelled.get() && (i = next.getAndIncrement()) <= total) {
            l.imageStarted(i, total);
            ImageResult r = processOne(i);
            results.set(i, r);
            l.imageFinished(r, done.incrementAndGet(), total);
          }
        });
      }
      pool.shutdown();
      while (!pool.awaitTermination(100, TimeUnit.MILLISECONDS)) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException();
        }
      }
    } catch (InterruptedException e) {
      cancelled.set(true);
      pool.shutdownNow();
      throw e;
    }
    long wall = (System.nanoTime() - start) / 1_000_000;
    List<ImageResult> list = new ArrayList<>();
    for (int i = 1; i <= total; i++) {
      if (results.get(i) != null) {
        list.add(results.get(i));
      }
    }
    BatchSummary summary = new BatchSummary(total, list, wall, cancelled.get() && list.size() < total);
    l.finished(summary);
    return summary;
  }

  private ImageResult processOne(int index) {
    BatchItem item;
    try {
      item = source.item(index);
    } catch (IOException | RuntimeException e) {
      return ImageResult.failed(index, "image " + index, message(e), 0, 0);
    }
    long t0 = System.nanoTime(); // the call only: making or reading the image is not part of it
    String filename = (outputDir == null ? "output" : outputDir.getFileName()) + "/" + item.name();
    int attempt = 0;
    while (true) {
      attempt++;
      Map<String, Object> answer;
      try {
        answer = service.processImage(filename, item.image(), item.options());
      } catch (Exception e) {
        if (BusyRetry.isBusy(e.getMessage()) && attempt < retry.maxAttempts() && sleep(retry.delayAfter(attempt))) {
          continue;
        }
        return ImageResult.failed(index, item.name(), message(e), millisSince(t0), attempt);
      }
      boolean ok = Boolean.TRUE.equals(answer.get("success"));
      String message = String.valueOf(answer.getOrDefault("message", ""));
      if (!ok) {
        if (BusyRetry.isBusy(message) && attempt < retry.maxAttempts() && sleep(retry.delayAfter(attempt))) {
          continue;
        }
        return ImageResult.failed(index, item.name(), message, millisSince(t0), attempt);
      }
      return succeeded(index, item, answer, message, t0, attempt);
    }
  }

  private ImageResult succeeded(int index, BatchItem item, Map<String, Object> answer, String message, long t0,
      int attempt) {
    Object img = answer.get("processed_image");
    if (!(img instanceof byte[] bytes) || bytes.length == 0) {
      return ImageResult.failed(index, item.name(), "the answer says success but holds no image",
          millisSince(t0), attempt);
    }
    Path out = null;
    if (writeOutputs) {
      out = outputDir.resolve(item.name());
      try {
        Files.write(out, bytes);
      } catch (IOException e) {
        return ImageResult.failed(index, item.name(), "cannot write " + out + ": " + e.getMessage(),
            millisSince(t0), attempt);
      }
    }
    Map<?, ?> stats = answer.get("stats") instanceof Map<?, ?> m ? m : Map.of();
    Map<String, String> hostMap = new LinkedHashMap<>();
    if (stats.get("host_map") instanceof Map<?, ?> hm) {
      hm.forEach((k, v) -> hostMap.put(String.valueOf(k), String.valueOf(v)));
    }
    return new ImageResult(index, item.name(), true, message, String.valueOf(answer.getOrDefault("process_id", "")),
        out, num(stats, "resize_time_ms"), num(stats, "filter_time_ms"), num(stats, "watermark_time_ms"),
        num(stats, "format_time_ms"), num(stats, "total_time_ms"), millisSince(t0),
        num(stats, "original_size_bytes"), num(stats, "processed_size_bytes"), hostMap, attempt);
  }

  private static long num(Map<?, ?> stats, String key) {
    return stats.get(key) instanceof Number n ? n.longValue() : -1;
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private boolean sleep(java.time.Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return !cancelled.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}

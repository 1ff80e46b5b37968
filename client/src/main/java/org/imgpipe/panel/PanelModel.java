package org.imgpipe.panel;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.imgpipe.demo.BatchSummary;
import org.imgpipe.demo.ImageResult;

/**
 * What the panel shows: the batch's progress and status line, the processing log, one result per
 * image, the preview pair and the service indicators. It belongs to the event-dispatch thread: the
 * controller changes it only through the UI executor, and views redraw when a listener fires.
 */
public final class PanelModel {

  /** Which part changed, so a view redraws only that. */
  public enum Aspect { STATE, RESULTS, PREVIEW, PROBE }

  /** Notified on the thread that changed the model (the event-dispatch thread in the panel). */
  public interface Listener {
    default void logged(String line) {}

    default void cleared() {}

    default void changed(Aspect aspect) {}
  }

  /** One side of the preview: the picture (scaled down) and what it is. */
  public record Preview(BufferedImage image, String caption) {}

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final List<ImageResult> results = new ArrayList<>();
  private final Map<String, ServiceProbe.Status> probe = new LinkedHashMap<>();
  private boolean running;
  private boolean cancelRequested;
  private int total;
  private int done;
  private String status = "Ready";
  private Path outputFolder;
  private Preview before;
  private Preview after;
  private BatchSummary summary;

  public PanelModel() {
    for (String name : ServiceProbe.indicatorNames()) {
      probe.put(name, ServiceProbe.Status.UNKNOWN);
    }
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  // Changes, called by the controller on the UI thread.

  /** A batch is about to start: log, results and preview are cleared. */
  void begin(int expected, String description) {
    running = true;
    cancelRequested = false;
    total = expected;
    done = 0;
    summary = null;
    log.clear();
    results.clear();
    before = null;
    after = null;
    listeners.forEach(Listener::cleared);
    status = "Processing " + expected + " images...";
    log("=".repeat(60));
    log("Batch: " + description);
    log("=".repeat(60));
    fire(Aspect.STATE);
    fire(Aspect.RESULTS);
    fire(Aspect.PREVIEW);
  }

  void started(int count, Path folder) {
    total = count;
    outputFolder = folder;
    status = "Processing " + count + " images...";
    log("Output folder: " + (folder == null ? "(none)" : folder.toAbsolutePath()));
    fire(Aspect.STATE);
  }

  void imageStarted(int index, int count) {
    log(String.format(Locale.ROOT, "IMAGE %d/%d: Processing...", index, count));
  }

  void imageFinished(ImageResult r, int doneSoFar, int count) {
    done = doneSoFar;
    total = count;
    results.add(r);
    results.sort((a, b) -> Integer.compare(a.index(), b.index()));
    if (r.success()) {
      log(String.format(Locale.ROOT, "  image %d OK: total %d ms | saved %s", r.index(), r.totalMillis(),
          r.output() == null ? r.name() : r.output()));
    } else {
      log(String.format(Locale.ROOT, "  image %d FAILED: %s", r.index(), r.message()));
    }
    if (!cancelRequested) {
      status = String.format(Locale.ROOT, "Processing: %d/%d done, %d failed", done, total, failedCount());
    }
    fire(Aspect.STATE);
    fire(Aspect.RESULTS);
  }

  void cancelling() {
    if (running && !cancelRequested) {
      cancelRequested = true;
      status = "Cancelling: the images already sent finish first...";
      log("Cancel requested: no new image is sent.");
      fire(Aspect.STATE);
    }
  }

  void finished(BatchSummary s) {
    running = false;
    summary = s;
    log("=".repeat(60));
    log(s.cancelled() ? "BATCH CANCELLED" : "BATCH PROCESSING COMPLETE");
    log(String.format(Locale.ROOT, "Total images: %d | successful: %d | failed: %d%s", s.requested(), s.succeeded(),
        s.failed(), s.notRun() > 0 ? " | not run: " + s.notRun() : ""));
    int n = s.results().size();
    log(String.format(Locale.ROOT, "Total time: %.2f s | avg/image: %.2f s | throughput: %.2f images/s",
        s.wallMillis() / 1000.0, n == 0 ? 0 : s.wallMillis() / 1000.0 / n, s.throughput()));
    s.stages().forEach((stage, t) -> {
      if (t.count() > 0) {
        log(String.format(Locale.ROOT, "  %-10s mean %7.1f ms  p95 %5d ms", stage, t.mean(), t.p95()));
      }
    });
    distribution().forEach((node, counts) -> {
      StringBuilder b = new StringBuilder();
      counts.forEach((stage, c) -> b.append(b.length() == 0 ? "" : ", ").append(stage).append(" ").append(c));
      log("  node " + node + ": " + NodeDistributionChart.served(counts) + " stages (" + b + ")");
    });
    if (s.cancelled()) {
      status = String.format(Locale.ROOT, "Cancelled: %d successful, %d failed, %d not run", s.succeeded(),
          s.failed(), s.notRun());
    } else if (s.failed() == 0) {
      status = String.format(Locale.ROOT, "Complete! %d/%d successful", s.succeeded(), s.requested());
    } else {
      status = String.format(Locale.ROOT, "Complete: %d/%d successful, %d failed", s.succeeded(), s.requested(),
          s.failed());
    }
    fire(Aspect.STATE);
    fire(Aspect.RESULTS);
  }

  /** The batch could not run at all (bad folder, output folder not writable, ...). */
  void failedToStart(String message) {
    running = false;
    status = "Processing failed: " + message;
    log("Processing failed: " + message);
    fire(Aspect.STATE);
  }

  void preview(boolean isAfter, Preview p) {
    if (isAfter) {
      after = p;
    } else {
      before = p;
      after = null;
    }
    fire(Aspect.PREVIEW);
  }

  void probe(String indicator, ServiceProbe.Status s) {
    probe.put(indicator, s);
    fire(Aspect.PROBE);
  }

  void status(String text) {
    status = text;
    fire(Aspect.STATE);
  }

  /** Appends a line to the processing log. */
  void log(String line) {
    log.add(line);
    for (Listener l : listeners) {
      l.logged(line);
    }
  }

  private void fire(Aspect a) {
    for (Listener l : listeners) {
      l.changed(a);
    }
  }

  // Reading.

  public boolean running() {
    return running;
  }

  public boolean cancelRequested() {
    return cancelRequested;
  }

  public int total() {
    return total;
  }

  public int done() {
    return done;
  }

  public String status() {
    return status;
  }

  public List<String> log() {
    return Collections.unmodifiableList(log);
  }

  public String logText() {
    return String.join("\n", log);
  }

  /** One result per finished image, by image number. */
  public List<ImageResult> results() {
    return Collections.unmodifiableList(results);
  }

  public int succeededCount() {
    return (int) results.stream().filter(ImageResult::success).count();
  }

  public int failedCount() {
    return results.size() - succeededCount();
  }

  public Path outputFolder() {
    return outputFolder;
  }

  public Preview before() {
    return before;
  }

  public Preview after() {
    return after;
  }

  /** The last finished batch's summary, or null. */
  public BatchSummary summary() {
    return summary;
  }

  public Map<String, ServiceProbe.Status> probeStatus() {
    return Collections.unmodifiableMap(probe);
  }

  /**
   * Node → stage → how many stages it served, over the successful images so far. A node is a host:
   * host_map names the service's host:port, and one node serves its stages on several ports.
   */
  public Map<String, Map<String, Integer>> distribution() {
    Map<String, Map<String, Integer>> byHost = new java.util.TreeMap<>();
    new BatchSummary(total, results, 0, false).distribution().forEach((address, counts) ->
        counts.forEach((stage, n) -> byHost.computeIfAbsent(hostOf(address), k -> new LinkedHashMap<>())
            .merge(stage, n, Integer::sum)));
    // Stages in pipeline order, then anything else (the orchestrator's own entry).
    byHost.replaceAll((host, counts) -> {
      Map<String, Integer> ordered = new LinkedHashMap<>();
      Charts.STAGES.forEach(st -> {
        if (counts.containsKey(st)) {
          ordered.put(st, counts.get(st));
        }
      });
      counts.forEach(ordered::putIfAbsent);
      return ordered;
    });
    return byHost;
  }

  /** "127.0.0.2:50052" → "127.0.0.2"; "[::1]:50052" → "::1"; no port → as is. */
  static String hostOf(String address) {
    if (address.startsWith("[") && address.indexOf(']') > 0) {
      return address.substring(1, address.indexOf(']'));
    }
    int colon = address.lastIndexOf(':');
    return colon > 0 && colon == address.indexOf(':') ? address.substring(0, colon) : address;
  }
}

package org.imgpipe.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The figures of a finished (or cancelled) batch: counts, wall time, throughput, per-stage time of the
 * successful images (mean and p95), and which node served how many stages.
 */
public final class BatchSummary {

  /** Mean and 95th percentile (nearest rank) of one time, in milliseconds, over {@code count} images. */
  public record TimeStat(int count, double mean, long p95) {
    static TimeStat of(List<Long> values) {
      if (values.isEmpty()) {
        return new TimeStat(0, 0, 0);
      }
      List<Long> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      double sum = 0;
      for (long v : sorted) {
        sum += v;
      }
      return new TimeStat(sorted.size(), sum / sorted.size(), percentile(sorted, 95));
    }
  }

  /** host_map stages in pipeline order; the orchestrator that ran the request last. */
  private static final List<String> STAGE_ORDER = List.of("Resize", "Filter", "Watermark", "Format", "Orchestrator");

  private final int requested;
  private final List<ImageResult> results;
  private final long wallMillis;
  private final boolean cancelled;
  private final Map<String, TimeStat> stages = new LinkedHashMap<>();
  private final TimeStat total;
  private final TimeStat roundTrip;
  private final Map<String, Map<String, Integer>> distribution;

  public BatchSummary(int requested, List<ImageResult> results, long wallMillis, boolean cancelled) {
    this.requested = requested;
    this.results = List.copyOf(results);
    this.wallMillis = wallMillis;
    this.cancelled = cancelled;
    stages.put("resize", stat(ImageResult::resizeMillis));
    stages.put("filters", stat(ImageResult::filterMillis));
    stages.put("watermark", stat(ImageResult::watermarkMillis));
    stages.put("format", stat(ImageResult::formatMillis));
    this.total = stat(ImageResult::totalMillis);
    this.roundTrip = stat(ImageResult::roundTripMillis);
    this.distribution = distribution(this.results);
  }

  private TimeStat stat(ToLongFunction<ImageResult> f) {
    List<Long> v = new ArrayList<>();
    for (ImageResult r : results) {
      long x = f.applyAsLong(r);
      if (r.success() && x >= 0) {
        v.add(x);
      }
    }
    return TimeStat.of(v);
  }

  /** Node address → (stage → count), over the host_map of every successful image. */
  private static Map<String, Map<String, Integer>> distribution(List<ImageResult> results) {
    Map<String, Map<String, Integer>> d = new TreeMap<>();
    for (ImageResult r : results) {
      if (!r.success()) {
        continue;
      }
      for (Map.Entry<String, String> e : r.hostMap().entrySet()) {
        d.computeIfAbsent(e.getValue(), k -> new LinkedHashMap<>()).merge(stageOf(e.getKey()), 1, Integer::sum);
      }
    }
    return d;
  }

  /** "Filter-2 (SHARPEN)" → "Filter"; other host_map keys are stage names already. */
  static String stageOf(String hostMapKey) {
    int dash = hostMapKey.indexOf('-');
    return hostMapKey.startsWith("Filter") && dash > 0 ? "Filter" : hostMapKey;
  }

  static long percentile(List<Long> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  public int requested() {
    return requested;
  }

  public List<ImageResult> results() {
    return results;
  }

  public int succeeded() {
    return (int) results.stream().filter(ImageResult::success).count();
  }

  public int failed() {
    return results.size() - succeeded();
  }

  /** Images never sent because the batch was cancelled. */
  public int notRun() {
    return requested - results.size();
  }

  public boolean cancelled() {
    return cancelled;
  }

  public long wallMillis() {
    return wallMillis;
  }

  /** Successful images per second of wall time. */
  public double throughput() {
    return wallMillis <= 0 ? 0 : succeeded() * 1000.0 / wallMillis;
  }

  /** resize, filters, watermark, format → time stat over the successful images. */
  public Map<String, TimeStat> stages() {
    return Collections.unmodifiableMap(stages);
  }

  /** The server's total_time_ms per image. */
  public TimeStat total() {
    return total;
  }

  /** The client's clock per image, network and busy retries included. */
  public TimeStat roundTrip() {
    return roundTrip;
  }

  /** Node address → stage → how many times that node served it. */
  public Map<String, Map<String, Integer>> distribution() {
    return Collections.unmodifiableMap(distribution);
  }

  /** True when every requested image was processed successfully. */
  public boolean allSucceeded() {
    return !cancelled && failed() == 0 && notRun() == 0;
  }

  /** The printed summary: the original's lines, then per-stage times and the node distribution. */
  public String render() {
    StringBuilder b = new StringBuilder();
    String rule = "=".repeat(70);
    b.append(rule).append('\n');
    b.append(cancelled ? "BATCH PROCESSING CANCELLED" : "✨ BATCH PROCESSING COMPLETE!").append('\n');
    b.append(rule).append('\n');
    line(b, "Total Images:", Integer.toString(requested));
    line(b, "Successful:", Integer.toString(succeeded()));
    line(b, "Failed:", Integer.toString(failed()));
    if (notRun() > 0) {
      line(b, "Not run:", Integer.toString(notRun()));
    }
    line(b, "Total Time:", fmt("%.2f s", wallMillis / 1000.0));
    int done = results.size();
    line(b, "Avg Time/Image:", fmt("%.2f s", done == 0 ? 0 : wallMillis / 1000.0 / done));
    line(b, "Throughput:", fmt("%.2f images/second", throughput()));
    b.append('\n').append("Per-stage time over ").append(total.count()).append(" successful images (ms):\n");
    b.append(fmt("  %-26s %9s %9s%n", "stage", "mean", "p95"));
    stages.forEach((name, s) -> b.append(fmt("  %-26s %9.1f %9d%n", name, s.mean(), s.p95())));
    b.append(fmt("  %-26s %9.1f %9d%n", "total per image (server)", total.mean(), total.p95()));
    b.append(fmt("  %-26s %9.1f %9d%n", "round trip (client)", roundTrip.mean(), roundTrip.p95()));
    b.append('\n').append("Distribution of stages across nodes:\n");
    if (distribution.isEmpty()) {
      b.append("  (no successful image)\n");
    }
    distribution.forEach((node, counts) -> {
      StringBuilder parts = new StringBuilder();
      for (String stage : STAGE_ORDER) {
        Integer n = counts.get(stage);
        if (n != null) {
          parts.append(parts.length() == 0 ? "" : ", ").append(stage).append(' ').append(n);
        }
      }
      counts.forEach((stage, n) -> {
        if (!STAGE_ORDER.contains(stage)) {
          parts.append(parts.length() == 0 ? "" : ", ").append(stage).append(' ').append(n);
        }
      });
      b.append(fmt("  %-24s -> %s%n", node, parts));
    });
    List<ImageResult> failures = results.stream().filter(r -> !r.success()).toList();
    if (!failures.isEmpty()) {
      b.append('\n').append("Failures:\n");
      for (ImageResult r : failures) {
        b.append(fmt("  %s: %s%n", r.name(), r.message()));
      }
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append(fmt("%-18s %s%n", label, value));
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}

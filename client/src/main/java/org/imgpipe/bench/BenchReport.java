package org.imgpipe.bench;

import java.util.List;
import java.util.Locale;

/**
 * The bench's tables, as aligned text for the terminal and as Markdown for docs/performance.md: one
 * row per concurrency with throughput, latency percentiles, CPU per image, peak heap and RSS; and the
 * per-stage split of the mean request.
 */
public final class BenchReport {

  private BenchReport() {}

  /** The figures table as aligned text. */
  public static String text(List<RunResult> runs) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-8s %4s %6s %5s %8s %6s %6s %6s %6s %8s %8s %8s%n", "workload", "C",
        "reqs", "fail", "img/s", "p50", "p95", "p99", "max", "cpu/img", "heap MB", "rss MB"));
    for (RunResult r : runs) {
      sb.append(String.format(Locale.ROOT, "%-8s %4d %6d %5d %8.2f %6d %6d %6d %6d %8s %8s %8s%n", r.workload(),
          r.concurrency(), r.requests(), r.failed(), r.throughput(), r.latency().p50(), r.latency().p95(),
          r.latency().p99(), r.latency().max(), ms(r.cpuMillisPerImage()), mb(r.peakHeapBytes()),
          mb(r.peakRssBytes())));
    }
    sb.append(String.format(Locale.ROOT, "%nmean ms per image  %-8s %4s %7s %7s %9s %7s %8s %9s %10s%n", "workload",
        "C", "resize", "filters", "watermark", "format", "pipeline", "transport", "round trip"));
    for (RunResult r : runs) {
      RunResult.StageSplit s = r.stages();
      sb.append(String.format(Locale.ROOT, "                   %-8s %4d %7.1f %7.1f %9.1f %7.1f %8.1f %9.1f %10.1f%n",
          r.workload(), r.concurrency(), s.resize(), s.filters(), s.watermark(), s.format(), s.pipeline(),
          s.transport(), s.roundTrip()));
    }
    for (RunResult r : runs) {
      for (String f : r.failures()) {
        sb.append("  failure (").append(r.workload()).append(" C=").append(r.concurrency()).append("): ")
            .append(f).append('\n');
      }
    }
    return sb.toString();
  }

  /** The same tables in Markdown, headed by the machine, the load average and what was probed. */
  public static String markdown(List<RunResult> runs, Machine machine, String loadBefore, String loadAfter,
      String probe, String target) {
    StringBuilder sb = new StringBuilder();
    sb.append("Machine: ").append(machine.describe()).append(".  \n");
    sb.append("Target: ").append(target).append("; resources of ").append(probe).append(".  \n");
    sb.append("Load average (1, 5, 15 min): ").append(loadBefore).append(" before, ").append(loadAfter)
        .append(" after.\n\n");
    sb.append("| workload | C | requests | failed | images/s | p50 ms | p95 ms | p99 ms | CPU ms/image | peak heap MB | peak RSS MB |\n");
    sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (RunResult r : runs) {
      sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.2f | %d | %d | %d | %s | %s | %s |%n",
          r.workload(), r.concurrency(), r.requests(), r.failed(), r.throughput(), r.latency().p50(),
          r.latency().p95(), r.latency().p99(), ms(r.cpuMillisPerImage()), mb(r.peakHeapBytes()),
          mb(r.peakRssBytes())));
    }
    sb.append("\nMean milliseconds per image (server stats; pipeline = server total minus the stages, "
        + "transport = round trip minus server total):\n\n");
    sb.append("| workload | C | resize | filters | watermark | format | pipeline | transport | round trip |\n");
    sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (RunResult r : runs) {
      RunResult.StageSplit s = r.stages();
      sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
          r.workload(), r.concurrency(), s.resize(), s.filters(), s.watermark(), s.format(), s.pipeline(),
          s.transport(), s.roundTrip()));
    }
    return sb.toString();
  }

  static String ms(double v) {
    return v < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
  }

  static String mb(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
  }
}

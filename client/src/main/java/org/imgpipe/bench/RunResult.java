package org.imgpipe.bench;

import java.util.List;

/**
 * The figures of one workload at one concurrency.
 *
 * @param latency client round trip of each successful request
 * @param stages mean server time per stage and the parts of the round trip around them
 * @param cpuMillisPerImage node CPU time over the measured requests / successful images; -1 unknown
 * @param peakHeapBytes largest heap-in-use sample during the run; -1 unknown
 * @param peakRssBytes largest resident set size during the run; -1 unknown
 */
public record RunResult(String workload, int concurrency, int requests, int succeeded, int failed,
    int busyRetries, long wallMillis, Percentiles latency, StageSplit stages, double cpuMillisPerImage,
    long peakHeapBytes, long peakRssBytes, List<String> failures) {

  public RunResult {
    failures = List.copyOf(failures);
  }

  /** Successful images per second of wall time. */
  public double throughput() {
    return wallMillis <= 0 ? 0 : succeeded * 1000.0 / wallMillis;
  }

  /**
   * Where a request's time goes, mean milliseconds per successful image: the four stages as the server
   * reports them (filters summed), the rest of the server's total (queueing, hand-offs between stages:
   * {@code pipeline}), and the round trip outside the server ({@code transport}: XML-RPC and base64 on
   * both sides, HTTP, the client).
   */
  public record StageSplit(double resize, double filters, double watermark, double format, double serverTotal,
      double roundTrip) {

    public double pipeline() {
      return Math.max(0, serverTotal - resize - filters - watermark - format);
    }

    public double transport() {
      return Math.max(0, roundTrip - serverTotal);
    }
  }
}

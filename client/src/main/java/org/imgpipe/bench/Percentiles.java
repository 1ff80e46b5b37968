package org.imgpipe.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * Latency figures of one run, in milliseconds: nearest-rank percentiles (the value at rank
 * ceil(p/100·n) of the sorted sample), mean and maximum. An empty sample gives zeros.
 */
public record Percentiles(int count, double mean, long p50, long p95, long p99, long max) {

  public static Percentiles of(Collection<Long> values) {
    long[] v = values.stream().mapToLong(Long::longValue).toArray();
    if (v.length == 0) {
      return new Percentiles(0, 0, 0, 0, 0, 0);
    }
    Arrays.sort(v);
    double sum = 0;
    for (long x : v) {
      sum += x;
    }
    return new Percentiles(v.length, sum / v.length, rank(v, 50), rank(v, 95), rank(v, 99), v[v.length - 1]);
  }

  /** Nearest-rank percentile of a sorted, non-empty array. */
  static long rank(long[] sorted, double p) {
    int r = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, r - 1))];
  }
}

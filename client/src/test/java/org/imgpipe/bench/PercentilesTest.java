package org.imgpipe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRankOfOneToHundred() {
    List<Long> v = new ArrayList<>();
    for (long i = 100; i >= 1; i--) {
      v.add(i); // unsorted on purpose
    }
    Percentiles p = Percentiles.of(v);
    assertEquals(100, p.count());
    assertEquals(50.5, p.mean(), 1e-9);
    assertEquals(50, p.p50());
    assertEquals(95, p.p95());
    assertEquals(99, p.p99());
    assertEquals(100, p.max());
  }

  @Test
  void smallSamplesTakeTheRankAboveAndEmptyIsZero() {
    Percentiles p = Percentiles.of(List.of(10L, 30L, 20L));
    assertEquals(20, p.p50()); // rank ceil(1.5) = 2
    assertEquals(30, p.p95());
    assertEquals(30, p.p99());
    assertEquals(20.0, p.mean(), 1e-9);
    assertEquals(new Percentiles(0, 0, 0, 0, 0, 0), Percentiles.of(List.of()));
  }
}

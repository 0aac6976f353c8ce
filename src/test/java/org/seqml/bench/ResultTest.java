package org.seqml.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class ResultTest {
  private static Side side(String name, double... values) {
    Side s = new Side(name, "samples/s");
    for (double v : values) {
      s.add(v);
    }
    return s;
  }

  /** The ratio of the medians, and beside it the median of each repetition's own ratio. */
  @Test
  void throughputKeepsEachRepetitionsRatio() {
    Result r = Result.throughput("x", "x", side("seqml", 100, 300, 200), side("peer", 200, 150, 400), 0.9);
    assertEquals(1.0, r.ratio, 1e-12); // 200 / 200
    assertEquals(0.5, r.extra.get("median_rep_ratio").asDouble(), 1e-12); // 0.5, 2.0, 0.5
    assertEquals(3, r.extra.get("rep_ratios").size());
  }

  @Test
  void unpairedSidesHaveNoRepetitionRatios() {
    Result r = Result.throughput("x", "x", side("seqml", 100, 300), side("peer", 200), 0.9);
    assertFalse(r.extra.has("median_rep_ratio"));
  }
}

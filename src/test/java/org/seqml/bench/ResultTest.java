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

  /** The median of each repetition's own ratio, and beside it their range and the ratio of the medians. */
  @Test
  void throughputRatioIsTheMedianOfTheRepetitionsRatios() {
    Result r = Result.throughput("x", "x", side("seqml", 100, 300, 200), side("peer", 200, 150, 400), 0.9);
    assertEquals(0.5, r.ratio, 1e-12); // 0.5, 2.0, 0.5
    assertEquals(3, r.extra.get("rep_ratios").size());
    assertEquals(0.5, r.extra.get("lowest_rep_ratio").asDouble(), 1e-12);
    assertEquals(2.0, r.extra.get("highest_rep_ratio").asDouble(), 1e-12);
    assertEquals(1.0, r.extra.get("ratio_of_medians").asDouble(), 1e-12); // 200 / 200
    assertFalse(r.toJson().get("pass").asBoolean());
    assertEquals("0.500 (0.50-2.00)", Table.ratio(r.toJson()));
  }

  @Test
  void unpairedSidesFallBackToTheRatioOfMedians() {
    Result r = Result.throughput("x", "x", side("seqml", 100, 300), side("peer", 200), 0.9);
    assertEquals(1.0, r.ratio, 1e-12); // 200 / 200
    assertFalse(r.extra.has("median_rep_ratio"));
    assertEquals("1.000", Table.ratio(r.toJson()));
  }
}

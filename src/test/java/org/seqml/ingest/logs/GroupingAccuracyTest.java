package org.seqml.ingest.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupingAccuracyTest {
  static final List<String> TRUTH = List.of("E1", "E1", "E2", "E2", "E3");

  @Test
  void theSameGroupingUnderOtherNamesIsFullyAccurate() {
    assertEquals(1.0, GroupingAccuracy.of(List.of("t9", "t9", "t4", "t4", "t7"), TRUTH));
  }

  @Test
  void mergingTwoTrueGroupsMakesAllTheirLinesWrong() {
    // E1 and E2 share one template: 4 lines wrong, only the E3 line is right.
    assertEquals(0.2, GroupingAccuracy.of(List.of("t", "t", "t", "t", "u"), TRUTH), 1e-12);
    assertEquals(1, GroupingAccuracy.correctLines(List.of("t", "t", "t", "t", "u"), TRUTH));
  }

  @Test
  void splittingATrueGroupMakesAllItsLinesWrong() {
    // E1 split over two templates: neither part equals E1, though each part is pure.
    assertEquals(0.6, GroupingAccuracy.of(List.of("a", "b", "c", "c", "d"), TRUTH), 1e-12);
  }

  @Test
  void aMergedGroupScoresLowerThanTheCorrectOne() {
    double correct = GroupingAccuracy.of(List.of("a", "a", "b", "b", "c"), TRUTH);
    double merged = GroupingAccuracy.of(List.of("a", "a", "b", "b", "b"), TRUTH);
    assertTrue(merged < correct, merged + " vs " + correct);
    assertEquals(0.4, merged, 1e-12);
  }

  @Test
  void predictionsMustLabelEveryLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GroupingAccuracy.of(List.of("a"), TRUTH));
    assertTrue(e.getMessage().contains("1 predictions for 5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GroupingAccuracy.of(List.of(), List.of()));
  }
}

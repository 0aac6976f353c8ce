package org.seqml.ingest.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

/** Per-line template ids compared with a short message: how many lines differ and the first one. */
final class SameIds {
  private SameIds() {}

  static void assertSameIds(List<String> expected, List<String> actual, String what) {
    assertEquals(expected.size(), actual.size(), what + ": number of lines");
    int differing = 0;
    int first = -1;
    for (int i = 0; i < expected.size(); i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        differing++;
        first = first < 0 ? i : first;
      }
    }
    if (differing > 0) {
      fail(what + ": " + differing + " of " + expected.size() + " lines differ, first line " + first + " ("
          + expected.get(first) + " vs " + actual.get(first) + ")");
    }
  }
}

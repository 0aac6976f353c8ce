package org.seqml.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.seqml.window.Vocabulary;

/** The DeepLog decision on hand-made probabilities: classes are pad, unknown, then A, B, C, D. */
class NextEventVerdictTest {
  static final Vocabulary VOCABULARY = new Vocabulary(List.of("A", "B", "C", "D"));
  static final double[] P = {0.0, 0.01, 0.5, 0.3, 0.15, 0.04}; // A > B > C > D

  @Test
  void anEventWithinTheTopGIsNoMiss() {
    NextEventScorer.Verdict b = NextEventScorer.verdict(P, VOCABULARY, "B", true, 2);
    assertEquals(1, b.rank());
    assertFalse(b.miss());
    assertEquals(-Math.log(0.3), b.nll(), 1e-12);
  }

  @Test
  void anEventOutsideTheTopGIsAMiss() {
    NextEventScorer.Verdict c = NextEventScorer.verdict(P, VOCABULARY, "C", true, 2);
    assertEquals(2, c.rank());
    assertTrue(c.miss());
    assertFalse(NextEventScorer.verdict(P, VOCABULARY, "C", true, 3).miss(), "with g = 3 it is expected");
  }

  @Test
  void anUnseenEventIsAlwaysAMissEvenWhenItOpensTheSession() {
    NextEventScorer.Verdict z = NextEventScorer.verdict(P, VOCABULARY, "Z", true, 5);
    assertTrue(z.unknown());
    assertTrue(z.miss());
    assertEquals(-Math.log(0.01), z.nll(), 1e-12, "the unknown class's probability");
    NextEventScorer.Verdict first = NextEventScorer.verdict(P, VOCABULARY, "Z", false, 5);
    assertTrue(first.miss());
    assertNull(first.rank(), "the first event is not ranked");
  }

  @Test
  void aKnownFirstEventIsNeverAMiss() {
    NextEventScorer.Verdict first = NextEventScorer.verdict(P, VOCABULARY, "D", false, 1);
    assertFalse(first.miss());
    assertNull(first.nll());
  }

  @Test
  void vocabularyReservesPadAndUnknown() {
    assertEquals(6, VOCABULARY.classes());
    assertEquals(Vocabulary.PAD, VOCABULARY.indexOf(""));
    assertEquals(Vocabulary.UNKNOWN, VOCABULARY.indexOf("never"));
    assertEquals(2, VOCABULARY.indexOf("A"));
    assertEquals(VOCABULARY.events(), Vocabulary.fromJson(VOCABULARY.toJson()).events());
  }
}

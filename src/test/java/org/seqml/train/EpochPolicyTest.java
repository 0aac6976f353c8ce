package org.seqml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.seqml.train.EpochPolicy.Verdict;

class EpochPolicyTest {
  @Test
  void stopsAfterPatienceEpochsWithoutImprovementAndRemembersTheBest() {
    EpochPolicy p = new EpochPolicy(2, 0.0, 10);
    assertEquals(Verdict.IMPROVED, p.judge(1, 1.0, 0.9));
    assertEquals(Verdict.IMPROVED, p.judge(2, 0.8, 0.7));
    assertEquals(Verdict.NO_IMPROVEMENT, p.judge(3, 0.7, 0.75));
    assertEquals(Verdict.STOP_EARLY, p.judge(4, 0.6, 0.71));
    assertEquals(2, p.bestEpoch());
    assertEquals(0.7, p.best());
  }

  @Test
  void improvementsSmallerThanMinDeltaDoNotCount() {
    EpochPolicy p = new EpochPolicy(1, 0.05, 10);
    p.judge(1, 1, 1.0);
    assertEquals(Verdict.STOP_EARLY, p.judge(2, 1, 0.97));
    assertEquals(1, p.bestEpoch());
  }

  @Test
  void patienceZeroNeverStops() {
    EpochPolicy p = new EpochPolicy(0, 0, 10);
    p.judge(1, 1, 1.0);
    for (int e = 2; e < 20; e++) {
      assertEquals(Verdict.NO_IMPROVEMENT, p.judge(e, 1, 1.5));
    }
  }

  @Test
  void nanInfinityOrAnExplosionIsDivergence() {
    EpochPolicy p = new EpochPolicy(0, 0, 10);
    p.judge(1, 1, 0.5);
    assertEquals(Verdict.DIVERGED, p.judge(2, Double.NaN, 0.5));
    assertEquals(Verdict.DIVERGED, p.judge(2, 0.4, Double.POSITIVE_INFINITY));
    assertEquals(Verdict.DIVERGED, p.judge(2, 0.4, 5.01), "more than 10x the best validation loss");
    assertEquals(Verdict.NO_IMPROVEMENT, p.judge(2, 0.4, 4.9));
    assertEquals(1, p.bestEpoch(), "a diverged epoch never becomes the best");
  }

  @Test
  void resumedCountersCarryOn() {
    EpochPolicy p = new EpochPolicy(2, 0, 10).resume(0.5, 3, 1);
    assertEquals(Verdict.STOP_EARLY, p.judge(5, 1, 0.6));
    assertEquals(3, p.bestEpoch());
  }
}

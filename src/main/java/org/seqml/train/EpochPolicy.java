package org.seqml.train;

import java.io.Serializable;

/**
 * What to do after an epoch, from its losses: keep track of the best validation loss, stop early
 * after {@code patience} epochs without an improvement of more than {@code minDelta} (0 = never),
 * and call a run diverged when a loss is NaN or infinite or the validation loss exceeds
 * {@code divergenceFactor} times the best seen. Mutable, tiny, and saved in every checkpoint.
 */
public final class EpochPolicy implements Serializable {
  /** The verdict on one epoch. */
  public enum Verdict { IMPROVED, NO_IMPROVEMENT, STOP_EARLY, DIVERGED }

  private final int patience;
  private final double minDelta;
  private final double divergenceFactor;
  private double best = Double.POSITIVE_INFINITY;
  private int bestEpoch;
  private int epochsWithoutImprovement;

  public EpochPolicy(int patience, double minDelta, double divergenceFactor) {
    this.patience = patience;
    this.minDelta = minDelta;
    this.divergenceFactor = divergenceFactor;
  }

  /** Restores the counters of a checkpoint. */
  public EpochPolicy resume(double best, int bestEpoch, int epochsWithoutImprovement) {
    this.best = best;
    this.bestEpoch = bestEpoch;
    this.epochsWithoutImprovement = epochsWithoutImprovement;
    return this;
  }

  public Verdict judge(int epoch, double trainLoss, double validationLoss) {
    if (!Double.isFinite(trainLoss) || !Double.isFinite(validationLoss)
        || (Double.isFinite(best) && validationLoss > divergenceFactor * best)) {
      return Verdict.DIVERGED;
    }
    if (validationLoss < best - minDelta || !Double.isFinite(best)) {
      best = validationLoss;
      bestEpoch = epoch;
      epochsWithoutImprovement = 0;
      return Verdict.IMPROVED;
    }
    epochsWithoutImprovement++;
    return patience > 0 && epochsWithoutImprovement >= patience ? Verdict.STOP_EARLY : Verdict.NO_IMPROVEMENT;
  }

  public double best() {
    return best;
  }

  public int bestEpoch() {
    return bestEpoch;
  }

  public int epochsWithoutImprovement() {
    return epochsWithoutImprovement;
  }

  public double divergenceFactor() {
    return divergenceFactor;
  }
}

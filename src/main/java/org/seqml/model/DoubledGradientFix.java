package org.seqml.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * DL4J 1.0.0-M2.1 backpropagates through every SameDiff layer twice over: each of its parameter
 * gradients and the gradient it passes down come out exactly 2x (measured with DL4J's
 * GradientCheckUtil on DL4J's own SelfAttentionLayer and on a one-matrix layer; see
 * ModelFamiliesTest). Stacked blocks compound it (2, 4, 8x), which skews gradient clipping and the
 * L2 balance. A layer's output is therefore returned as y/2 + stopGradient(y)/2: the same value
 * (halving is exact in floating point), half the gradient. The gradient check in ModelFamiliesTest
 * fails if a DL4J upgrade fixes the bug, so this cannot silently overcorrect.
 */
final class DoubledGradientFix {
  private DoubledGradientFix() {}

  static SDVariable output(SameDiff sd, SDVariable y) {
    SDVariable frozen = new StopGradient(sd, y).outputVariable();
    return y.mul(0.5).add(frozen.mul(0.5));
  }
}

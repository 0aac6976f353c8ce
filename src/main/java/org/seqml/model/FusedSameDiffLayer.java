package org.seqml.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What seqml's fused replacements of SameDiff layers share ({@link FusedTransformerLayer},
 * {@link FusedGruLayer}): the SameDiff graph runs whenever {@link #fused()} says no; otherwise input dropout,
 * the forward pass kept for the backward pass that follows it (recomputed when the input changed in between),
 * and the pass counters the tests hold the layers to.
 */
abstract class FusedSameDiffLayer extends SameDiffLayer {
  /** Passes that ran fused (forward, backward): its conditions fall back silently, tests hold it to running. */
  int fusedForwards;
  int fusedBackwards;
  /** The input of the last training forward pass whose results the layer's buffers hold, or null. */
  private INDArray forwardOf;

  FusedSameDiffLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** Whether this input runs fused: float networks on the CPU backend, in the layer's shape. */
  abstract boolean fused();

  /** The forward pass over {@code input} into the layer's buffers (every step kept when training). */
  abstract void fusedForward(boolean training);

  /** The output [B, C, T] of the last forward pass. */
  abstract INDArray fusedOutput(LayerWorkspaceMgr workspaceMgr);

  /** Parameter gradients into the gradient views, and the input error [B, C, T], after a training forward pass. */
  abstract Pair<Gradient, INDArray> fusedBackward(INDArray epsilon, LayerWorkspaceMgr workspaceMgr);

  @Override
  public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
    forwardOf = null;
    super.setInput(input, workspaceMgr);
  }

  @Override
  public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
    setInput(input, workspaceMgr);
    return activate(training, workspaceMgr);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!fused()) {
      return super.activate(training, workspaceMgr);
    }
    assertInputSet(false);
    fusedForwards++;
    applyDropOutIfNecessary(training, workspaceMgr);
    fusedForward(training);
    forwardOf = training ? input : null;
    return fusedOutput(workspaceMgr);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (!fused()) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    assertInputSet(true);
    fusedBackwards++;
    applyDropOutIfNecessary(true, workspaceMgr); // a no-op after the training forward pass
    if (forwardOf != input) {
      fusedForward(true);
    }
    forwardOf = null;
    Pair<Gradient, INDArray> out = fusedBackward(epsilon, workspaceMgr);
    return new Pair<>(out.getFirst(), backpropDropOutIfPresent(out.getSecond()));
  }
}

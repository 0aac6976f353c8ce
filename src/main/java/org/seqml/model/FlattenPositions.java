package org.seqml.model;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The flatten pooling: [batch, channels, T] to [batch, channels * T], every position's values side by
 * side, so the dense layers after it can weigh each offset on its own (a box at -10 is not one at -35).
 * The mask ends here: the layer before it zeroes padded positions, so their weights see only zeros and
 * padding content cannot reach the output. DL4J's ReshapeVertex would do the reshape but fails on a
 * sequence mask (it indexes a third mask dimension).
 */
public class FlattenPositions implements InputPreProcessor {
  private int channels;
  private int length;

  /** For JSON deserialisation of saved models. */
  protected FlattenPositions() {}

  public FlattenPositions(int channels, int length) {
    this.channels = channels;
    this.length = length;
  }

  @Override
  public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    if (input.rank() != 3 || input.size(1) != channels || input.size(2) != length) {
      throw new IllegalArgumentException("flatten expects [batch, " + channels + ", " + length + "], got "
          + java.util.Arrays.toString(input.shape()));
    }
    INDArray c = workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'c');
    return c.reshape('c', input.size(0), (long) channels * length);
  }

  @Override
  public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    INDArray c = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, output, 'c');
    return c.reshape('c', output.size(0), channels, length);
  }

  @Override
  public FlattenPositions clone() {
    return new FlattenPositions(channels, length);
  }

  @Override
  public InputType getOutputType(InputType inputType) {
    return InputType.feedForward((long) channels * length);
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
      int minibatchSize) {
    return new Pair<>(null, currentMaskState);
  }

  public int getChannels() {
    return channels;
  }

  public void setChannels(int channels) {
    this.channels = channels;
  }

  public int getLength() {
    return length;
  }

  public void setLength(int length) {
    this.length = length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlattenPositions f && f.channels == channels && f.length == length;
  }

  @Override
  public int hashCode() {
    return 31 * channels + length;
  }
}

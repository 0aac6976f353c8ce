package org.seqml.model;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The pinball (quantile) loss of a quantile head: output column j forecasts quantile {@code levels[j % Q]}
 * of label column j (the labels repeat each target once per level). Per value, with u = label - output,
 * loss = max(tau u, (tau - 1) u), whose gradient in the output is 1{u &lt; 0} - tau; an example's score is
 * the mean over its columns, as DL4J's MSE is. Serialised in the network's configuration by its levels.
 */
public final class PinballLoss implements ILossFunction {
  @JsonProperty("levels")
  private final double[] levels;

  @JsonCreator
  public PinballLoss(@JsonProperty("levels") double[] levels) {
    this.levels = levels.clone();
  }

  public double[] levels() {
    return levels.clone();
  }

  /** The level of every output column, as a row vector of the output's type. */
  private INDArray taus(INDArray like) {
    long columns = like.size(1);
    double[] taus = new double[(int) columns];
    for (int j = 0; j < columns; j++) {
      taus[j] = levels[j % levels.length];
    }
    return Nd4j.createFromArray(taus).castTo(like.dataType()).reshape(1, columns);
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    INDArray output = activationFn.getActivation(preOutput.dup(), true);
    INDArray u = labels.castTo(output.dataType()).sub(output);
    INDArray below = u.lt(0).castTo(u.dataType());
    // u (tau - 1{u < 0}): tau u above the quantile, (tau - 1) u below it
    INDArray loss = u.mul(below.rsubRowVector(taus(u)));
    if (mask != null) {
      loss.muliColumnVector(mask.castTo(loss.dataType()).reshape(loss.size(0), 1));
    }
    return loss.mean(1).reshape(loss.size(0), 1);
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
      boolean average) {
    double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
    return average ? sum / labels.size(0) : sum;
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    INDArray output = activationFn.getActivation(preOutput.dup(), true);
    INDArray u = labels.castTo(output.dataType()).sub(output);
    INDArray dOutput = u.lt(0).castTo(u.dataType()).subRowVector(taus(u)).divi(u.size(1));
    if (mask != null) {
      dOutput.muliColumnVector(mask.castTo(dOutput.dataType()).reshape(dOutput.size(0), 1));
    }
    return activationFn.backprop(preOutput.dup(), dOutput).getFirst();
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask, boolean average) {
    return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
        computeGradient(labels, preOutput, activationFn, mask));
  }

  @Override
  public String name() {
    return "pinball" + Arrays.toString(levels);
  }

  @Override
  public String toString() {
    return name();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PinballLoss p && Arrays.equals(levels, p.levels);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(levels);
  }
}

package org.seqml.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The loss reported for validation, computed from outputs and labels without regularisation terms,
 * as a (sum, count) pair so partitions can be added up.
 */
public enum Loss {
  /** Mean squared error per output value (standardised regression targets). */
  MSE {
    @Override
    public double[] sum(INDArray output, INDArray labels) {
      INDArray error = output.sub(labels);
      return new double[] {error.mul(error).sumNumber().doubleValue(), error.length()};
    }
  },
  /** Mean negative log-likelihood of the labelled class per example (softmax outputs, one-hot labels). */
  NLL {
    @Override
    public double[] sum(INDArray output, INDArray labels) {
      INDArray likelihood = output.mul(labels).sum(1);
      INDArray nll = Transforms.log(Transforms.max(likelihood, 1e-12), false).neg();
      return new double[] {nll.sumNumber().doubleValue(), labels.size(0)};
    }
  };

  public abstract double[] sum(INDArray output, INDArray labels);
}

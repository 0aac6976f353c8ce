package org.seqml.train;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The loss reported for validation, computed from outputs and labels without regularisation terms,
 * as a (sum, count) pair so partitions can be added up.
 */
public interface Loss extends Serializable {
  /** Mean squared error per output value (standardised regression targets). */
  Loss MSE = new Mse();
  /** Mean negative log-likelihood of the labelled class per example (softmax outputs, one-hot labels). */
  Loss NLL = new Nll();

  double[] sum(INDArray output, INDArray labels);

  /**
   * Mean pinball loss per output value, where output column j forecasts quantile {@code levels[j % Q]} of
   * its label (labels repeated once per level, as the forecaster's quantile head reads them).
   */
  static Loss pinball(double[] levels) {
    return new Pinball(levels.clone());
  }

  record Mse() implements Loss {
    @Override
    public double[] sum(INDArray output, INDArray labels) {
      INDArray error = output.sub(labels);
      return new double[] {error.mul(error).sumNumber().doubleValue(), error.length()};
    }
  }

  record Nll() implements Loss {
    @Override
    public double[] sum(INDArray output, INDArray labels) {
      INDArray likelihood = output.mul(labels).sum(1);
      INDArray nll = Transforms.log(Transforms.max(likelihood, 1e-12), false).neg();
      return new double[] {nll.sumNumber().doubleValue(), labels.size(0)};
    }
  }

  record Pinball(double[] levels) implements Loss {
    @Override
    public double[] sum(INDArray output, INDArray labels) {
      float[] y = labels.dup('c').data().asFloat();
      float[] q = output.dup('c').data().asFloat();
      long columns = labels.size(1);
      double sum = 0;
      for (int i = 0; i < y.length; i++) {
        sum += pinball(levels[(int) (i % columns) % levels.length], y[i] - q[i]);
      }
      return new double[] {sum, y.length};
    }
  }

  /** The pinball (quantile) loss of level tau at residual u = actual - forecast. */
  static double pinball(double tau, double u) {
    return u >= 0 ? tau * u : (tau - 1) * u;
  }
}

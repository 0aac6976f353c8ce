package org.seqml.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqml.config.SeqmlConfig;

/** The pinball loss on small numbers worked by hand, and a quantile head that survives a save and restore. */
class PinballLossTest {
  // levels 0.1 and 0.9 over one step: output column 0 is the 0.1 quantile, column 1 the 0.9 quantile
  private final PinballLoss loss = new PinballLoss(new double[] {0.1, 0.9});

  private static INDArray row(double... values) {
    return Nd4j.createFromArray(values).castTo(DataType.DOUBLE).reshape(1, values.length);
  }

  @Test
  void scoreAndGradientByHand() {
    // actual 1 against forecasts 0 (0.1 quantile, under: 0.1 x 1 = 0.1) and 3 (0.9 quantile, over:
    // (0.9 - 1) x (1 - 3) = 0.2); the example's score is the mean, 0.15
    INDArray labels = row(1, 1);
    INDArray output = row(0, 3);
    assertEquals(0.15, loss.computeScore(labels, output, new ActivationIdentity(), null, true), 1e-12);
    // d/d output: -tau under the actual, 1 - tau over it, over the 2 columns: -0.05 and 0.05
    assertArrayEquals(new double[] {-0.05, 0.05},
        loss.computeGradient(labels, output, new ActivationIdentity(), null).toDoubleVector(), 1e-12);
    // the same for the reported validation loss: a sum over values and their count
    assertArrayEquals(new double[] {0.3, 2}, org.seqml.train.Loss.pinball(new double[] {0.1, 0.9})
        .sum(output, labels), 1e-12);
  }

  @Test
  void theGradientIsTheNumericalOne() {
    INDArray labels = row(0.3, -1.2, 2.0, 0.7);
    INDArray output = row(1.1, -0.4, 1.5, 0.7001);
    INDArray analytic = loss.computeGradient(labels, output, new ActivationIdentity(), null);
    double eps = 1e-6;
    for (int j = 0; j < 4; j++) {
      INDArray up = output.dup();
      up.putScalar(0, j, output.getDouble(0, j) + eps);
      INDArray down = output.dup();
      down.putScalar(0, j, output.getDouble(0, j) - eps);
      double numeric = (loss.computeScore(labels, up, new ActivationIdentity(), null, true)
          - loss.computeScore(labels, down, new ActivationIdentity(), null, true)) / (2 * eps);
      assertEquals(numeric, analytic.getDouble(0, j), 1e-6, "column " + j);
    }
  }

  @Test
  void aQuantileHeadKeepsItsLossThroughSaveAndRestore() {
    SeqmlConfig.Model m = new SeqmlConfig.Model("lstm", 8, List.of(6), 0, 0.0, 0.01, 0.0, 0.0, 7,
        new SeqmlConfig.Transformer(2, 2, 8, 16, "fused"), "auto", new SeqmlConfig.Conv(0, 9), "fused");
    ComputationGraph net = ModelFactory.forecaster(m, 2, 5, 3, new double[] {0.1, 0.5, 0.9});
    ComputationGraph back = Networks.restoreForTask(Networks.bytes(net, false));
    org.deeplearning4j.nn.conf.layers.BaseOutputLayer out = (org.deeplearning4j.nn.conf.layers.BaseOutputLayer)
        back.getLayer("out").conf().getLayer();
    assertEquals(new PinballLoss(new double[] {0.1, 0.5, 0.9}), out.getLossFn());
    assertEquals(9, back.getLayer("out").getParam("W").size(1));
  }
}

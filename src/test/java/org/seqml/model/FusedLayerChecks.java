package org.seqml.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** What the fused layers' tests share: a random minibatch, a network's gradients, a scaled comparison. */
@SuppressWarnings("unchecked")
final class FusedLayerChecks {
  static final int FEATURES = 5;
  static final int LENGTH = 9;

  private FusedLayerChecks() {}

  /** {@code size} random sequences [size, FEATURES, LENGTH] (seeded), one-hot labels over 3 classes. */
  static DataSet batch(int size, long seed, INDArray mask) {
    Nd4j.getRandom().setSeed(seed);
    INDArray x = Nd4j.randn(DataType.FLOAT, size, FEATURES, LENGTH).muli(2);
    INDArray y = Nd4j.zeros(DataType.FLOAT, size, 3);
    for (int i = 0; i < size; i++) {
      y.putScalar(i, i % 3, 1);
    }
    return new DataSet(x, y, mask, null);
  }

  static Map<String, INDArray> gradients(ComputationGraph net, DataSet d) {
    net.setInputs(d.getFeatures().castTo(net.params().dataType()));
    net.setLabels(d.getLabels().castTo(net.params().dataType()));
    net.setLayerMaskArrays(d.getFeaturesMaskArray() == null ? null : new INDArray[] {d.getFeaturesMaskArray()}, null);
    net.computeGradientAndScore();
    net.clearLayerMaskArrays();
    return net.gradient().gradientForVariable();
  }

  /** The same outputs, loss and gradients (each within {@code tolerance}, as assertClose) on one minibatch. */
  static void assertNetworksAgree(ComputationGraph reference, ComputationGraph fused, DataSet d, double tolerance) {
    INDArray expected = Networks.output(reference, d.getFeatures(), d.getFeaturesMaskArray());
    INDArray actual = Networks.output(fused, d.getFeatures(), d.getFeaturesMaskArray());
    assertTrue(expected.equalsWithEps(actual, 1e-5), "outputs differ: " + expected + " vs " + actual);
    Map<String, INDArray> want = gradients(reference, d);
    double wantScore = reference.score();
    Map<String, INDArray> got = gradients(fused, d);
    assertEquals(wantScore, fused.score(), 1e-5);
    assertEquals(want.keySet(), got.keySet());
    for (String key : want.keySet()) {
      assertClose(want.get(key), got.get(key), key + " gradients", tolerance);
    }
  }

  /**
   * One layer on its own: the same outputs, input errors and gradients (each within {@code tolerance}) for
   * input x with {@code mask} (or null) set on the layer and the error eps from above.
   */
  static void assertLayersAgree(Layer reference, Layer fused, INDArray x, INDArray mask, INDArray eps,
      double tolerance) {
    INDArray[] out = new INDArray[2];
    Map<String, INDArray>[] grads = new Map[2];
    INDArray[] inputErrors = new INDArray[2];
    Layer[] layers = {reference, fused};
    for (int i = 0; i < 2; i++) {
      layers[i].setInput(x.dup(), LayerWorkspaceMgr.noWorkspaces());
      layers[i].setMaskArray(mask);
      out[i] = layers[i].activate(true, LayerWorkspaceMgr.noWorkspaces()).dup();
      Pair<Gradient, INDArray> back = layers[i].backpropGradient(eps.dup(), LayerWorkspaceMgr.noWorkspaces());
      grads[i] = back.getFirst().gradientForVariable();
      inputErrors[i] = back.getSecond();
    }
    assertClose(out[0], out[1], "outputs", tolerance);
    assertClose(inputErrors[0], inputErrors[1], "input errors", tolerance);
    assertEquals(grads[0].keySet(), grads[1].keySet());
    for (String key : grads[0].keySet()) {
      assertClose(grads[0].get(key), grads[1].get(key), key + " gradients", tolerance);
    }
  }

  /** want and got differ by at most {@code tolerance} times want's largest magnitude (at least 1e-3). */
  static void assertClose(INDArray want, INDArray got, String what, double tolerance) {
    double scale = Math.max(1e-3, want.amaxNumber().doubleValue());
    double diff = want.sub(got).amaxNumber().doubleValue();
    assertTrue(diff <= tolerance * scale, what + " differ by " + diff + " (largest " + scale + ")");
  }
}

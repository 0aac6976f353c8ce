package org.seqml.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqml.model.FusedLayerChecks.batch;

import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.seqml.config.SeqmlConfig;

/**
 * seqml's fused LSTM computes what DL4J's LSTM computes: the same outputs, loss and gradients for the
 * same parameters (masks included, DL4J's masking semantics included), and the same parameters after
 * training steps.
 */
class FusedLstmTest {
  private static final int FEATURES = FusedLayerChecks.FEATURES;
  private static final int LENGTH = FusedLayerChecks.LENGTH;

  private static SeqmlConfig.Model model(String family, String kernel, List<Integer> hidden, double dropout) {
    SeqmlConfig.Model m = ModelFamiliesTest.model(family);
    return new SeqmlConfig.Model(m.family(), m.embedding(), hidden, 4, dropout, 0.01, 0.0, 0.0, 7,
        m.transformer(), "auto", m.conv(), kernel);
  }

  private static ComputationGraph[] pair(String family, DataType precision) {
    return pair(family, precision, List.of(7, 6), 0.0);
  }

  private static ComputationGraph[] pair(String family, DataType precision, List<Integer> hidden, double dropout) {
    ComputationGraph dl4j = ModelFactory.build(model(family, "dl4j", hidden, dropout),
        ModelFactory.Input.vectors(FEATURES), LENGTH, ModelFactory.Pooling.LAST, 3, true, new Adam(0.01), precision);
    ComputationGraph fused = ModelFactory.build(model(family, "fused", hidden, dropout),
        ModelFactory.Input.vectors(FEATURES), LENGTH, ModelFactory.Pooling.LAST, 3, true, new Adam(0.01), precision);
    fused.setParams(dl4j.params().dup());
    return new ComputationGraph[] {dl4j, fused};
  }

  private static INDArray mask(String kind, int batch) {
    INDArray m = Nd4j.ones(DataType.FLOAT, batch, LENGTH);
    switch (kind) {
      case "none" -> {
        return null;
      }
      case "padding" -> { // example i has LENGTH - i real steps, then padding
        for (int i = 0; i < batch; i++) {
          for (int t = LENGTH - i % LENGTH; t < LENGTH; t++) {
            m.putScalar(i, t, 0);
          }
        }
      }
      case "holes" -> { // masked steps in the middle: DL4J resets the carried state there
        for (int i = 0; i < batch; i += 2) {
          m.putScalar(i, 3, 0);
          m.putScalar(i, 4, 0);
        }
      }
      default -> throw new IllegalArgumentException(kind);
    }
    return m;
  }

  /**
   * The layer on its own, with a mask set on it. (Inside seqml's graphs no mask reaches an LSTM layer:
   * DL4J's LSTM does not keep the mask a ComputationGraph feeds forward; padding is trailing and the
   * layer causal, so real positions never see it, and bilstm's reversal reads the input mask itself.)
   * With holes, DL4J zeroes the carried state at masked steps; the fused layer must do the same.
   */
  @ParameterizedTest
  @ValueSource(strings = {"none", "padding", "holes"})
  void layerMatchesDl4jWithMasks(String maskKind) {
    ComputationGraph[] nets = pair("lstm", DataType.FLOAT);
    nets[0].initGradientsView();
    nets[1].initGradientsView();
    Layer dl4j = nets[0].getLayer("rnn0");
    Layer fused = nets[1].getLayer("rnn0");
    assertInstanceOf(FusedLstmLayer.class, fused);
    // 19 rows: two row blocks of the recurrent products and a remainder (NativeGemm.ROW_BLOCK)
    DataSet d = batch(19, 21, mask(maskKind, 19));
    Nd4j.getRandom().setSeed(22);
    INDArray eps = Nd4j.randn(DataType.FLOAT, 19, 7, LENGTH);
    FusedLayerChecks.assertLayersAgree(dl4j, fused, d.getFeatures(), d.getFeaturesMaskArray(), eps, 1e-4);
    // Inference keeps one step's gates and cell state, not all: the same outputs, masks and carried state included.
    DataSet other = batch(13, 23, mask(maskKind, 13));
    INDArray[] out = new INDArray[2];
    Layer[] layers = {dl4j, fused};
    for (int i = 0; i < 2; i++) {
      layers[i].setInput(other.getFeatures().dup(), LayerWorkspaceMgr.noWorkspaces());
      layers[i].setMaskArray(other.getFeaturesMaskArray());
      out[i] = layers[i].activate(false, LayerWorkspaceMgr.noWorkspaces()).dup();
    }
    FusedLayerChecks.assertClose(out[0], out[1], "inference outputs", 1e-4);
  }

  @ParameterizedTest
  @CsvSource({"lstm, none", "lstm, padding", "bilstm, none", "bilstm, padding"})
  void outputsLossAndGradientsMatchDl4j(String family, String maskKind) {
    ComputationGraph[] nets = pair(family, DataType.FLOAT);
    assertInstanceOf(FusedLstmLayer.class, nets[1].getLayer("rnn0"));
    DataSet d = batch(6, 11, mask(maskKind, 6));
    FusedLayerChecks.assertNetworksAgree(nets[0], nets[1], d, 1e-4);
  }

  /**
   * Adam steps on both, with the batch size changing between steps (the fused layer reuses buffers;
   * 17 and 19 rows take the recurrent products in row blocks, whose weight copy must follow each step).
   */
  @Test
  void trainingStepsMatchDl4j() {
    ComputationGraph[] nets = pair("lstm", DataType.FLOAT);
    int[] sizes = {6, 17, 17, 3, 8, 19};
    for (int step = 0; step < sizes.length; step++) {
      DataSet d = batch(sizes[step], 100 + step, mask(step % 2 == 0 ? "padding" : "none", sizes[step]));
      nets[0].fit(d);
      nets[1].fit(d);
    }
    int layers = 0;
    for (org.deeplearning4j.nn.api.Layer layer : nets[1].getLayers()) {
      if (layer instanceof FusedLstmLayer fused) {
        layers++;
        assertTrue(fused.fusedForwards >= sizes.length && fused.fusedBackwards == sizes.length,
            "a layer ran DL4J's code: " + fused.fusedForwards + " fused forward and " + fused.fusedBackwards
                + " fused backward passes");
      }
    }
    assertTrue(layers > 0, "no fused layer in the network");
    double diff = nets[0].params().sub(nets[1].params()).amaxNumber().doubleValue();
    assertTrue(diff < 1e-4, "parameters differ by " + diff + " after " + sizes.length + " steps");
    assertTrue(nets[0].params().sub(pair("lstm", DataType.FLOAT)[0].params()).amaxNumber().doubleValue() > 1e-3,
        "the steps moved nothing");
  }

  /**
   * Inference between training steps (validation after an epoch, at its own batch size or the training
   * one): the outputs match, and the training steps after them still do.
   */
  @Test
  void inferenceBetweenTrainingStepsMatchesDl4j() {
    ComputationGraph[] nets = pair("lstm", DataType.FLOAT);
    // the second step trains at the batch the inference just before it ran at: training must not take its buffers
    int[] sizes = {6, 6, 17};
    for (int step = 0; step < sizes.length; step++) {
      DataSet d = batch(sizes[step], 300 + step, mask("padding", sizes[step]));
      nets[0].fit(d);
      nets[1].fit(d);
      for (int size : new int[] {11, sizes[step]}) {
        DataSet probe = batch(size, 400 + step, null);
        INDArray want = Networks.output(nets[0], probe.getFeatures(), null);
        INDArray got = Networks.output(nets[1], probe.getFeatures(), null);
        FusedLayerChecks.assertClose(want, got, "outputs after step " + step + " at batch " + size, 1e-4);
      }
    }
    double diff = nets[0].params().sub(nets[1].params()).amaxNumber().doubleValue();
    assertTrue(diff < 1e-4, "parameters differ by " + diff + " after " + sizes.length + " steps");
  }

  /**
   * With input dropout: the same random masks (same seed, drawn once per step) give the same steps.
   * One layer: a mask is drawn in the memory order of the layer's input, and a second layer's input
   * (the first one's output) is laid out differently in the two networks, so its masks would differ.
   */
  @Test
  void trainingWithDropoutMatchesDl4j() {
    ComputationGraph[] nets = pair("lstm", DataType.FLOAT, List.of(7), 0.3);
    for (int step = 0; step < 3; step++) {
      DataSet d = batch(6, 200 + step, null);
      for (ComputationGraph net : nets) {
        Nd4j.getRandom().setSeed(300 + step);
        net.fit(d);
      }
    }
    double diff = nets[0].params().sub(nets[1].params()).amaxNumber().doubleValue();
    assertTrue(diff < 1e-4, "parameters differ by " + diff + " after 3 steps with dropout");
    ComputationGraph noDropout = pair("lstm", DataType.FLOAT, List.of(7), 0.0)[1];
    for (int step = 0; step < 3; step++) {
      noDropout.fit(batch(6, 200 + step, null));
    }
    assertTrue(noDropout.params().sub(nets[1].params()).amaxNumber().doubleValue() > 1e-4,
        "dropout changed nothing");
  }

  /** Double precision (gradient checks) runs DL4J's code inside the fused layer and gives its results. */
  @Test
  void doublePrecisionFallsBackToDl4j() {
    ComputationGraph[] nets = pair("lstm", DataType.DOUBLE);
    DataSet d = batch(4, 5, mask("padding", 4));
    INDArray expected = Networks.output(nets[0], d.getFeatures().castTo(DataType.DOUBLE),
        d.getFeaturesMaskArray().castTo(DataType.DOUBLE));
    INDArray actual = Networks.output(nets[1], d.getFeatures().castTo(DataType.DOUBLE),
        d.getFeaturesMaskArray().castTo(DataType.DOUBLE));
    assertEquals(expected, actual);
  }

  @Test
  void tanhAndSigmoidKernelsAreAccurate() {
    int n = 400_001;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -20f + 40f * i / (n - 1);
    }
    float[] tanh = new float[n];
    LstmKernels.tanh(x, tanh, n);
    float[] sigmoid = x.clone();
    LstmKernels.sigmoid(sigmoid, new float[n], n);
    double tanhError = 0;
    double sigmoidError = 0;
    for (int i = 0; i < n; i++) {
      tanhError = Math.max(tanhError, Math.abs(tanh[i] - Math.tanh(x[i])));
      sigmoidError = Math.max(sigmoidError, Math.abs(sigmoid[i] - 1 / (1 + Math.exp(-x[i]))));
      assertEquals(LstmKernels.tanh(x[i]), tanh[i], 0f, "loop and scalar tanh disagree at " + x[i]);
    }
    assertTrue(tanhError < 5e-7, "tanh error " + tanhError);
    assertTrue(sigmoidError < 3e-7, "sigmoid error " + sigmoidError);
  }
}

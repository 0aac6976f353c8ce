package org.seqml.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqml.model.FusedLayerChecks.batch;

import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
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
 * seqml's fused Transformer block computes what the SameDiff block computes (whose gradients
 * ModelFamiliesTest checks numerically): the same outputs, loss and gradients for the same parameters,
 * padding masks included, and the same parameters after training steps.
 */
class FusedTransformerTest {
  private static final int FEATURES = FusedLayerChecks.FEATURES;
  private static final int LENGTH = FusedLayerChecks.LENGTH;

  private static SeqmlConfig.Model model(String kernel, int heads) {
    SeqmlConfig.Model m = ModelFamiliesTest.model("transformer");
    return new SeqmlConfig.Model(m.family(), m.embedding(), m.hidden(), 4, 0.0, 0.01, 0.0, 0.0, 7,
        new SeqmlConfig.Transformer(2, heads, 8, 16, kernel), "auto", m.conv(), m.lstmKernel());
  }

  private static ComputationGraph[] pair(DataType precision, ModelFactory.Pooling pooling, int heads) {
    ComputationGraph sameDiff = ModelFactory.build(model("samediff", heads), ModelFactory.Input.vectors(FEATURES),
        LENGTH, pooling, 3, true, new Adam(0.01), precision);
    ComputationGraph fused = ModelFactory.build(model("fused", heads), ModelFactory.Input.vectors(FEATURES),
        LENGTH, pooling, 3, true, new Adam(0.01), precision);
    fused.setParams(sameDiff.params().dup());
    return new ComputationGraph[] {sameDiff, fused};
  }

  /** Example i has LENGTH - i real steps, then padding (none: no mask). */
  private static INDArray mask(boolean padded, int batch) {
    if (!padded) {
      return null;
    }
    INDArray m = Nd4j.ones(DataType.FLOAT, batch, LENGTH);
    for (int i = 0; i < batch; i++) {
      for (int t = LENGTH - i % LENGTH; t < LENGTH; t++) {
        m.putScalar(i, t, 0);
      }
    }
    return m;
  }

  /**
   * One block on its own, with and without a padding mask set on it: outputs, input errors, gradients.
   * "empty" also masks every step of one example.
   */
  @ParameterizedTest
  @CsvSource({"none, 2", "padding, 2", "padding, 1", "padding, 4", "empty, 2"})
  void blockMatchesSameDiff(String maskKind, int heads) {
    ComputationGraph[] nets = pair(DataType.FLOAT, ModelFactory.Pooling.LAST, heads);
    nets[0].initGradientsView();
    nets[1].initGradientsView();
    Layer sameDiff = nets[0].getLayer("block0");
    Layer fused = nets[1].getLayer("block0");
    assertInstanceOf(FusedTransformerLayer.class, fused);
    Nd4j.getRandom().setSeed(21);
    INDArray x = Nd4j.randn(DataType.FLOAT, 6, 8, LENGTH);
    INDArray m = mask(!maskKind.equals("none"), 6);
    if (maskKind.equals("empty")) {
      m.getRow(1).assign(0);
    }
    INDArray eps = Nd4j.randn(DataType.FLOAT, 6, 8, LENGTH);
    FusedLayerChecks.assertLayersAgree(sameDiff, fused, x, m, eps, 2e-4);
  }

  /** The input projection on its own: outputs, input errors (for an embedding or convolution below), gradients. */
  @Test
  void projectionMatchesSameDiff() {
    ComputationGraph[] nets = pair(DataType.FLOAT, ModelFactory.Pooling.LAST, 2);
    nets[0].initGradientsView();
    nets[1].initGradientsView();
    Layer[] layers = {nets[0].getLayer("position"), nets[1].getLayer("position")};
    assertInstanceOf(FusedProjectionLayer.class, layers[1]);
    Nd4j.getRandom().setSeed(31);
    INDArray x = Nd4j.randn(DataType.FLOAT, 6, FEATURES, LENGTH);
    INDArray eps = Nd4j.randn(DataType.FLOAT, 6, 8, LENGTH);
    FusedLayerChecks.assertLayersAgree(layers[0], layers[1], x, null, eps, 2e-4);
  }

  @ParameterizedTest
  @CsvSource({"LAST, false", "LAST, true", "MEAN, true"})
  void outputsLossAndGradientsMatchSameDiff(ModelFactory.Pooling pooling, boolean padded) {
    ComputationGraph[] nets = pair(DataType.FLOAT, pooling, 2);
    DataSet d = batch(6, 11, mask(padded, 6));
    FusedLayerChecks.assertNetworksAgree(nets[0], nets[1], d, 2e-4);
  }

  /** Adam steps on both, with the batch size changing between steps (the fused layer reuses buffers). */
  @Test
  void trainingStepsMatchSameDiff() {
    ComputationGraph[] nets = pair(DataType.FLOAT, ModelFactory.Pooling.LAST, 2);
    int[] sizes = {6, 6, 3, 8, 6};
    for (int step = 0; step < sizes.length; step++) {
      DataSet d = batch(sizes[step], 100 + step, mask(step % 2 == 0, sizes[step]));
      nets[0].fit(d);
      nets[1].fit(d);
    }
    for (String block : new String[] {"block0", "block1"}) {
      FusedTransformerLayer layer = (FusedTransformerLayer) nets[1].getLayer(block);
      assertTrue(layer.fusedForwards >= sizes.length && layer.fusedBackwards == sizes.length,
          block + " ran SameDiff: " + layer.fusedForwards + " fused forward and " + layer.fusedBackwards
              + " fused backward passes");
    }
    double diff = nets[0].params().sub(nets[1].params()).amaxNumber().doubleValue();
    assertTrue(diff < 1e-4, "parameters differ by " + diff + " after 5 steps");
    double moved = nets[0].params().sub(pair(DataType.FLOAT, ModelFactory.Pooling.LAST, 2)[0].params())
        .amaxNumber().doubleValue();
    assertTrue(moved > 1e-3, "the steps moved nothing");
  }

  /** Double precision (gradient checks) runs the SameDiff graph inside the fused layer and gives its results. */
  @Test
  void doublePrecisionFallsBackToSameDiff() {
    ComputationGraph[] nets = pair(DataType.DOUBLE, ModelFactory.Pooling.LAST, 2);
    DataSet d = batch(4, 5, mask(true, 4));
    INDArray expected = Networks.output(nets[0], d.getFeatures().castTo(DataType.DOUBLE),
        d.getFeaturesMaskArray().castTo(DataType.DOUBLE));
    INDArray actual = Networks.output(nets[1], d.getFeatures().castTo(DataType.DOUBLE),
        d.getFeaturesMaskArray().castTo(DataType.DOUBLE));
    assertEquals(expected, actual);
  }

  /** A fully padded example attends to every key alike, as the SameDiff block (see "empty" above). */
  @Test
  void softmaxMasksKeysAndTreatsAnEmptyExampleUniformly() {
    int t = 3;
    float[] mask = {1, 0, 1, 0, 0, 0}; // example 1 is all padding
    float[] p = {1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9}; // 2 examples, 1 head, 3 x 3
    float[] add = new float[t * t];
    float[] keep = new float[t * t];
    for (int ex = 0; ex < 2; ex++) {
      float[] block = java.util.Arrays.copyOfRange(p, ex * t * t, (ex + 1) * t * t);
      AttentionKernels.maskBlock(mask, ex, t, add, keep);
      AttentionKernels.softmax(block, t * t, t, add, keep, new float[t * t]);
      System.arraycopy(block, 0, p, ex * t * t, t * t);
    }
    for (int i = 0; i < t; i++) {
      assertEquals(0f, p[i * t + 1], "a masked key got weight");
      assertEquals(1f, p[i * t] + p[i * t + 2], 1e-6f);
      assertEquals(Math.exp(2) / (1 + Math.exp(2)), p[i * t + 2], 1e-5);
    }
    for (int i = t * t; i < 2 * t * t; i++) {
      assertEquals(1f / 3, p[i], 1e-6f);
    }
  }

  /**
   * Rows whose largest score lies far below other rows' of the same block (here up to 490 below, with a
   * masked key) match the exact per-row softmax: a shift shared by the block would underflow them.
   */
  @Test
  void softmaxMatchesExactRowsFarBelowTheBlockMaximum() {
    int t = 50;
    float[] mask = new float[t];
    java.util.Arrays.fill(mask, 1f);
    mask[3] = 0f;
    float[] add = new float[t * t];
    float[] keep = new float[t * t];
    AttentionKernels.maskBlock(mask, 0, t, add, keep);
    java.util.Random random = new java.util.Random(5);
    float[] scores = new float[t * t];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (float) (3 * random.nextGaussian()) - 10f * (i / t); // row r sits about 10 r below row 0
    }
    float[] p = scores.clone();
    AttentionKernels.softmax(p, t * t, t, add, keep, new float[t * t]);
    for (int row = 0; row < t; row++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < t; j++) {
        max = j == 3 ? max : Math.max(max, scores[row * t + j]);
      }
      double sum = 0;
      for (int j = 0; j < t; j++) {
        sum += j == 3 ? 0 : Math.exp(scores[row * t + j] - max);
      }
      for (int j = 0; j < t; j++) {
        double exact = j == 3 ? 0 : Math.exp(scores[row * t + j] - max) / sum;
        assertEquals(exact, p[row * t + j], 1e-4 * exact + 1e-20, "row " + row + " key " + j);
      }
    }
  }

  /** A peaked softmax leaves no subnormal weight or gradient (they slow every product that reads them). */
  @Test
  void softmaxLeavesNoSubnormals() {
    int t = 50;
    float[] p = new float[t * t];
    float[] dp = new float[t * t];
    for (int i = 0; i < p.length; i++) {
      p[i] = -0.9f * (i % t) * (i % 7); // scores down to -270 below the row's maximum
      dp[i] = 1e-3f * ((i * 31) % 17 - 8);
    }
    AttentionKernels.softmax(p, p.length, t, null, null, new float[p.length]);
    AttentionKernels.softmaxBack(p, dp, p.length, t, new float[p.length]);
    for (int i = 0; i < p.length; i++) {
      assertTrue(p[i] == 0f || p[i] >= Float.MIN_NORMAL, "subnormal weight " + p[i]);
      assertTrue(dp[i] == 0f || Math.abs(dp[i]) >= Float.MIN_NORMAL, "subnormal gradient " + dp[i]);
    }
    for (int row = 0; row < t; row++) {
      float sum = 0f;
      for (int j = 0; j < t; j++) {
        sum += p[row * t + j];
      }
      assertEquals(1f, sum, 1e-5f);
    }
    float[] tiny = new float[t * t]; // weights and gradients whose products are subnormal
    float[] dTiny = new float[t * t];
    java.util.Arrays.fill(tiny, 1e-20f);
    for (int i = 0; i < dTiny.length; i++) {
      dTiny[i] = 1e-20f * (i % 3);
    }
    AttentionKernels.softmaxBack(tiny, dTiny, tiny.length, t, new float[tiny.length]);
    for (float g : dTiny) {
      assertTrue(g == 0f || Math.abs(g) >= Float.MIN_NORMAL, "subnormal gradient " + g);
    }
  }

  @Test
  void expIsAccurateOnTheSoftmaxRange() {
    double worst = 0;
    for (int i = 0; i <= 1_000_000; i++) {
      float x = -87f * i / 1_000_000f;
      worst = Math.max(worst, Math.abs(AttentionKernels.exp(x) - Math.exp(x)) / Math.exp(x));
    }
    assertTrue(worst < 2e-5, "relative error " + worst);
    assertEquals(1f, AttentionKernels.exp(0f), 1e-6f);
    assertTrue(AttentionKernels.exp(-1e30f) < 1e-37f);
  }

  @Test
  void reluBackKeepsTheGradientWhereTheUnitIsOn() {
    float[] d = {1, 2, 3, 4, 5};
    AttentionKernels.reluBack(d, new float[] {0.5f, 0f, 1e-40f, -0f, -2f}, 5);
    assertEquals(List.of(1f, 0f, 3f, 0f, 0f), List.of(d[0], d[1], d[2], d[3], d[4]));
  }

  /**
   * model.dropout drops each block's input while training only: inference is the same network's, training
   * steps differ from those without it, and the blocks still run fused.
   */
  @Test
  void dropoutActsInTrainingOnly() {
    SeqmlConfig.Model m = model("fused", 2);
    SeqmlConfig.Model dropped = new SeqmlConfig.Model(m.family(), m.embedding(), m.hidden(), m.dense(), 0.3,
        m.learningRate(), m.l2(), m.gradientClip(), m.seed(), m.transformer(), m.pooling(), m.conv(), m.lstmKernel());
    ComputationGraph plain = ModelFactory.build(m, ModelFactory.Input.vectors(FEATURES), LENGTH,
        ModelFactory.Pooling.LAST, 3, true, new Adam(0.01), DataType.FLOAT);
    ComputationGraph withDropout = ModelFactory.build(dropped, ModelFactory.Input.vectors(FEATURES), LENGTH,
        ModelFactory.Pooling.LAST, 3, true, new Adam(0.01), DataType.FLOAT);
    withDropout.setParams(plain.params().dup());
    org.nd4j.linalg.dataset.DataSet d = FusedLayerChecks.batch(6, 31, mask(true, 6));
    FusedLayerChecks.assertClose(Networks.output(plain, d.getFeatures(), d.getFeaturesMaskArray()),
        Networks.output(withDropout, d.getFeatures(), d.getFeaturesMaskArray()), "inference", 1e-6);
    for (int step = 0; step < 3; step++) {
      plain.fit(d);
      withDropout.fit(d);
    }
    assertTrue(plain.params().sub(withDropout.params()).amaxNumber().doubleValue() > 1e-4, "dropout changed nothing");
    FusedTransformerLayer block = (FusedTransformerLayer) withDropout.getLayer("block0");
    assertTrue(block.fusedBackwards == 3, "the block ran the SameDiff graph");
  }
}

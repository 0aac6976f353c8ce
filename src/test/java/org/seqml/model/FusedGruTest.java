package org.seqml.model;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.seqml.config.SeqmlConfig;

/**
 * The fused GRU against its SameDiff graph (the reference: PyTorch's equations written out op by op), with
 * the same parameters: outputs, loss and every gradient to float rounding, the same parameters after
 * training steps at changing batch sizes; and the SameDiff graph's own analytic gradients against numeric
 * ones in double precision.
 */
class FusedGruTest {
  private static final int FEATURES = FusedLayerChecks.FEATURES;
  private static final int LENGTH = FusedLayerChecks.LENGTH;

  static SeqmlConfig.Model model(String family, String kernel, List<Integer> hidden) {
    SeqmlConfig.Model m = ModelFamiliesTest.model(family);
    return new SeqmlConfig.Model(family, m.embedding(), hidden, 4, 0.0, 0.01, 0.0, 0.0, 7, m.transformer(), "auto",
        m.conv(), "fused", kernel);
  }

  private static ComputationGraph[] pair(String family, DataType precision) {
    ComputationGraph reference = ModelFactory.build(model(family, "samediff", List.of(7, 6)),
        ModelFactory.Input.vectors(FEATURES), LENGTH, ModelFactory.Pooling.LAST, 3, true, new Adam(0.01), precision);
    ComputationGraph fused = ModelFactory.build(model(family, "fused", List.of(7, 6)),
        ModelFactory.Input.vectors(FEATURES), LENGTH, ModelFactory.Pooling.LAST, 3, true, new Adam(0.01), precision);
    fused.setParams(reference.params().dup());
    return new ComputationGraph[] {reference, fused};
  }

  private static INDArray padding(int batch) {
    INDArray m = Nd4j.ones(DataType.FLOAT, batch, LENGTH);
    for (int i = 0; i < batch; i++) {
      for (int t = LENGTH - i % LENGTH; t < LENGTH; t++) {
        m.putScalar(i, t, 0);
      }
    }
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gru", "bigru"})
  void outputsLossAndGradientsMatchTheReference(String family) {
    ComputationGraph[] nets = pair(family, DataType.FLOAT);
    assertInstanceOf(FusedGruLayer.class, nets[1].getLayer("rnn0"));
    // 19 rows: two row blocks of the recurrent products and a remainder (NativeGemm.ROW_BLOCK)
    FusedLayerChecks.assertNetworksAgree(nets[0], nets[1], FusedLayerChecks.batch(19, 11, padding(19)), 1e-4);
  }

  /** Adam steps on both at changing batch sizes, with inference between them: the same parameters after. */
  @Test
  void trainingStepsMatchTheReference() {
    ComputationGraph[] nets = pair("gru", DataType.FLOAT);
    int[] sizes = {6, 17, 17, 3, 19};
    for (int step = 0; step < sizes.length; step++) {
      DataSet d = FusedLayerChecks.batch(sizes[step], 100 + step, step % 2 == 0 ? padding(sizes[step]) : null);
      nets[0].fit(d);
      nets[1].fit(d);
      DataSet probe = FusedLayerChecks.batch(11, 400 + step, null);
      FusedLayerChecks.assertClose(Networks.output(nets[0], probe.getFeatures(), null),
          Networks.output(nets[1], probe.getFeatures(), null), "outputs after step " + step, 1e-4);
    }
    for (String layer : new String[] {"rnn0", "rnn1"}) {
      FusedGruLayer fused = (FusedGruLayer) nets[1].getLayer(layer);
      assertTrue(fused.fusedForwards >= sizes.length && fused.fusedBackwards == sizes.length,
          layer + " ran the SameDiff graph: " + fused.fusedForwards + " fused forward and " + fused.fusedBackwards
              + " fused backward passes");
    }
    double diff = nets[0].params().sub(nets[1].params()).amaxNumber().doubleValue();
    assertTrue(diff < 1e-4, "parameters differ by " + diff + " after " + sizes.length + " steps");
    assertTrue(nets[0].params().sub(pair("gru", DataType.FLOAT)[0].params()).amaxNumber().doubleValue() > 1e-3,
        "the steps moved nothing");
  }

  /** The reference's analytic gradients (every GRU parameter, both layers) against numeric ones. */
  @Test
  void referenceGradientsAreRight() {
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      Nd4j.getRandom().setSeed(3);
      SeqmlConfig.Model m = model("gru", "samediff", List.of(4, 3));
      m = new SeqmlConfig.Model(m.family(), m.embedding(), m.hidden(), 0, 0, m.learningRate(), 0, 0, m.seed(),
          m.transformer(), "auto", m.conv(), m.lstmKernel(), m.gruKernel());
      ComputationGraph net = ModelFactory.build(m, ModelFactory.Input.vectors(3), 5, ModelFactory.Pooling.MEAN, 2,
          true, new NoOp(), DataType.DOUBLE);
      INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 3, 5);
      INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {1, 1, 0, 0, 0}});
      INDArray y = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {1, 0}});
      assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
          .inputs(new INDArray[] {x}).labels(new INDArray[] {y}).inputMask(new INDArray[] {mask})
          .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)),
          "gradient check failed");
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
  }
}

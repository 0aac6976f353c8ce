package org.seqml.model;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.seqml.config.SeqmlConfig;

/**
 * The fused 1-D convolution and max-pool against DL4J's own layers (the reference; their gradients are
 * checked against numeric ones in ModelFamiliesTest), with the same parameters: outputs, input errors and
 * gradients to float rounding for one layer of each and for whole cnn networks (dilation, pooling, normalisation, padded batches), and
 * the same parameters after training steps at changing batch sizes.
 */
class FusedConvTest {
  private static final int FEATURES = FusedLayerChecks.FEATURES;
  private static final int LENGTH = FusedLayerChecks.LENGTH;

  private static SeqmlConfig.Model model(String norm, String kernel) {
    SeqmlConfig.Model m = ModelFamiliesTest.model("cnn");
    return ModelFamiliesTest.withConv(new SeqmlConfig.Model("cnn", m.embedding(), m.hidden(), 4, 0.0, 0.01, 0.0,
        0.0, 7, m.transformer(), "auto", m.conv(), "fused"), new SeqmlConfig.Conv(List.of(6, 5), List.of(3, 5),
        List.of(1, 2), List.of(2, 1), norm, "leakyrelu", 0.0, kernel));
  }

  private static ComputationGraph[] pair(String norm) {
    ComputationGraph reference = ModelFactory.build(model(norm, "dl4j"), ModelFactory.Input.vectors(FEATURES),
        LENGTH, ModelFactory.Pooling.FLATTEN, 3, true, new Adam(0.01), DataType.FLOAT);
    ComputationGraph fused = ModelFactory.build(model(norm, "fused"), ModelFactory.Input.vectors(FEATURES),
        LENGTH, ModelFactory.Pooling.FLATTEN, 3, true, new Adam(0.01), DataType.FLOAT);
    fused.setParams(reference.params().dup());
    return new ComputationGraph[] {reference, fused};
  }

  private static INDArray padding(int batch) {
    INDArray m = Nd4j.ones(DataType.FLOAT, batch, LENGTH);
    for (int i = 0; i < batch; i++) {
      for (int t = LENGTH - i % 5; t < LENGTH; t++) {
        m.putScalar(i, t, 0);
      }
    }
    return m;
  }

  /** One layer with an activation of its own, a dilation wider than a short input and a mask on the layer. */
  @ParameterizedTest
  @ValueSource(ints = {1, 3, 5})
  void oneLayerMatchesDl4j(int dilation) {
    Convolution1DLayer conf = new Convolution1DLayer.Builder().nIn(4).nOut(7).kernelSize(5).dilation(dilation)
        .convolutionMode(ConvolutionMode.Same).rnnDataFormat(RNNFormat.NCW).activation(Activation.TANH).build();
    ComputationGraph[] nets = new ComputationGraph[2];
    for (int i = 0; i < 2; i++) {
      nets[i] = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(5)
          .graphBuilder().addInputs("in").addLayer("conv", i == 0 ? conf.clone() : FusedConv1D.of((Convolution1DLayer) conf.clone()), "in")
          .setOutputs("conv").build());
      nets[i].init();
      nets[i].initGradientsView();
    }
    nets[1].setParams(nets[0].params().dup());
    assertInstanceOf(FusedConv1DLayer.class, nets[1].getLayer("conv"));
    Nd4j.getRandom().setSeed(dilation);
    INDArray x = Nd4j.randn(DataType.FLOAT, 3, 4, 11);
    INDArray mask = Nd4j.ones(DataType.FLOAT, 3, 11);
    mask.putScalar(1, 10, 0);
    mask.putScalar(2, 9, 0);
    mask.putScalar(2, 10, 0);
    INDArray eps = Nd4j.randn(DataType.FLOAT, 3, 7, 11);
    FusedLayerChecks.assertLayersAgree(nets[0].getLayer("conv"), nets[1].getLayer("conv"), x, mask, eps, 1e-5);
    FusedConv1DLayer fused = (FusedConv1DLayer) nets[1].getLayer("conv");
    assertTrue(fused.fusedForwards == 1 && fused.fusedBackwards == 1, "the layer fell back to DL4J's");
  }

  /** One max-pool layer (pools of 3 over 11 positions: a remainder dropped) with a mask on the layer. */
  @Test
  void oneMaxPoolMatchesDl4j() {
    Subsampling1DLayer conf = new Subsampling1DLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(3)
        .stride(3).convolutionMode(ConvolutionMode.Truncate).build();
    ComputationGraph[] nets = new ComputationGraph[2];
    for (int i = 0; i < 2; i++) {
      nets[i] = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
          .addInputs("in").addLayer("pool", i == 0 ? conf.clone() : FusedMaxPool1D.of(conf.clone()), "in")
          .setOutputs("pool").build());
      nets[i].init();
      nets[i].initGradientsView();
    }
    assertInstanceOf(FusedMaxPool1DLayer.class, nets[1].getLayer("pool"));
    Nd4j.getRandom().setSeed(9);
    INDArray x = Nd4j.randn(DataType.FLOAT, 3, 4, 11);
    INDArray mask = Nd4j.ones(DataType.FLOAT, 3, 11);
    for (int t = 5; t < 11; t++) {
      mask.putScalar(1, t, 0); // the second pool partly masked, the third wholly
    }
    for (int t = 3; t < 11; t++) {
      mask.putScalar(2, t, 0);
    }
    INDArray eps = Nd4j.randn(DataType.FLOAT, 3, 4, 3);
    FusedLayerChecks.assertLayersAgree(nets[0].getLayer("pool"), nets[1].getLayer("pool"), x, mask, eps, 1e-6);
    FusedMaxPool1DLayer fused = (FusedMaxPool1DLayer) nets[1].getLayer("pool");
    assertTrue(fused.fusedForwards == 1 && fused.fusedBackwards == 1, "the layer fell back to DL4J's");
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "layer", "batch"})
  void networksMatchDl4j(String norm) {
    ComputationGraph[] nets = pair(norm);
    // Before batch norm the convolution's bias gradient is zero but for rounding (the norm subtracts the mean).
    FusedLayerChecks.assertNetworksAgree(nets[0], nets[1], FusedLayerChecks.batch(13, 11, padding(13)),
        norm.equals("batch") ? 1e-3 : 1e-4);
  }

  /** Adam steps on both at changing batch sizes, with inference between them: the same parameters after. */
  @Test
  void trainingStepsMatchDl4j() {
    ComputationGraph[] nets = pair("none");
    int[] sizes = {6, 17, 17, 3, 19};
    for (int step = 0; step < sizes.length; step++) {
      DataSet d = FusedLayerChecks.batch(sizes[step], 100 + step, step % 2 == 0 ? padding(sizes[step]) : null);
      nets[0].fit(d);
      nets[1].fit(d);
      DataSet probe = FusedLayerChecks.batch(11, 400 + step, null);
      FusedLayerChecks.assertClose(Networks.output(nets[0], probe.getFeatures(), null),
          Networks.output(nets[1], probe.getFeatures(), null), "outputs after step " + step, 1e-4);
    }
    for (String layer : new String[] {"conv", "conv1"}) {
      FusedConv1DLayer fused = (FusedConv1DLayer) nets[1].getLayer(layer);
      assertTrue(fused.fusedForwards >= sizes.length && fused.fusedBackwards == sizes.length,
          layer + " ran DL4J's code: " + fused.fusedForwards + " fused forward and " + fused.fusedBackwards
              + " fused backward passes");
    }
    FusedMaxPool1DLayer pool = (FusedMaxPool1DLayer) nets[1].getLayer("conv-pool");
    assertTrue(pool.fusedBackwards == sizes.length, "the max-pool ran DL4J's code");
    double diff = nets[0].params().sub(nets[1].params()).amaxNumber().doubleValue();
    assertTrue(diff < 1e-4, "parameters differ by " + diff + " after " + sizes.length + " steps");
    assertTrue(nets[0].params().sub(pair("none")[0].params()).amaxNumber().doubleValue() > 1e-3,
        "the steps moved nothing");
  }
}

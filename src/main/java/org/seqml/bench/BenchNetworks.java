package org.seqml.bench;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seqml.config.SeqmlConfig;
import org.seqml.model.ModelFactory;

/** The networks and random minibatches the step benchmarks train. */
final class BenchNetworks {
  static final int BATCH = 64;
  static final int LENGTH = 50;
  static final int FEATURES = 8;
  static final int HORIZON = 3;

  private BenchNetworks() {}

  /** The config of the ticks pipeline with overrides; the product's own builders read it. */
  static SeqmlConfig config(String... overrides) {
    return BenchConfig.load(null, List.of(overrides));
  }

  /** The project's LSTM forecaster: 2 x 128 LSTM, last step, linear output; Adam 1e-3, no L2, no clipping. */
  static MultiLayerNetwork lstm() {
    SeqmlConfig c = config("model.hidden=[128,128]", "model.dense=0", "model.l2=0", "model.gradient-clip=0",
        "model.learning-rate=0.001");
    return ModelFactory.forecaster(c.model(), FEATURES, LENGTH, HORIZON);
  }

  /**
   * Bench-only Transformer encoder built from DL4J's SelfAttentionLayer (the project has no
   * Transformer family yet): a per-step projection to d, then per block multi-head self-attention
   * (projected Q, K, V and output) and a position-wise feed-forward (d -> ff ReLU -> d), mean over
   * time, linear output. No residuals or layer norm (a MultiLayerNetwork cannot add them); the
   * PyTorch side (bench/torch_step.py, transformer-plain) has exactly the same layers.
   */
  static MultiLayerNetwork plainTransformer(int d, int heads, int ff, int blocks) {
    NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
        .seed(42).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list();
    list.layer(new DenseLayer.Builder().nIn(FEATURES).nOut(d).activation(Activation.IDENTITY).build());
    for (int b = 0; b < blocks; b++) {
      list.layer(new SelfAttentionLayer.Builder().nIn(d).nOut(d).nHeads(heads).headSize(d / heads)
          .projectInput(true).build());
      list.layer(new DenseLayer.Builder().nIn(d).nOut(ff).activation(Activation.RELU).build());
      list.layer(new DenseLayer.Builder().nIn(ff).nOut(d).activation(Activation.IDENTITY).build());
    }
    list.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
    list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(d).nOut(HORIZON)
        .activation(Activation.IDENTITY).build());
    MultiLayerConfiguration conf = list.setInputType(InputType.recurrent(FEATURES, LENGTH)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /** A few random minibatches [batch, features, length] (DL4J's NCW) with [batch, horizon] labels. */
  static List<DataSet> randomBatches(int count, int batch, int features, int length, int horizon) {
    Nd4j.getRandom().setSeed(7);
    List<DataSet> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new DataSet(Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, batch, features, length),
          Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, batch, horizon)));
    }
    return out;
  }
}

package org.seqml.model;

import java.util.List;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seqml.config.SeqmlConfig;

/**
 * Builds the network named by model.family for a task. lstm, forecast: stacked LSTM layers over the
 * window, the last time step of the top layer, an optional dense layer, and a linear output of H
 * values (the multi-horizon forecast), trained on mean squared error of standardised targets.
 */
public final class ModelFactory {
  private ModelFactory() {}

  /**
   * The next-event network (after DeepLog, Du et al., CCS 2017): event ids embedded, stacked LSTM
   * layers, the last time step, and a softmax over the vocabulary's classes.
   */
  public static MultiLayerNetwork nextEvent(SeqmlConfig.Model m, int classes, int history) {
    if (!m.family().equals("lstm")) {
      throw new IllegalArgumentException("model.family " + m.family() + " is not built yet");
    }
    NeuralNetConfiguration.ListBuilder list = base(m).list();
    list.layer(new EmbeddingSequenceLayer.Builder().nIn(classes).nOut(m.embedding()).inputLength(history).build());
    int in = m.embedding();
    List<Integer> hidden = m.hidden();
    for (int i = 0; i < hidden.size(); i++) {
      LSTM.Builder lstm = new LSTM.Builder().nIn(in).nOut(hidden.get(i)).activation(Activation.TANH);
      if (m.dropout() > 0) {
        lstm.dropOut(1.0 - m.dropout());
      }
      list.layer(i == hidden.size() - 1 ? new LastTimeStep(lstm.build()) : lstm.build());
      in = hidden.get(i);
    }
    list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .nIn(in).nOut(classes).activation(Activation.SOFTMAX).build());
    // No setInputType: it would reset the embedding's nIn to the one input channel.
    MultiLayerNetwork net = new MultiLayerNetwork(list.build());
    net.init();
    return net;
  }

  private static NeuralNetConfiguration.Builder base(SeqmlConfig.Model m) {
    NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
        .seed(m.seed())
        .optimizationAlgo(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT)
        .updater(new Adam(m.learningRate()))
        .weightInit(WeightInit.XAVIER)
        .l2(m.l2());
    if (m.gradientClip() > 0) {
      base.gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
          .gradientNormalizationThreshold(m.gradientClip());
    }
    return base;
  }

  public static MultiLayerNetwork forecaster(SeqmlConfig.Model m, int features, int windowSize, int horizon) {
    if (!m.family().equals("lstm")) {
      throw new IllegalArgumentException("model.family " + m.family() + " is not built yet");
    }
    NeuralNetConfiguration.ListBuilder list = base(m).list();
    List<Integer> hidden = m.hidden();
    int in = features;
    for (int i = 0; i < hidden.size(); i++) {
      LSTM.Builder lstm = new LSTM.Builder().nIn(in).nOut(hidden.get(i)).activation(Activation.TANH);
      if (m.dropout() > 0) {
        lstm.dropOut(1.0 - m.dropout()); // DL4J takes the retain probability
      }
      boolean top = i == hidden.size() - 1;
      list.layer(top ? new LastTimeStep(lstm.build()) : lstm.build());
      in = hidden.get(i);
    }
    if (m.dense() > 0) {
      list.layer(new DenseLayer.Builder().nIn(in).nOut(m.dense()).activation(Activation.RELU).build());
      in = m.dense();
    }
    list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
        .nIn(in).nOut(horizon).activation(Activation.IDENTITY).build());
    MultiLayerConfiguration conf = list.setInputType(InputType.recurrent(features, windowSize)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }
}

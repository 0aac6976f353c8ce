package org.seqml.bench;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
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

  /**
   * The project's LSTM forecaster: 2 x 128 LSTM, last step, linear output; Adam 1e-3, no L2, no
   * clipping; {@code kernel} is model.lstm-kernel (fused, seqml's default, or dl4j).
   */
  static ComputationGraph lstm(String kernel) {
    SeqmlConfig c = config("model.hidden=[128,128]", "model.dense=0", "model.l2=0", "model.gradient-clip=0",
        "model.learning-rate=0.001", "model.lstm-kernel=" + kernel);
    return ModelFactory.forecaster(c.model(), FEATURES, LENGTH, HORIZON);
  }

  /**
   * The project's Transformer forecaster: projection to d-model plus sinusoidal positions, 2 encoder
   * blocks (4 heads, d = 64, feed-forward 128; post-norm, residuals), last time step, linear output;
   * {@code kernel} is model.transformer.kernel (fused, seqml's default, or samediff).
   */
  static ComputationGraph transformer(String kernel) {
    SeqmlConfig c = config("model.family=transformer", "model.transformer.blocks=2", "model.transformer.heads=4",
        "model.transformer.d-model=64", "model.transformer.feed-forward=128", "model.dense=0", "model.l2=0",
        "model.gradient-clip=0", "model.learning-rate=0.001", "model.transformer.kernel=" + kernel);
    return ModelFactory.forecaster(c.model(), FEATURES, LENGTH, HORIZON);
  }

  /** The project's GRU forecaster: 2 x 128 GRU, last step, linear output; {@code kernel} is model.gru-kernel. */
  static ComputationGraph gru(String kernel) {
    SeqmlConfig c = config("model.family=gru", "model.hidden=[128,128]", "model.dense=0", "model.l2=0",
        "model.gradient-clip=0", "model.learning-rate=0.001", "model.gru-kernel=" + kernel);
    return ModelFactory.forecaster(c.model(), FEATURES, LENGTH, HORIZON);
  }

  /**
   * The project's cnn forecaster: two blocks of 64 filters 5 wide (leaky ReLU, max-pool 2), flatten, linear;
   * {@code kernel} is model.conv-kernel (fused, seqml's default, or dl4j).
   */
  static ComputationGraph cnn(String kernel) {
    SeqmlConfig c = config("model.family=cnn", "model.conv.filters=[64,64]", "model.conv.kernel=5",
        "model.conv.pool=2", "model.pooling=flatten", "model.dense=0", "model.l2=0", "model.gradient-clip=0",
        "model.learning-rate=0.001", "model.conv-kernel=" + kernel);
    return ModelFactory.forecaster(c.model(), FEATURES, LENGTH, HORIZON);
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

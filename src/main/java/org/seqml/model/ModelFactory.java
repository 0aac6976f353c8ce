package org.seqml.model;

import java.util.List;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seqml.config.SeqmlConfig;

/**
 * Builds the network named by model.family for a task, always as a ComputationGraph with one input
 * "in" (and its mask) and one output "out", so training, checkpoints and scoring have one path.
 *
 * <ul>
 *   <li>cnn: model.conv's blocks alone ({@link ConvBlocks}); with another family they are its front end.
 *   <li>lstm: stacked LSTM layers; bilstm: each layer run forwards and over the reversed real steps
 *       (outputs concatenated).
 *   <li>transformer: a projection of each position to d-model plus sinusoidal positions, then N
 *       {@link TransformerBlock}s (multi-head self-attention, residual, layer norm, feed-forward).
 * </ul>
 *
 * Then a pooling (the last real time step, the mean or max over real ones, or every position flattened), an optional dense
 * layer, and the task head: H linear outputs on mean squared error (forecast) or a softmax over
 * classes on cross-entropy (next event/token, sequence class). Padded positions never reach real
 * ones: the input mask reaches the attention and the pooling, bilstm reverses only the real steps,
 * and the (causal) LSTM layers see padding only after an example's real steps (DL4J's ComputationGraph
 * does not hand them the mask; FusedLstmTest).
 */
public final class ModelFactory {
  public static final String INPUT = "in";
  public static final String OUTPUT = "out";
  public static final List<String> FAMILIES = SeqmlConfig.MODEL_FAMILIES;

  /** What one input position is: a token id (embedded) or a vector of {@code size} values. */
  public record Input(int size, boolean tokens) {
    public static Input tokens(int vocabulary) {
      return new Input(vocabulary, true);
    }

    public static Input vectors(int size) {
      return new Input(size, false);
    }
  }

  /** How the sequence of top-layer outputs becomes one vector. */
  public enum Pooling { LAST, MEAN, MAX, FLATTEN;

    /**
     * model.pooling, with auto resolved to {@code whenAuto}; flatten for the cnn family, and in place of
     * last when the convolution blocks pool (last reads the input's own mask, which pooling shortens).
     */
    public static Pooling of(SeqmlConfig.Model m, Pooling whenAuto) {
      if (!m.pooling().equals("auto")) {
        return valueOf(m.pooling().toUpperCase(java.util.Locale.ROOT));
      }
      return m.family().equals("cnn") || (whenAuto == LAST && m.conv().pools()) ? FLATTEN : whenAuto;
    }
  }

  private ModelFactory() {}

  /** Multi-horizon regression of a window of feature vectors: H standardised targets. */
  public static ComputationGraph forecaster(SeqmlConfig.Model m, int features, int windowSize, int horizon) {
    return forecaster(m, features, windowSize, horizon, new double[0]);
  }

  /**
   * As {@link #forecaster(SeqmlConfig.Model, int, int, int)}, with a quantile head when {@code levels} are
   * given: H x Q outputs (step-major: output h * Q + q is level q of step h) trained on the pinball loss.
   */
  public static ComputationGraph forecaster(SeqmlConfig.Model m, int features, int windowSize, int horizon,
      double[] levels) {
    return build(m, Input.vectors(features), windowSize, Pooling.of(m, Pooling.LAST),
        horizon * Math.max(1, levels.length), false, levels.length == 0 ? null : new PinballLoss(levels),
        new Adam(m.learningRate()), DataType.FLOAT);
  }

  /** The next-event network (after DeepLog, Du et al., CCS 2017): a history of event ids to a softmax. */
  public static ComputationGraph nextEvent(SeqmlConfig.Model m, int classes, int history) {
    return build(m, Input.tokens(classes), history, Pooling.of(m, Pooling.LAST), classes, true);
  }

  /** A sequence to one of {@code classes} (padded positions masked). */
  public static ComputationGraph classifier(SeqmlConfig.Model m, Input input, int length, int classes,
      Pooling pooling) {
    return build(m, input, length, pooling, classes, true);
  }

  static ComputationGraph build(SeqmlConfig.Model m, Input input, int length, Pooling pooling, int outputs,
      boolean softmax) {
    return build(m, input, length, pooling, outputs, softmax, null, new Adam(m.learningRate()), DataType.FLOAT);
  }

  /** With the updater and precision given: gradient checks need plain SGD in double precision. */
  static ComputationGraph build(SeqmlConfig.Model m, Input input, int length, Pooling pooling, int outputs,
      boolean softmax, IUpdater updater, DataType precision) {
    return build(m, input, length, pooling, outputs, softmax, null, updater, precision);
  }

  /** A regression head with {@code loss} in place of MSE when it is given. */
  static ComputationGraph build(SeqmlConfig.Model m, Input input, int length, Pooling pooling, int outputs,
      boolean softmax, org.nd4j.linalg.lossfunctions.ILossFunction loss, IUpdater updater, DataType precision) {
    ComputationGraphConfiguration.GraphBuilder g = base(m, updater).dataType(precision).graphBuilder()
        .addInputs(INPUT);
    String top = INPUT;
    int width = input.size();
    if (input.tokens()) {
      // Token ids [batch, 1, T]; no setInputTypes anywhere: it would reset the embedding's nIn to 1.
      g.addLayer("embed", new EmbeddingSequenceLayer.Builder().nIn(input.size()).nOut(m.embedding())
          .inputLength(length).build(), top);
      top = "embed";
      width = m.embedding();
    }
    if (m.conv().enabled()) {
      ConvBlocks.Top conv = ConvBlocks.add(g, m.conv(), top, width, length);
      top = conv.name();
      width = conv.width();
      length = conv.length();
    }
    switch (m.family()) {
      case "lstm", "bilstm" -> {
        List<Integer> hidden = m.hidden();
        for (int i = 0; i < hidden.size(); i++) {
          LSTM.Builder lstm = new LSTM.Builder().nIn(width).nOut(hidden.get(i)).activation(Activation.TANH);
          if (m.dropout() > 0) {
            lstm.dropOut(1.0 - m.dropout()); // DL4J takes the retain probability
          }
          LSTM layer = m.fusedLstm() ? FusedLstm.of(lstm.build()) : lstm.build();
          g.addLayer("rnn" + i, layer, top);
          if (m.family().equals("bilstm")) {
            // Not DL4J's Bidirectional wrapper: it reverses padding into the front of the backward
            // pass, so padded positions change the output. ReverseTimeSeriesVertex reverses only
            // each example's real steps.
            // After a pool the input's mask no longer fits the positions: whole windows are reversed.
            String mask = m.conv().pools() ? null : INPUT;
            g.addVertex("reverse" + i, new ReverseTimeSeriesVertex(mask), top);
            g.addLayer("back" + i, m.fusedLstm() ? FusedLstm.of(lstm.build()) : lstm.build(), "reverse" + i);
            g.addVertex("unreverse" + i, new ReverseTimeSeriesVertex(mask), "back" + i);
            g.addVertex("both" + i, new MergeVertex(), "rnn" + i, "unreverse" + i);
            top = "both" + i;
            width = 2 * hidden.get(i);
          } else {
            top = "rnn" + i;
            width = hidden.get(i);
          }
        }
      }
      case "gru", "bigru" -> {
        // After a pool the input's mask no longer fits the positions: whole windows are reversed.
        String mask = m.conv().pools() ? null : INPUT;
        for (int i = 0; i < m.hidden().size(); i++) {
          int units = m.hidden().get(i);
          g.addLayer("rnn" + i, gru(m, width, units, length), top);
          if (m.family().equals("bigru")) {
            g.addVertex("reverse" + i, new ReverseTimeSeriesVertex(mask), top);
            g.addLayer("back" + i, gru(m, width, units, length), "reverse" + i);
            g.addVertex("unreverse" + i, new ReverseTimeSeriesVertex(mask), "back" + i);
            g.addVertex("both" + i, new MergeVertex(), "rnn" + i, "unreverse" + i);
            top = "both" + i;
            width = 2 * units;
          } else {
            top = "rnn" + i;
            width = units;
          }
        }
      }
      case "transformer" -> {
        SeqmlConfig.Transformer t = m.transformer();
        g.addLayer("position", t.fused() ? new FusedPositionalProjection(width, t.model(), length)
            : new PositionalProjection(width, t.model(), length), top);
        top = "position";
        for (int i = 0; i < t.blocks(); i++) {
          TransformerBlock block = t.fused()
              ? new FusedTransformerBlock(t.model(), t.heads(), t.feedForward(), length)
              : new TransformerBlock(t.model(), t.heads(), t.feedForward(), length);
          if (m.dropout() > 0) { // on each block's input, in the fused layer (the SameDiff graph has none)
            block.setIDropout(new org.deeplearning4j.nn.conf.dropout.Dropout(1.0 - m.dropout()));
          }
          g.addLayer("block" + i, block, top);
          top = "block" + i;
        }
        width = t.model();
      }
      case "cnn" -> {
        if (!m.conv().enabled()) {
          throw new IllegalArgumentException("model.family cnn needs model.conv.filters");
        }
      }
      default -> throw new IllegalArgumentException("model.family " + m.family() + " is not one of " + FAMILIES);
    }
    if (pooling == Pooling.FLATTEN) {
      g.addLayer("pool-in", new PositionMask(), top); // padded positions zero, so their weights see nothing
      g.addVertex("pool", new PreprocessorVertex(new FlattenPositions(width, length)), "pool-in");
      width *= length;
    } else if (pooling == Pooling.LAST) {
      g.addVertex("pool", new LastTimeStepVertex(INPUT), top); // the last unmasked step of each example
    } else {
      g.addLayer("pool", new GlobalPoolingLayer.Builder(pooling == Pooling.MAX ? PoolingType.MAX : PoolingType.AVG)
          .collapseDimensions(true).build(), top);
    }
    top = "pool";
    if (m.dense() > 0) {
      g.addLayer("dense", new DenseLayer.Builder().nIn(width).nOut(m.dense()).activation(Activation.RELU).build(), top);
      top = "dense";
      width = m.dense();
    }
    OutputLayer out = softmax
        ? new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(width).nOut(outputs)
            .activation(Activation.SOFTMAX).build()
        : (loss == null ? new OutputLayer.Builder(LossFunctions.LossFunction.MSE) : new OutputLayer.Builder(loss))
            .nIn(width).nOut(outputs).activation(Activation.IDENTITY).build();
    g.addLayer(OUTPUT, out, top).setOutputs(OUTPUT);
    ComputationGraph net = new ComputationGraph(g.build());
    net.init();
    return net;
  }

  /** A GRU layer by model.gru-kernel, with model.dropout on its input. */
  private static GruLayer gru(SeqmlConfig.Model m, int in, int units, int length) {
    GruLayer layer = m.gruKernel().equals("fused") ? new FusedGru(in, units, length) : new GruLayer(in, units, length);
    if (m.dropout() > 0) {
      layer.setIDropout(new org.deeplearning4j.nn.conf.dropout.Dropout(1.0 - m.dropout()));
    }
    return layer;
  }

  private static NeuralNetConfiguration.Builder base(SeqmlConfig.Model m, IUpdater updater) {
    NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
        .seed(m.seed())
        .optimizationAlgo(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT)
        .updater(updater)
        .weightInit(WeightInit.XAVIER)
        .l2(m.l2());
    if (m.gradientClip() > 0) {
      base.gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
          .gradientNormalizationThreshold(m.gradientClip());
    }
    return base;
  }
}

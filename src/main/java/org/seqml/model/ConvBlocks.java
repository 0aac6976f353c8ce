package org.seqml.model;

import java.util.Locale;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.nd4j.linalg.activations.Activation;
import org.seqml.config.SeqmlConfig;

/**
 * Adds model.conv's blocks to a graph: per block a 1-D convolution ("same" padding, so positions keep
 * their offsets), an optional batch or layer norm, the activation, dropout and a max-pool. Padded
 * positions are zeroed before each convolution (a window near a short example's end reaches into its
 * padding) and after each step that can put values back there (bias, norm, activation, pooling); DL4J
 * shortens the mask with each pool, a pooled position being real when its whole pool is.
 */
final class ConvBlocks {
  /** The vertex the blocks end at, its channels and positions. */
  record Top(String name, int width, int length) {}

  private ConvBlocks() {}

  static Top add(ComputationGraphConfiguration.GraphBuilder g, SeqmlConfig.Conv c, String input, int width,
      int length) {
    String top = input;
    for (int b = 0; b < c.blocks(); b++) {
      String p = "conv" + (b == 0 ? "" : String.valueOf(b));
      int filters = c.filters().get(b);
      g.addLayer(p + "-in", new PositionMask(), top);
      Activation activation = activation(c.activation());
      Convolution1DLayer conv = new Convolution1DLayer.Builder().nIn(width).nOut(filters).kernelSize(c.kernel(b))
          .dilation(c.dilation(b)).convolutionMode(ConvolutionMode.Same).rnnDataFormat(RNNFormat.NCW)
          .activation(c.norm().equals("none") ? activation : Activation.IDENTITY).build();
      g.addLayer(p, c.fused() ? FusedConv1D.of(conv) : conv, p + "-in");
      top = p;
      if (!c.norm().equals("none")) {
        if (c.norm().equals("batch")) {
          // Over [batch * T, filters] rows: one mean and deviation per filter, as batch norm for 1-D conv.
          g.addLayer(p + "-norm", new BatchNormalization.Builder().nIn(filters).nOut(filters).build(), top);
          g.inputPreProcessor(p + "-norm", new RnnToFeedForwardPreProcessor(RNNFormat.NCW));
          g.addLayer(p + "-act", new ActivationLayer.Builder().activation(activation).build(), p + "-norm");
          g.inputPreProcessor(p + "-act", new FeedForwardToRnnPreProcessor(RNNFormat.NCW));
        } else {
          g.addLayer(p + "-norm", new ChannelLayerNorm(filters, length), top);
          g.addLayer(p + "-act", new ActivationLayer.Builder().activation(activation).build(), p + "-norm");
        }
        top = p + "-act";
      }
      if (c.dropout() > 0) {
        // Not DL4J's DropoutLayer: with a sequence mask it multiplies [batch, C, T] by a [batch, T] column and fails.
        g.addLayer(p + "-drop", new ActivationLayer.Builder().activation(Activation.IDENTITY)
            .dropOut(1.0 - c.dropout()).build(), top); // DL4J takes the retain probability
        top = p + "-drop";
      }
      g.addLayer(p + "-out", new PositionMask(), top);
      top = p + "-out";
      if (c.pool(b) > 1) {
        Subsampling1DLayer pool = new Subsampling1DLayer.Builder(SubsamplingLayer.PoolingType.MAX)
            .kernelSize(c.pool(b)).stride(c.pool(b)).convolutionMode(ConvolutionMode.Truncate).build();
        g.addLayer(p + "-pool", c.fused() ? FusedMaxPool1D.of(pool) : pool, top);
        g.addLayer(p + "-pooled", new PositionMask(), p + "-pool");
        top = p + "-pooled";
        length /= c.pool(b);
      }
      width = filters;
    }
    return new Top(top, width, length);
  }

  static Activation activation(String name) {
    return Activation.valueOf(name.toUpperCase(Locale.ROOT));
  }
}

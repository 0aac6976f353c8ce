package org.seqml.model;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's 1-D max-pool over non-overlapping pools (kernel = stride, whole pools only) in plain Java: each
 * output the largest of its pool, the error routed back to the position that held it (the first of equal
 * ones). Masks as DL4J's layer: outputs and the error from above zeroed where the shortened mask is 0.
 * libnd4j's pooling ops (the 1-D input reshaped to 2-D) took a fifth of the bench cnn's training step.
 * Float inputs on the CPU backend; anything else falls through to DL4J's implementation.
 */
final class FusedMaxPool1DLayer extends org.deeplearning4j.nn.layers.convolution.subsampling.Subsampling1DLayer {
  /** Passes that ran fused (forward, backward): its conditions fall back silently, tests hold it to running. */
  int fusedForwards;
  int fusedBackwards;
  /** For each output of the last forward pass, the input index of its maximum. */
  private int[] argmax = new int[0];
  /** The input the argmax belongs to (its shape decides the backward pass's). */
  private INDArray forwardOf;
  private long[] inputShape;

  FusedMaxPool1DLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private boolean fused() {
    SubsamplingLayer c = layerConf();
    return dataType == DataType.FLOAT && Nd4j.getEnvironment().isCPU() && input != null && input.rank() == 3
        && c.getPoolingType() == PoolingType.MAX && c.getKernelSize()[0] == c.getStride()[0]
        && c.getPadding()[0] == 0 && c.getDilation()[0] == 1 && c.getConvolutionMode() == ConvolutionMode.Truncate;
  }

  @Override
  public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
    forwardOf = null;
    super.setInput(input, workspaceMgr);
  }

  @Override
  public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
    setInput(input, workspaceMgr);
    return activate(training, workspaceMgr);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!fused()) {
      return super.activate(training, workspaceMgr);
    }
    assertInputSet(false);
    fusedForwards++;
    float[] out = forward();
    forwardOf = input;
    INDArray acts = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
        new long[] {input.size(0), input.size(1), input.size(2) / pool()}, 'c');
    acts.data().asNioFloat().put(0, out);
    return acts;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (!fused()) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    assertInputSet(true);
    fusedBackwards++;
    if (forwardOf != input) {
      forward();
    }
    forwardOf = null;
    int b = (int) input.size(0);
    int c = (int) input.size(1);
    int pooled = (int) input.size(2) / pool();
    float[] eps = new float[b * c * pooled];
    PlainFloats.of(epsilon).get(0, eps);
    float[] mask = mask(b, pooled);
    float[] dx = new float[(int) input.length()];
    for (int i = 0; i < eps.length; i++) {
      float m = mask == null ? 1f : mask[(i / (c * pooled)) * pooled + i % pooled];
      dx[argmax[i]] += eps[i] * m;
    }
    INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(),
        'c');
    epsOut.data().asNioFloat().put(0, dx);
    return new Pair<>(new DefaultGradient(), epsOut);
  }

  private int pool() {
    return layerConf().getKernelSize()[0];
  }

  /** The pooled outputs [B, C, T / pool] of the current input, masked; the argmax kept. */
  private float[] forward() {
    int b = (int) input.size(0);
    int c = (int) input.size(1);
    int steps = (int) input.size(2);
    int p = pool();
    int pooled = steps / p;
    float[] x = new float[b * c * steps];
    PlainFloats.of(input).get(0, x);
    float[] out = new float[b * c * pooled];
    if (argmax.length != out.length) {
      argmax = new int[out.length];
    }
    float[] mask = mask(b, pooled);
    for (int row = 0; row < b * c; row++) {
      for (int o = 0; o < pooled; o++) {
        int best = row * steps + o * p;
        float max = x[best];
        for (int i = best + 1; i < row * steps + (o + 1) * p; i++) {
          float v = x[i];
          // Without a branch (which of two is larger is a coin toss): the sign bit of max - v says v > max.
          int larger = Float.floatToRawIntBits(max - v) >>> 31;
          best += larger * (i - best);
          max = Math.max(v, max);
        }
        int at = row * pooled + o;
        argmax[at] = best;
        out[at] = mask == null ? x[best] : x[best] * mask[(row / c) * pooled + o];
      }
    }
    return out;
  }

  /** The mask shortened to the pooled positions [B * pooled], or null without one. */
  private float[] mask(int batch, int pooled) {
    if (maskArray == null) {
      return null;
    }
    INDArray m = feedForwardMaskArray(maskArray, MaskState.Active, batch).getFirst();
    float[] out = new float[batch * pooled];
    PlainFloats.of(m.reshape(batch, pooled)).get(0, out);
    return out;
  }

}

package org.seqml.model;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's 1-D convolution (same parameters, equations, activation and output mask) as one OpenBLAS product
 * per direction: the input's shifted copies stacked (im2col, [K * C, B * T], in plain Java) times the
 * weight's transpose (DL4J keeps it as [K, C, F] in memory, whatever its shape says) gives every output at once; the weight gradient is the error times those
 * columns, and the input error the weight's transpose times the error, added back at each shift. libnd4j's
 * conv1d gradient took 64 % of a training step of the bench's cnn (docs/BENCHMARKS.md); the training
 * forward pass is also kept for the backward pass instead of being recomputed.
 *
 * <p>Used for float networks in NCW format on the CPU backend with "same" padding, stride 1, a bias and no
 * weight noise or dropout on the layer (seqml's convolution blocks). Anything else (GPU, double precision
 * for gradient checks) falls through to DL4J's implementation, which gives the same results.
 */
final class FusedConv1DLayer extends org.deeplearning4j.nn.layers.convolution.Convolution1DLayer {
  /** Passes that ran fused (forward, backward): its conditions fall back silently, tests hold it to running. */
  int fusedForwards;
  int fusedBackwards;
  private Buffers buffers;
  /** The input of the last training forward pass whose columns and pre-activations {@link #buffers} hold. */
  private INDArray forwardOf;

  FusedConv1DLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private boolean fused() {
    org.deeplearning4j.nn.conf.layers.Convolution1DLayer c = layerConf();
    return dataType == DataType.FLOAT && helper == null && Nd4j.getEnvironment().isCPU()
        && input != null && input.rank() == 3 && input.size(1) == c.getNIn()
        && c.getRnnDataFormat() == RNNFormat.NCW && convolutionMode == ConvolutionMode.Same
        && c.getStride()[0] == 1 && c.getPadding()[0] == 0 && c.getKernelSize()[0] % 2 == 1 && c.hasBias()
        && c.getIDropout() == null && c.getWeightNoise() == null && PlainActivation.of(c.getActivationFn()) != null;
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
    Buffers s = forward();
    forwardOf = training ? input : null;
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
        new long[] {s.batch, s.filters, s.steps}, 'c');
    out.data().asNioFloat().put(0, s.out);
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (!fused()) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    assertInputSet(true);
    fusedBackwards++;
    Buffers s = forwardOf == input ? buffers : forward();
    forwardOf = null;
    PlainFloats.of(epsilon).get(0, s.out);
    float[] biasGradient = s.backpropActivation(PlainActivation.of(layerConf().getActivationFn()));
    s.errorBuf.put(0, s.delta);
    INDArray weight = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
    INDArray weightRows = weight.reshape('c', s.columnsPerPosition(), s.filters);
    NativeGemm.mm(s.columns, false, s.error, true, s.weightGradient, 1f, 0f);
    gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY).assign(s.weightGradient.reshape('c', weight.shape()));
    INDArray biasView = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
    biasView.assign(Nd4j.createFromArray(biasGradient).reshape(biasView.shape()));
    NativeGemm.mm(weightRows, false, s.error, false, s.columns, 1f, 0f); // the columns' error, over the columns
    INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
        new long[] {s.batch, s.channels, s.steps}, 'c');
    s.columnsBuf.get(0, s.columnsJava);
    s.col2im(s.columnsJava, s.x);
    epsOut.data().asNioFloat().put(0, s.x);
    Gradient gradient = new DefaultGradient();
    gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasView);
    gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY,
        gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY), 'c');
    return new Pair<>(gradient, epsOut);
  }


  /**
   * The columns and pre-activations of the current input, and its output [B, F, T] (masked as DL4J's layer
   * masks it: outputs at masked positions zeroed, the backward pass unmasked), into the layer's buffers.
   */
  private Buffers forward() {
    org.deeplearning4j.nn.conf.layers.Convolution1DLayer c = layerConf();
    int batch = (int) input.size(0);
    int steps = (int) input.size(2);
    int kernel = c.getKernelSize()[0];
    Buffers s = buffers;
    if (s == null || !s.fits(batch, (int) c.getNIn(), steps, (int) c.getNOut(), kernel, c.getDilation()[0])) {
      s = buffers = new Buffers(batch, (int) c.getNIn(), steps, (int) c.getNOut(), kernel, c.getDilation()[0]);
    }
    PlainFloats.of(input).get(0, s.x);
    s.im2col(s.x, s.columnsJava);
    s.columnsBuf.put(0, s.columnsJava);
    INDArray weightRows = getParam(ConvolutionParamInitializer.WEIGHT_KEY).reshape('c', s.columnsPerPosition(),
        s.filters);
    NativeGemm.mm(weightRows, true, s.columns, false, s.z, 1f, 0f);
    s.zBuf.get(0, s.zJava);
    float[] mask = null;
    if (maskArray != null) {
      INDArray m = feedForwardMaskArray(maskArray, MaskState.Active, batch).getFirst();
      mask = new float[batch * steps];
      PlainFloats.of(m.reshape(batch, steps)).get(0, mask);
    }
    s.activate(PlainActivation.of(c.getActivationFn()),
        getParam(ConvolutionParamInitializer.BIAS_KEY).toFloatVector(), mask);
    return s;
  }

  /** A layer's arrays for one input shape, outside workspaces (reused while the shape holds). */
  private static final class Buffers {
    final int batch;
    final int channels;
    final int steps;
    final int filters;
    final int kernel;
    final int dilation;
    /** The input [B, C, T] in plain Java; in backprop, its error. */
    final float[] x;
    /** Shifted input rows: row k * C + c holds channel c at offset k * dilation - pad, for every (b, t). */
    final float[] columnsJava;
    final INDArray columns;
    final FloatBuffer columnsBuf;
    /** Pre-activations [F, B * T], column b * T + t, from the product, and with the bias in plain Java. */
    final INDArray z;
    final FloatBuffer zBuf;
    final float[] zJava;
    /** The output [B, F, T]; in backprop, the error from above in the same layout. */
    final float[] out;
    /** dL/dz in z's layout, in plain Java and for the products. */
    final float[] delta;
    final INDArray error;
    final FloatBuffer errorBuf;
    final INDArray weightGradient;

    Buffers(int batch, int channels, int steps, int filters, int kernel, int dilation) {
      this.batch = batch;
      this.channels = channels;
      this.steps = steps;
      this.filters = filters;
      this.kernel = kernel;
      this.dilation = dilation;
      x = new float[batch * channels * steps];
      columnsJava = new float[columnsPerPosition() * batch * steps];
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        columns = Nd4j.create(DataType.FLOAT, new long[] {columnsPerPosition(), (long) batch * steps}, 'c');
        z = Nd4j.create(DataType.FLOAT, new long[] {filters, (long) batch * steps}, 'c');
        error = Nd4j.create(DataType.FLOAT, new long[] {filters, (long) batch * steps}, 'c');
        weightGradient = Nd4j.create(DataType.FLOAT, new long[] {columnsPerPosition(), filters}, 'c');
      }
      columnsBuf = columns.data().asNioFloat();
      zBuf = z.data().asNioFloat();
      errorBuf = error.data().asNioFloat();
      zJava = new float[filters * batch * steps];
      out = new float[filters * batch * steps];
      delta = new float[filters * batch * steps];
    }

    /**
     * Bias and activation from the product's z into {@link #out}, [F, B, T] to [B, F, T], masked if a mask. The
     * activation runs over whole rows of z (long loops vectorise; {@link #delta} holds them meanwhile).
     */
    void activate(PlainActivation.Bound fn, float[] bias, float[] mask) {
      int bt = batch * steps;
      for (int f = 0; f < filters; f++) {
        fn.apply(zJava, f * bt, bias[f], delta, f * bt, bt);
      }
      for (int b = 0; b < batch; b++) {
        for (int f = 0; f < filters; f++) {
          int at = (b * filters + f) * steps;
          System.arraycopy(delta, f * bt + b * steps, out, at, steps);
          if (mask != null) {
            for (int t = 0; t < steps; t++) {
              out[at + t] *= mask[b * steps + t];
            }
          }
        }
      }
    }

    /** dL/dz into {@link #delta} from the error from above in {@link #out}; returns the bias gradient. */
    float[] backpropActivation(PlainActivation.Bound fn) {
      int bt = batch * steps;
      for (int b = 0; b < batch; b++) {
        for (int f = 0; f < filters; f++) {
          System.arraycopy(out, (b * filters + f) * steps, delta, f * bt + b * steps, steps);
        }
      }
      float[] biasGradient = new float[filters];
      for (int f = 0; f < filters; f++) {
        fn.backprop(zJava, f * bt, delta, f * bt, delta, f * bt, bt);
        biasGradient[f] = sum(delta, f * bt, bt);
      }
      return biasGradient;
    }

    boolean fits(int batch, int channels, int steps, int filters, int kernel, int dilation) {
      return this.batch == batch && this.channels == channels && this.steps == steps && this.filters == filters
          && this.kernel == kernel && this.dilation == dilation;
    }

    int columnsPerPosition() {
      return channels * kernel;
    }

    /** Tap k of a position t reads position t + shift(k); "same" padding centres the (odd) kernel. */
    int shift(int k) {
      return k * dilation - (kernel - 1) * dilation / 2;
    }

    void im2col(float[] in, float[] cols) {
      int bt = batch * steps;
      for (int c = 0; c < channels; c++) {
        for (int k = 0; k < kernel; k++) {
          int shift = shift(k);
          int from = Math.max(0, -shift);
          int to = Math.min(steps, steps - shift);
          int row = (k * channels + c) * bt;
          for (int b = 0; b < batch; b++) {
            int dst = row + b * steps;
            int src = (b * channels + c) * steps + shift;
            if (to <= from) {
              Arrays.fill(cols, dst, dst + steps, 0f);
              continue;
            }
            Arrays.fill(cols, dst, dst + from, 0f);
            System.arraycopy(in, src + from, cols, dst + from, to - from);
            Arrays.fill(cols, dst + to, dst + steps, 0f);
          }
        }
      }
    }

    /** x[from..from+n) summed in eight float lanes (one running sum would serialise on its additions). */
    static float sum(float[] x, int from, int n) {
      float[] lanes = new float[8];
      int i = 0;
      for (; i + 8 <= n; i += 8) {
        for (int l = 0; l < 8; l++) {
          lanes[l] += x[from + i + l];
        }
      }
      double total = 0;
      for (; i < n; i++) {
        total += x[from + i];
      }
      for (float l : lanes) {
        total += l;
      }
      return (float) total;
    }

    /** The adjoint of {@link #im2col}: each column's error added back at the position it was read from. */
    void col2im(float[] cols, float[] out) {
      Arrays.fill(out, 0f);
      int bt = batch * steps;
      for (int c = 0; c < channels; c++) {
        for (int k = 0; k < kernel; k++) {
          int shift = shift(k);
          int from = Math.max(0, -shift);
          int to = Math.min(steps, steps - shift);
          int row = (k * channels + c) * bt;
          for (int b = 0; b < batch; b++) {
            int src = row + b * steps;
            int dst = (b * channels + c) * steps + shift;
            for (int t = from; t < to; t++) {
              out[dst + t] += cols[src + t];
            }
          }
        }
      }
    }
  }
}

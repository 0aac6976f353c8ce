package org.seqml.model;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.TimeSeriesUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DL4J's LSTM (same parameters and equations, masking included) computed the way cuDNN does it:
 * the input projection of all time steps is one matrix product, each time step is one product with
 * the recurrent weights plus a fused element-wise cell update ({@link LstmKernels}, plain Java), and
 * the weight gradients and the input error are one product each after the backward loop. DL4J's own
 * layer runs about 130 native ops per time step and computes the forward pass twice per training step;
 * this one keeps the training forward pass for the backward pass that follows it.
 *
 * <p>Masks, as DL4J's LSTM: a mask set on the layer zeroes the output and the carried cell state at
 * masked steps in the forward pass; the backward pass masks nothing (DL4J passes no mask to its LSTM
 * backprop) but differentiates tanh at the stored, masked cell state. In seqml's graphs no mask reaches
 * the layer at all (FusedLstmTest).
 *
 * <p>Used for float networks in NCW format on the CPU backend (seqml's case). Anything else (GPU,
 * double precision for gradient checks, NWC, other activations), and the stateful calls (rnnTimeStep,
 * truncated BPTT), fall through to DL4J's implementation, which gives the same results.
 */
final class FusedLstmLayer extends org.deeplearning4j.nn.layers.recurrent.LSTM {
  private Buffers buffers;
  /** The input of the last training forward pass whose results {@link #buffers} hold, or null. */
  private INDArray forwardOf;
  /** Passes that ran fused (forward, backward): its conditions fall back silently, tests hold it to running. */
  int fusedForwards;
  int fusedBackwards;

  FusedLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private boolean fused() {
    return dataType == DataType.FLOAT && helper == null && Nd4j.getEnvironment().isCPU()
        && input != null && input.rank() == 3
        && TimeSeriesUtils.getFormatFromRnnLayer(layerConf()) == RNNFormat.NCW
        && layerConf().getGateActivationFn() instanceof ActivationSigmoid
        && layerConf().getActivationFn() instanceof ActivationTanH
        && (maskArray == null || maskArray.length() == input.size(0) * input.size(2));
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
    applyDropOutIfNecessary(training, workspaceMgr);
    forward(training, workspaceMgr);
    forwardOf = training ? input : null;
    int b = batch();
    int t = steps();
    // Time-major underneath, [B, H, T] as a view: the next fused layer reads it back without a transpose.
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
        new long[] {t, b, hidden()}, 'c');
    out.assign(buffers.hs.get(NDArrayIndex.interval(b, (long) (t + 1) * b), NDArrayIndex.all())
        .reshape('c', t, b, hidden()));
    return out.permute(1, 2, 0);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (!fused()) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    assertInputSet(true);
    fusedBackwards++;
    applyDropOutIfNecessary(true, workspaceMgr); // a no-op after the training forward pass
    if (forwardOf != input) {
      forward(true, workspaceMgr);
    }
    forwardOf = null;
    Buffers s = buffers;
    // The input error is written time-major, straight by its product; [B, nIn, T] is a view of it.
    INDArray next = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
        new long[] {s.steps, s.batch, s.nIn}, 'c');
    Gradient gradient = backward(epsilon, next.reshape('c', (long) s.steps * s.batch, s.nIn));
    weightNoiseParams.clear();
    return new Pair<>(gradient, backpropDropOutIfPresent(next.permute(1, 2, 0)));
  }

  private int batch() {
    return (int) input.size(0);
  }

  private int steps() {
    return (int) input.size(2);
  }

  private int hidden() {
    return (int) layerConf().getNOut();
  }

  private void forward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    int b = batch();
    int steps = steps();
    int h = hidden();
    int n = b * h;
    Buffers s = buffersFor(b, steps, (int) layerConf().getNIn(), h, training);
    INDArray w = getParamWithNoise(LSTMParamInitializer.INPUT_WEIGHT_KEY, training, workspaceMgr);
    INDArray r = getParamWithNoise(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, training, workspaceMgr);
    float[] bias = getParamWithNoise(LSTMParamInitializer.BIAS_KEY, training, workspaceMgr).toFloatVector();
    float[][] biasRows = s.biasRows;
    for (int gate = 0; gate < 4; gate++) {
      for (int row = 0; row < b; row++) {
        System.arraycopy(bias, gate * h, biasRows[gate], row * h, h);
      }
    }
    s.mask = maskArray == null ? null : maskArray.castTo(DataType.FLOAT).dup('c').data().asFloat();
    TimeMajor.copyIn(input, s.xtb);
    NativeGemm.mm(s.xtb, false, w, false, s.z, 1f, 0f);
    // DL4J keeps the weight column-major; OpenBLAS multiplies row blocks unpacked only by a row-major one
    INDArray rRows = NativeGemm.SMALL_KERNELS && r.ordering() != 'c' ? s.recurrent.assign(r) : r;
    float[] hRow = s.scratch[0];
    for (int t = 0; t < steps; t++) {
      if (t > 0) {
        NativeGemm.mmByRowBlocks(s.hsRows[t], rRows, false, s.zRows[t], 1f);
      }
      int at = s.slot(t);
      s.readGates(t, s.a[at], s.f[at], s.o[at], s.g[at]);
      LstmKernels.tanhWithBias(s.a[at], biasRows[0], n);
      LstmKernels.sigmoid(s.f[at], biasRows[1], n);
      LstmKernels.sigmoid(s.o[at], biasRows[2], n);
      LstmKernels.sigmoid(s.g[at], biasRows[3], n);
      LstmKernels.cell(s.a[at], s.f[at], s.o[at], s.g[at], t == 0 ? null : s.c[s.slot(t - 1)], s.c[at], s.tc[at],
          hRow, n);
      if (s.mask != null) {
        // DL4J zeroes the output and the carried cell state at masked steps.
        for (int row = 0; row < b; row++) {
          float m = s.mask[row * steps + t];
          if (m != 1f) {
            for (int i = row * h; i < (row + 1) * h; i++) {
              hRow[i] *= m;
              s.c[at][i] *= m;
            }
          }
        }
      }
      s.hsBuf.put((t + 1) * n, hRow, 0, n);
    }
  }

  /** Parameter gradients into DL4J's gradient views, the input error into {@code dx} [T * B, nIn]. */
  private Gradient backward(INDArray epsilon, INDArray dx) {
    Buffers s = buffers;
    int b = s.batch;
    int steps = s.steps;
    int h = s.hidden;
    int n = b * h;
    INDArray w = getParamWithNoise(LSTMParamInitializer.INPUT_WEIGHT_KEY, true, LayerWorkspaceMgr.noWorkspaces());
    INDArray r = getParamWithNoise(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, true,
        LayerWorkspaceMgr.noWorkspaces());
    TimeMajor.copyIn(epsilon, s.eps);
    float[] dh = s.scratch[0];
    float[] recurrent = s.scratch[1];
    float[] nabla = s.scratch[2];
    float[] nablaNext = s.scratch[3];
    float[] dA = s.scratch[4];
    float[] dF = s.scratch[5];
    float[] dO = s.scratch[6];
    float[] dG = s.scratch[7];
    float[] tcm = s.scratch[8];
    for (int t = steps - 1; t >= 0; t--) {
      s.epsBuf.get(t * n, dh, 0, n);
      if (t < steps - 1) {
        NativeGemm.mmByRowBlocks(s.zRows[t + 1], r, true, s.dh, 0f);
        s.dhBuf.get(0, recurrent, 0, n);
        for (int i = 0; i < n; i++) {
          dh[i] += recurrent[i];
        }
      }
      float[] tanhOfState = s.tc[t];
      if (s.mask != null) {
        // DL4J differentiates tanh at the stored (masked) cell state: tanh(0) at masked steps.
        LstmKernels.tanh(s.c[t], tcm, n);
        tanhOfState = tcm;
      }
      boolean last = t == steps - 1;
      LstmKernels.backStep(dh, s.a[t], s.f[t], s.o[t], s.g[t], s.tc[t], tanhOfState, t == 0 ? null : s.c[t - 1],
          last ? null : s.f[t + 1], last ? null : nablaNext, nabla, dA, dF, dO, dG, n);
      s.writeGates(t, dA, dF, dO, dG); // z now holds the deltas of step t
      float[] swap = nablaNext;
      nablaNext = nabla;
      nabla = swap;
    }
    INDArray gradW = gradientViews.get(LSTMParamInitializer.INPUT_WEIGHT_KEY);
    INDArray gradR = gradientViews.get(LSTMParamInitializer.RECURRENT_WEIGHT_KEY);
    INDArray gradB = gradientViews.get(LSTMParamInitializer.BIAS_KEY);
    NativeGemm.mm(s.xtb, true, s.z, false, gradW, 1f, 0f);
    // Row block 0 of hs is the zero initial state.
    NativeGemm.mm(s.hs.get(NDArrayIndex.interval(0, (long) steps * b), NDArrayIndex.all()), true, s.z, false, gradR,
        1f, 0f);
    // The column sums as a product with ones: libnd4j's sum along dimension 0 took 17 % of the step.
    NativeGemm.mm(s.ones, true, s.z, false, s.biasSums, 1f, 0f);
    gradB.assign(s.biasSums.reshape(gradB.shape()));
    NativeGemm.mm(s.z, false, w, true, dx, 1f, 0f);
    Gradient gradient = new DefaultGradient();
    gradient.gradientForVariable().put(LSTMParamInitializer.INPUT_WEIGHT_KEY, gradW);
    gradient.gradientForVariable().put(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, gradR);
    gradient.gradientForVariable().put(LSTMParamInitializer.BIAS_KEY, gradB);
    return gradient;
  }

  private Buffers buffersFor(int batch, int steps, int nIn, int hidden, boolean training) {
    if (buffers == null || !buffers.fits(batch, steps, nIn, hidden, training)) {
      buffers = new Buffers(batch, steps, nIn, hidden, training);
    }
    return buffers;
  }

  /**
   * What one call works in, kept while the batch shape stays: native matrices for the products
   * (outside DL4J's workspaces, so they outlive a forward pass), and per-step Java arrays of the
   * gates and cell states that the backward pass reads. Inference keeps one step of those arrays and
   * no backward matrices: a validation pass at batch 512 on the bench LSTM allocated 79 MB of them
   * per layer and task.
   */
  private static final class Buffers {
    final int batch;
    final int steps;
    final int nIn;
    final int hidden;
    /** Input, time-major: [T * B, nIn]. */
    final INDArray xtb;
    /** Gate pre-activations [T * B, 4H] (gate order a, f, o, g as DL4J's); in backprop, their deltas. */
    final INDArray z;
    /** Outputs, time-major, after a zero block for the initial state: [(T + 1) * B, H]. */
    final INDArray hs;
    /** The recurrent part of dL/dh for one step: [B, H]. */
    final INDArray dh;
    /** The error from the layer above, time-major: [T * B, H] (training only). */
    final INDArray eps;
    /** [T * B, 1] ones, to sum the deltas over steps and examples (training only). */
    final INDArray ones;
    /** [1, 4H]: the bias gradient, before it goes into DL4J's gradient view (training only). */
    final INDArray biasSums;
    /** [H, 4H]: a row-major copy of the recurrent weight, for the forward pass's row blocks. */
    final INDArray recurrent;
    final INDArray[] zRows;
    final INDArray[] hsRows;
    final FloatBuffer zBuf;
    final FloatBuffer hsBuf;
    final FloatBuffer dhBuf;
    final FloatBuffer epsBuf;
    /** Whether the per-step arrays hold every step (for a backward pass), or only the current one. */
    final boolean training;
    /** The bias of each gate, repeated for every row: [4][B * H]. */
    final float[][] biasRows;
    final float[][] a;
    final float[][] f;
    final float[][] o;
    final float[][] g;
    final float[][] c;
    final float[][] tc;
    final float[][] scratch;
    float[] mask;

    Buffers(int batch, int steps, int nIn, int hidden, boolean training) {
      this.batch = batch;
      this.steps = steps;
      this.nIn = nIn;
      this.hidden = hidden;
      this.training = training;
      int n = batch * hidden;
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        xtb = Nd4j.create(DataType.FLOAT, new long[] {(long) steps * batch, nIn}, 'c');
        z = Nd4j.create(DataType.FLOAT, new long[] {(long) steps * batch, 4L * hidden}, 'c');
        hs = Nd4j.create(DataType.FLOAT, new long[] {(long) (steps + 1) * batch, hidden}, 'c');
        dh = training ? Nd4j.create(DataType.FLOAT, new long[] {batch, hidden}, 'c') : null;
        eps = training ? Nd4j.create(DataType.FLOAT, new long[] {(long) steps * batch, hidden}, 'c') : null;
        ones = training ? Nd4j.ones(DataType.FLOAT, (long) steps * batch, 1) : null;
        biasSums = training ? Nd4j.create(DataType.FLOAT, 1, 4L * hidden) : null;
        recurrent = Nd4j.create(DataType.FLOAT, new long[] {hidden, 4L * hidden}, 'c');
        zRows = new INDArray[steps];
        hsRows = new INDArray[steps + 1];
        for (int t = 0; t <= steps; t++) {
          hsRows[t] = hs.get(NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch), NDArrayIndex.all());
          if (t < steps) {
            zRows[t] = z.get(NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch), NDArrayIndex.all());
          }
        }
      }
      zBuf = z.data().asNioFloat();
      hsBuf = hs.data().asNioFloat();
      dhBuf = training ? dh.data().asNioFloat() : null;
      epsBuf = training ? eps.data().asNioFloat() : null;
      biasRows = new float[4][n];
      int kept = training ? steps : 1;
      a = new float[kept][n];
      f = new float[kept][n];
      o = new float[kept][n];
      g = new float[kept][n];
      c = new float[kept][n];
      tc = new float[kept][n];
      scratch = new float[training ? 9 : 1][n];
    }

    /** Training buffers serve inference too; inference buffers only inference. */
    boolean fits(int batch, int steps, int nIn, int hidden, boolean training) {
      return this.batch == batch && this.steps == steps && this.nIn == nIn && this.hidden == hidden
          && (this.training || !training);
    }

    /**
     * Where step t's gates and cell state are: every step its own in training, one for all otherwise
     * (the cell update is element-wise, so it may carry the state in place).
     */
    int slot(int t) {
      return training ? t : 0;
    }

    /** Splits step t's rows of z ([B, 4H], gates side by side) into one [B * H] array per gate. */
    void readGates(int t, float[] ga, float[] gf, float[] go, float[] gg) {
      int h = hidden;
      for (int row = 0; row < batch; row++) {
        int at = (t * batch + row) * 4 * h;
        zBuf.get(at, ga, row * h, h);
        zBuf.get(at + h, gf, row * h, h);
        zBuf.get(at + 2 * h, go, row * h, h);
        zBuf.get(at + 3 * h, gg, row * h, h);
      }
    }

    /** The inverse of {@link #readGates}: writes one [B * H] array per gate into step t's rows of z. */
    void writeGates(int t, float[] ga, float[] gf, float[] go, float[] gg) {
      int h = hidden;
      for (int row = 0; row < batch; row++) {
        int at = (t * batch + row) * 4 * h;
        zBuf.put(at, ga, row * h, h);
        zBuf.put(at + h, gf, row * h, h);
        zBuf.put(at + 2 * h, go, row * h, h);
        zBuf.put(at + 3 * h, gg, row * h, h);
      }
    }
  }
}

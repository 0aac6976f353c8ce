package org.seqml.model;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link GruLayer}'s equations and parameters computed as {@link FusedLstmLayer} computes the LSTM's: the
 * input projection of all steps is one matrix product, each step one product with the recurrent weights
 * plus a fused element-wise gate update in plain Java, and the weight gradients and the input error one
 * product each after the backward loop; the training forward pass is kept for the backward pass. Rows are
 * time-major (row t * B + b is example b at step t), as {@link TimeMajor} reads them.
 *
 * <p>Float networks on the CPU backend only; anything else (double precision for gradient checks, GPU)
 * runs the SameDiff graph of the parent class, which gives the same results (FusedGruTest). Dropout on the
 * layer's input (model.dropout) applies here; the SameDiff graph has none.
 */
final class FusedGruLayer extends FusedSameDiffLayer {
  private Buffers buffers;

  FusedGruLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private GruLayer gru() {
    return (GruLayer) layerConf();
  }

  @Override
  boolean fused() {
    return dataType == DataType.FLOAT && Nd4j.getEnvironment().isCPU() && input != null && input.rank() == 3
        && input.size(1) == gru().getIn();
  }

  @Override
  INDArray fusedOutput(LayerWorkspaceMgr workspaceMgr) {
    Buffers s = buffers;
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
        new long[] {s.steps, s.batch, s.hidden}, 'c');
    out.assign(s.hs.get(NDArrayIndex.interval(s.batch, (long) (s.steps + 1) * s.batch), NDArrayIndex.all())
        .reshape('c', s.steps, s.batch, s.hidden));
    return out.permute(1, 2, 0);
  }

  @Override
  Pair<Gradient, INDArray> fusedBackward(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    Buffers s = buffers;
    INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
        new long[] {s.steps, s.batch, s.nIn}, 'c');
    Gradient gradient = backward(epsilon, dx.reshape('c', (long) s.steps * s.batch, s.nIn));
    return new Pair<>(gradient, dx.permute(1, 2, 0));
  }

  @Override
  void fusedForward(boolean training) {
    int b = (int) input.size(0);
    int steps = (int) input.size(2);
    int h = gru().getHidden();
    int n = b * h;
    Buffers s = buffersFor(b, steps, gru().getIn(), h, training);
    s.biases(paramTable.get("bi").toFloatVector(), paramTable.get("bh").toFloatVector());
    TimeMajor.copyIn(input, s.x);
    NativeGemm.mm(s.x, false, paramTable.get("W"), false, s.gx, 1f, 0f);
    INDArray r = paramTable.get("R");
    INDArray rRows = NativeGemm.SMALL_KERNELS && r.ordering() != 'c' ? s.recurrent.assign(r) : r;
    float[] xr = s.scratch[0];
    float[] xz = s.scratch[1];
    float[] xn = s.scratch[2];
    float[] hr = s.scratch[3];
    float[] hz = s.scratch[4];
    float[] hh = s.scratch[5];
    for (int t = 0; t < steps; t++) {
      int at = s.slot(t);
      float[] prev = t == 0 ? s.zeros : s.h[s.hSlot(t)];
      s.readGates(s.gxBuf, t, xr, xz, xn);
      if (t > 0) {
        NativeGemm.mmByRowBlocks(s.hsRows[t], rRows, false, s.gh, 0f);
        s.readGates(s.ghBuf, 0, hr, hz, hh);
      } else {
        java.util.Arrays.fill(hr, 0f);
        java.util.Arrays.fill(hz, 0f);
        java.util.Arrays.fill(hh, 0f);
      }
      float[] rs = s.r[at];
      float[] zs = s.z[at];
      float[] ns = s.n[at];
      float[] hn = s.hn[at];
      float[] out = s.h[s.hSlot(t + 1)];
      gates(xr, hr, s.biasR, xz, hz, s.biasZ, xn, s.biasIn, hh, s.biasHn, prev, rs, zs, hn, ns, out, n);
      s.hsBuf.put((t + 1) * n, out, 0, n);
    }
  }

  /**
   * One step's gate update, in four loops that index every array from 0: C2 vectorises each (LstmKernels), but
   * not one loop doing it all (measured on 8,192 elements: 27 ns an element against 3.7).
   */
  static void gates(float[] xr, float[] hr, float[] br, float[] xz, float[] hz, float[] bz, float[] xn, float[] bin,
      float[] hh, float[] bhn, float[] prev, float[] rs, float[] zs, float[] hn, float[] ns, float[] out, int n) {
    sigmoidOfSum(xr, hr, br, rs, n);
    sigmoidOfSum(xz, hz, bz, zs, n);
    for (int i = 0; i < n; i++) {
      hn[i] = hh[i] + bhn[i];
    }
    for (int i = 0; i < n; i++) {
      ns[i] = LstmKernels.tanh(xn[i] + bin[i] + rs[i] * hn[i]);
    }
    for (int i = 0; i < n; i++) {
      float zv = zs[i];
      out[i] = (1 - zv) * ns[i] + zv * prev[i];
    }
  }

  private static void sigmoidOfSum(float[] a, float[] b, float[] c, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = sigmoid(a[i] + b[i] + c[i]);
    }
  }

  private static float sigmoid(float v) {
    return 0.5f + 0.5f * LstmKernels.tanh(0.5f * v);
  }

  private Gradient backward(INDArray epsilon, INDArray dx) {
    Buffers s = buffers;
    int b = s.batch;
    int steps = s.steps;
    int h = s.hidden;
    int n = b * h;
    INDArray w = paramTable.get("W");
    INDArray r = paramTable.get("R");
    TimeMajor.copyIn(epsilon, s.eps);
    float[] dh = s.scratch[0];
    float[] recurrent = s.scratch[1];
    float[] below = s.scratch[2];
    float[] dar = s.scratch[3];
    float[] daz = s.scratch[4];
    float[] dan = s.scratch[5];
    float[] dhn = s.scratch[6];
    for (int t = steps - 1; t >= 0; t--) {
      s.epsBuf.get(t * n, dh, 0, n);
      if (t < steps - 1) {
        NativeGemm.mmByRowBlocks(s.dghRows[t + 1], r, true, s.dh, 0f);
        s.dhBuf.get(0, recurrent, 0, n);
        for (int i = 0; i < n; i++) {
          dh[i] += recurrent[i];
        }
      }
      float[] prev = t == 0 ? s.zeros : s.h[s.hSlot(t)];
      float[] rs = s.r[t];
      float[] zs = s.z[t];
      float[] ns = s.n[t];
      float[] hn = s.hn[t];
      for (int i = 0; i < n; i++) {
        float d = dh[i];
        float zv = zs[i];
        float nv = ns[i];
        float rv = rs[i];
        float an = d * (1 - zv) * (1 - nv * nv);
        dan[i] = an;
        dar[i] = an * hn[i] * rv * (1 - rv);
        daz[i] = d * (prev[i] - nv) * zv * (1 - zv);
        dhn[i] = an * rv;
      }
      s.writeGates(s.dgxBuf, t, dar, daz, dan);
      s.writeGates(s.dghBuf, t, dar, daz, dhn);
      // h' = ... + z * h: the direct path to h(t-1) joins step t-1's error from above
      if (t > 0) {
        s.epsBuf.get((t - 1) * n, below, 0, n);
        for (int i = 0; i < n; i++) {
          below[i] += dh[i] * zs[i];
        }
        s.epsBuf.put((t - 1) * n, below, 0, n);
      }
    }
    INDArray gradW = gradTable.get("W");
    INDArray gradR = gradTable.get("R");
    NativeGemm.mm(s.x, true, s.dgx, false, gradW, 1f, 0f);
    // Row block 0 of hs is the zero initial state: the product over steps 0..T-1 pairs h(t-1) with step t.
    NativeGemm.mm(s.hs.get(NDArrayIndex.interval(0, (long) steps * b), NDArrayIndex.all()), true, s.dgh, false,
        gradR, 1f, 0f);
    NativeGemm.mm(s.ones, true, s.dgx, false, s.biasSums, 1f, 0f);
    gradTable.get("bi").assign(s.biasSums.reshape(gradTable.get("bi").shape()));
    NativeGemm.mm(s.ones, true, s.dgh, false, s.biasSums, 1f, 0f);
    gradTable.get("bh").assign(s.biasSums.reshape(gradTable.get("bh").shape()));
    NativeGemm.mm(s.dgx, false, w, true, dx, 1f, 0f);
    Gradient gradient = new DefaultGradient();
    for (String key : new String[] {"W", "R", "bi", "bh"}) {
      gradient.gradientForVariable().put(key, gradTable.get(key));
    }
    return gradient;
  }

  private Buffers buffersFor(int batch, int steps, int nIn, int hidden, boolean training) {
    if (buffers == null || !buffers.fits(batch, steps, nIn, hidden, training)) {
      buffers = new Buffers(batch, steps, nIn, hidden, training);
    }
    return buffers;
  }

  /** What one call works in, kept while the batch shape stays (as {@link FusedLstmLayer}'s). */
  private static final class Buffers {
    final int batch;
    final int steps;
    final int nIn;
    final int hidden;
    final boolean training;
    /** Input, time-major [T * B, nIn]; its projection [T * B, 3H]; outputs after a zero block [(T + 1) * B, H]. */
    final INDArray x;
    final INDArray gx;
    final INDArray hs;
    /** One step's recurrent projection [B, 3H]; a row-major copy of R [H, 3H]. */
    final INDArray gh;
    final INDArray recurrent;
    /** Training only: the error from above [T * B, H], the gate deltas [T * B, 3H] of x's and h's products. */
    final INDArray eps;
    final INDArray dgx;
    final INDArray dgh;
    final INDArray dh;
    final INDArray ones;
    final INDArray biasSums;
    final INDArray[] hsRows;
    final INDArray[] dghRows;
    final FloatBuffer gxBuf;
    final FloatBuffer hsBuf;
    final FloatBuffer ghBuf;
    final FloatBuffer epsBuf;
    final FloatBuffer dgxBuf;
    final FloatBuffer dghBuf;
    final FloatBuffer dhBuf;
    final float[][] r;
    final float[][] z;
    final float[][] n;
    final float[][] hn;
    /** h(t) per step in training (index t + 1; 0 is the zero state, left null), else the last two. */
    final float[][] h;
    /** Per-gate work arrays [B * H]; a zero state; the biases of each gate repeated for every row. */
    final float[][] scratch;
    final float[] zeros;
    final float[] biasR;
    final float[] biasZ;
    final float[] biasIn;
    final float[] biasHn;

    Buffers(int batch, int steps, int nIn, int hidden, boolean training) {
      this.batch = batch;
      this.steps = steps;
      this.nIn = nIn;
      this.hidden = hidden;
      this.training = training;
      long rows = (long) steps * batch;
      int g3 = 3 * hidden;
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        x = Nd4j.create(DataType.FLOAT, new long[] {rows, nIn}, 'c');
        gx = Nd4j.create(DataType.FLOAT, new long[] {rows, g3}, 'c');
        hs = Nd4j.create(DataType.FLOAT, new long[] {rows + batch, hidden}, 'c');
        gh = Nd4j.create(DataType.FLOAT, new long[] {batch, g3}, 'c');
        recurrent = Nd4j.create(DataType.FLOAT, new long[] {hidden, g3}, 'c');
        eps = training ? Nd4j.create(DataType.FLOAT, new long[] {rows, hidden}, 'c') : null;
        dgx = training ? Nd4j.create(DataType.FLOAT, new long[] {rows, g3}, 'c') : null;
        dgh = training ? Nd4j.create(DataType.FLOAT, new long[] {rows, g3}, 'c') : null;
        dh = training ? Nd4j.create(DataType.FLOAT, new long[] {batch, hidden}, 'c') : null;
        ones = training ? Nd4j.ones(DataType.FLOAT, rows, 1) : null;
        biasSums = training ? Nd4j.create(DataType.FLOAT, 1, g3) : null;
        hsRows = new INDArray[steps + 1];
        dghRows = training ? new INDArray[steps] : null;
        for (int t = 0; t <= steps; t++) {
          hsRows[t] = hs.get(NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch), NDArrayIndex.all());
          if (training && t < steps) {
            dghRows[t] = dgh.get(NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch), NDArrayIndex.all());
          }
        }
      }
      gxBuf = gx.data().asNioFloat();
      hsBuf = hs.data().asNioFloat();
      ghBuf = gh.data().asNioFloat();
      epsBuf = training ? eps.data().asNioFloat() : null;
      dgxBuf = training ? dgx.data().asNioFloat() : null;
      dghBuf = training ? dgh.data().asNioFloat() : null;
      dhBuf = training ? dh.data().asNioFloat() : null;
      int kept = training ? steps : 1;
      int cells = batch * hidden;
      r = new float[kept][cells];
      z = new float[kept][cells];
      n = new float[kept][cells];
      hn = new float[kept][cells];
      h = new float[training ? steps + 1 : 2][cells];
      scratch = new float[7][cells];
      zeros = new float[cells];
      biasR = new float[cells];
      biasZ = new float[cells];
      biasIn = new float[cells];
      biasHn = new float[cells];
    }

    /** r and z take both biases summed; n's input bias and recurrent bias stay apart (r scales the latter). */
    void biases(float[] bi, float[] bh) {
      int h = hidden;
      for (int row = 0; row < batch; row++) {
        for (int i = 0; i < h; i++) {
          biasR[row * h + i] = bi[i] + bh[i];
          biasZ[row * h + i] = bi[h + i] + bh[h + i];
          biasIn[row * h + i] = bi[2 * h + i];
          biasHn[row * h + i] = bh[2 * h + i];
        }
      }
    }

    /** Splits rows [B, 3H] of step t (gates side by side) into one [B * H] array per gate. */
    void readGates(FloatBuffer buf, int t, float[] a, float[] b, float[] c) {
      int h = hidden;
      for (int row = 0; row < batch; row++) {
        int at = (t * batch + row) * 3 * h;
        buf.get(at, a, row * h, h);
        buf.get(at + h, b, row * h, h);
        buf.get(at + 2 * h, c, row * h, h);
      }
    }

    /** The inverse of {@link #readGates}. */
    void writeGates(FloatBuffer buf, int t, float[] a, float[] b, float[] c) {
      int h = hidden;
      for (int row = 0; row < batch; row++) {
        int at = (t * batch + row) * 3 * h;
        buf.put(at, a, row * h, h);
        buf.put(at + h, b, row * h, h);
        buf.put(at + 2 * h, c, row * h, h);
      }
    }

    boolean fits(int batch, int steps, int nIn, int hidden, boolean training) {
      return this.batch == batch && this.steps == steps && this.nIn == nIn && this.hidden == hidden
          && (this.training || !training);
    }

    int slot(int t) {
      return training ? t : 0;
    }

    /** Where h after step i - 1 is kept: every one in training, the last two otherwise. */
    int hSlot(int i) {
      return training ? i : i % 2;
    }

    /** h(t - 1): null at t = 0 (the zero state). */
    float[] previous(int t) {
      return t == 0 ? null : h[hSlot(t)];
    }
  }
}

package org.seqml.model;

import org.bytedeco.javacpp.FloatPointer;
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

/**
 * {@link TransformerBlock}'s equations and parameters computed without SameDiff: each projection and
 * the feed-forward network is one matrix product over all positions, each (example, head)'s attention
 * two small products around a softmax, all products straight to OpenBLAS ({@link NativeGemm}); the
 * softmax, layer norms, residuals and ReLU run in plain Java ({@link AttentionKernels}), and the training
 * forward pass is kept for the backward pass. SameDiff runs the block op by op through its interpreter
 * and DL4J then backpropagates it twice ({@link DoubledGradientFix}); this layer computes the gradient
 * once. The bench's 2-block step runs 7x as fast (docs/BENCHMARKS.md).
 *
 * <p>Rows are time-major (row t * B + b is example b at step t), the layout {@link TimeMajor} reads
 * and {@link FusedLstmLayer} writes, so stacked blocks pass views, not transposes. The mask [B, T]
 * removes padded keys from every softmax, as the SameDiff block's; padded queries are computed and
 * never read.
 *
 * <p>Float networks on the CPU backend only; anything else (double precision for gradient checks,
 * GPU) runs the SameDiff graph of the parent class, which gives the same results
 * (FusedTransformerTest).
 */
final class FusedTransformerLayer extends FusedSameDiffLayer {
  private Buffers buffers;
  FusedTransformerLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private TransformerBlock block() {
    return (TransformerBlock) layerConf();
  }

  @Override
  boolean fused() {
    return dataType == DataType.FLOAT && Nd4j.getEnvironment().isCPU() && input != null && input.rank() == 3
        && input.size(1) == block().getModel()
        && (maskArray == null || maskArray.length() == input.size(0) * input.size(2));
  }

  @Override
  INDArray fusedOutput(LayerWorkspaceMgr workspaceMgr) {
    Buffers s = buffers;
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
        new long[] {s.steps, s.batch, s.model}, 'c');
    out.assign(s.y.reshape('c', s.steps, s.batch, s.model));
    return out.permute(1, 2, 0);
  }

  @Override
  Pair<Gradient, INDArray> fusedBackward(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    Buffers s = buffers;
    INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
        new long[] {s.steps, s.batch, s.model}, 'c');
    Gradient gradient = backward(epsilon, dx.reshape('c', s.rows, s.model));
    return new Pair<>(gradient, dx.permute(1, 2, 0));
  }

  /** A [d, d] view of a [heads, head, d] projection (c order: row h * head + p is head h's row p). */
  private INDArray square(INDArray projection) {
    int d = block().getModel();
    return projection.reshape('c', d, d);
  }

  @Override
  void fusedForward(boolean training) {
    TransformerBlock conf = block();
    int b = (int) input.size(0);
    int t = (int) input.size(2);
    Buffers s = buffersFor(b, t, conf.getModel(), conf.getHeads(), conf.getFeedForward());
    int d = s.model;
    int n = s.rows * d;
    s.mask = maskArray == null ? null : maskArray.castTo(DataType.FLOAT).dup('c').data().asFloat();
    TimeMajor.copyIn(input, s.x);
    NativeGemm.mm(s.x, false, square(paramTable.get("Wq")), true, s.q, 1f, 0f);
    NativeGemm.mm(s.x, false, square(paramTable.get("Wk")), true, s.k, 1f, 0f);
    NativeGemm.mm(s.x, false, square(paramTable.get("Wv")), true, s.v, 1f, 0f);
    read(s.x, s.xf);
    attention(s);
    NativeGemm.mm(s.ctx, false, paramTable.get("Wo"), false, s.a, 1f, 0f);
    read(s.a, s.af);
    for (int i = 0; i < n; i++) {
      s.af[i] += s.xf[i];
    }
    AttentionKernels.layerNorm(s.af, vector("g1"), vector("n1"), TransformerBlock.EPSILON, s.xhat1, s.inv1, s.h1f,
        s.rows, d);
    write(s.h1f, s.h1);
    NativeGemm.mm(s.h1, false, paramTable.get("W1"), false, s.f, 1f, 0f);
    read(s.f, s.ff);
    AttentionKernels.broadcastRows(vector("b1"), s.rows, s.dff); // dff: scratch until the backward pass
    AttentionKernels.addRelu(s.ff, s.dff, s.rows * s.feedForward);
    write(s.ff, s.f);
    NativeGemm.mm(s.f, false, paramTable.get("W2"), false, s.a, 1f, 0f);
    read(s.a, s.af);
    AttentionKernels.broadcastRows(vector("b2"), s.rows, s.drf); // drf: scratch until the backward pass
    for (int i = 0; i < n; i++) {
      s.af[i] += s.h1f[i] + s.drf[i];
    }
    AttentionKernels.layerNorm(s.af, vector("g2"), vector("n2"), TransformerBlock.EPSILON, s.xhat2, s.inv2, s.yf,
        s.rows, d);
    write(s.yf, s.y);
  }

  /**
   * Every (example, head): scores, softmax, weighted values, one head at a time so that its [T, T]
   * weights stay in the cache between the three steps. A head's queries, keys and values are a [T, head]
   * slice of the time-major [rows, d] matrices: rows b, b + B, ... (leading dimension B * d), columns
   * h * head onwards. The weights are kept in {@code pf} for the backward pass.
   */
  private static void attention(Buffers s) {
    int t = s.steps;
    int tt = t * t;
    int hd = s.head;
    int ld = s.batch * s.model;
    float scale = (float) (1.0 / Math.sqrt(hd));
    for (int ex = 0; ex < s.batch; ex++) {
      if (s.mask != null) {
        AttentionKernels.maskBlock(s.mask, ex, t, s.add, s.keep);
      }
      for (int h = 0; h < s.heads; h++) {
        long at = (long) ex * s.model + (long) h * hd;
        NativeGemm.gemm(false, true, t, t, hd, scale, s.qp, at, ld, s.kp, at, ld, 0f, s.pp, 0, t);
        s.pBuf.get(0, s.weights, 0, tt);
        AttentionKernels.softmax(s.weights, tt, t, s.mask == null ? null : s.add, s.mask == null ? null : s.keep,
            s.scratch);
        s.pBuf.put(0, s.weights, 0, tt);
        System.arraycopy(s.weights, 0, s.pf, s.block(ex, h), tt);
        NativeGemm.gemm(false, false, t, hd, t, 1f, s.pp, 0, t, s.vp, at, ld, 0f, s.ctxp, at, ld);
      }
    }
  }

  private Gradient backward(INDArray epsilon, INDArray dx) {
    Buffers s = buffers;
    int d = s.model;
    int n = s.rows * d;
    TimeMajor.copyIn(epsilon, s.dy);
    read(s.dy, s.dyf);
    float[] dg2 = new float[d];
    float[] dn2 = new float[d];
    AttentionKernels.layerNormBack(s.dyf, s.xhat2, s.inv2, vector("g2"), s.drf, dg2, dn2, s.rows, d);
    write(s.drf, s.dr);
    // Feed-forward: r2 = h1 + relu(h1 W1 + b1) W2 + b2.
    NativeGemm.mm(s.f, true, s.dr, false, gradTable.get("W2"), 1f, 0f);
    float[] db2 = new float[d];
    AttentionKernels.columnSums(s.drf, s.rows, d, db2);
    NativeGemm.mm(s.dr, false, paramTable.get("W2"), true, s.df, 1f, 0f);
    read(s.df, s.dff);
    AttentionKernels.reluBack(s.dff, s.ff, s.rows * s.feedForward);
    float[] db1 = new float[s.feedForward];
    AttentionKernels.columnSums(s.dff, s.rows, s.feedForward, db1);
    write(s.dff, s.df);
    NativeGemm.mm(s.h1, true, s.df, false, gradTable.get("W1"), 1f, 0f);
    NativeGemm.mm(s.df, false, paramTable.get("W1"), true, s.a, 1f, 0f);
    read(s.a, s.af);
    for (int i = 0; i < n; i++) {
      s.af[i] += s.drf[i]; // the residual around the feed-forward network
    }
    float[] dg1 = new float[d];
    float[] dn1 = new float[d];
    AttentionKernels.layerNormBack(s.af, s.xhat1, s.inv1, vector("g1"), s.drf, dg1, dn1, s.rows, d);
    write(s.drf, s.dr);
    // Attention: r1 = x + concat_h(attend(x Wq_h, x Wk_h, x Wv_h)) Wo.
    NativeGemm.mm(s.ctx, true, s.dr, false, gradTable.get("Wo"), 1f, 0f);
    NativeGemm.mm(s.dr, false, paramTable.get("Wo"), true, s.a, 1f, 0f);
    attentionBack(s); // from dL/d(context) in s.a
    NativeGemm.mm(s.dq, true, s.x, false, square(gradTable.get("Wq")), 1f, 0f);
    NativeGemm.mm(s.dk, true, s.x, false, square(gradTable.get("Wk")), 1f, 0f);
    NativeGemm.mm(s.dv, true, s.x, false, square(gradTable.get("Wv")), 1f, 0f);
    dx.assign(s.dr); // the residual around the attention
    NativeGemm.mm(s.dq, false, square(paramTable.get("Wq")), false, dx, 1f, 1f);
    NativeGemm.mm(s.dk, false, square(paramTable.get("Wk")), false, dx, 1f, 1f);
    NativeGemm.mm(s.dv, false, square(paramTable.get("Wv")), false, dx, 1f, 1f);
    assignVector("b1", db1);
    assignVector("b2", db2);
    assignVector("g1", dg1);
    assignVector("n1", dn1);
    assignVector("g2", dg2);
    assignVector("n2", dn2);
    Gradient gradient = new DefaultGradient();
    for (String key : paramTable.keySet()) {
      gradient.gradientForVariable().put(key, gradTable.get(key));
    }
    return gradient;
  }

  /** From dL/d(context) in {@code a}: dL/dq, dL/dk, dL/dv into dq, dk, dv, head by head as {@link #attention}. */
  private static void attentionBack(Buffers s) {
    int t = s.steps;
    int tt = t * t;
    int hd = s.head;
    int ld = s.batch * s.model;
    float scale = (float) (1.0 / Math.sqrt(hd));
    for (int ex = 0; ex < s.batch; ex++) {
      for (int h = 0; h < s.heads; h++) {
        long at = (long) ex * s.model + (long) h * hd;
        System.arraycopy(s.pf, s.block(ex, h), s.weights, 0, tt);
        s.pBuf.put(0, s.weights, 0, tt);
        NativeGemm.gemm(false, true, t, t, hd, 1f, s.ap, at, ld, s.vp, at, ld, 0f, s.dpp, 0, t);
        NativeGemm.gemm(true, false, t, hd, t, 1f, s.pp, 0, t, s.ap, at, ld, 0f, s.dvp, at, ld);
        s.dpBuf.get(0, s.grads, 0, tt);
        AttentionKernels.softmaxBack(s.weights, s.grads, tt, t, s.scratch);
        s.dpBuf.put(0, s.grads, 0, tt);
        NativeGemm.gemm(false, false, t, hd, t, scale, s.dpp, 0, t, s.kp, at, ld, 0f, s.dqp, at, ld);
        NativeGemm.gemm(true, false, t, hd, t, scale, s.dpp, 0, t, s.qp, at, ld, 0f, s.dkp, at, ld);
      }
    }
  }

  private float[] vector(String key) {
    return paramTable.get(key).toFloatVector();
  }

  private void assignVector(String key, float[] values) {
    INDArray view = gradTable.get(key);
    view.assign(Nd4j.createFromArray(values).reshape(view.shape()));
  }

  private static void read(INDArray from, float[] to) {
    from.data().asNioFloat().get(0, to, 0, to.length);
  }

  private static void write(float[] from, INDArray to) {
    to.data().asNioFloat().put(0, from, 0, from.length);
  }

  private Buffers buffersFor(int batch, int steps, int model, int heads, int feedForward) {
    if (buffers == null || !buffers.fits(batch, steps, model, heads, feedForward)) {
      buffers = new Buffers(batch, steps, model, heads, feedForward);
    }
    return buffers;
  }

  /**
   * What one call works in, kept while the batch shape stays: native [rows, d] matrices for the
   * products (outside DL4J's workspaces, so they outlive a forward pass), their Java copies, and what
   * the backward pass reads (attention weights, normalised rows).
   */
  private static final class Buffers {
    final int batch;
    final int steps;
    final int model;
    final int heads;
    final int head;
    final int feedForward;
    final int rows;
    final INDArray x;
    final INDArray q;
    final INDArray k;
    final INDArray v;
    final INDArray ctx;
    /** Scratch [rows, d]: a product's result before it is added to a residual. */
    final INDArray a;
    final INDArray h1;
    final INDArray f;
    final INDArray y;
    final INDArray dy;
    final INDArray dr;
    final INDArray df;
    final INDArray dq;
    final INDArray dk;
    final INDArray dv;
    /** One (example, head)'s attention weights [T, T], row i for query i. */
    final INDArray p;
    /** One (example, head)'s dL/d(weights), then dL/d(scores): [T, T]. */
    final INDArray dp;
    final java.nio.FloatBuffer pBuf;
    final java.nio.FloatBuffer dpBuf;
    final FloatPointer qp;
    final FloatPointer kp;
    final FloatPointer vp;
    final FloatPointer ctxp;
    final FloatPointer ap;
    final FloatPointer dqp;
    final FloatPointer dkp;
    final FloatPointer dvp;
    final FloatPointer pp;
    final FloatPointer dpp;
    /** The attention weights of every (example, head) [B * heads, T, T], example-major, for the backward pass. */
    final float[] pf;
    /** Java copies of {@link #p} and {@link #dp}, and scratch, all [T, T]. */
    final float[] weights;
    final float[] grads;
    final float[] scratch;
    final float[] xf;
    final float[] af;
    final float[] xhat1;
    final float[] inv1;
    final float[] h1f;
    final float[] ff;
    final float[] xhat2;
    final float[] inv2;
    final float[] yf;
    final float[] dyf;
    final float[] drf;
    final float[] dff;
    /** The mask [B, T] of the last forward pass, or null. */
    float[] mask;
    /** One example's mask as AttentionKernels.maskBlock spreads it over [T, T]. */
    final float[] add;
    final float[] keep;

    Buffers(int batch, int steps, int model, int heads, int feedForward) {
      this.batch = batch;
      this.steps = steps;
      this.model = model;
      this.heads = heads;
      this.head = model / heads;
      this.feedForward = feedForward;
      this.rows = batch * steps;
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        x = matrix(model);
        q = matrix(model);
        k = matrix(model);
        v = matrix(model);
        ctx = matrix(model);
        a = matrix(model);
        h1 = matrix(model);
        f = matrix(feedForward);
        y = matrix(model);
        dy = matrix(model);
        dr = matrix(model);
        df = matrix(feedForward);
        dq = matrix(model);
        dk = matrix(model);
        dv = matrix(model);
        p = Nd4j.create(DataType.FLOAT, (long) steps * steps);
        dp = Nd4j.create(DataType.FLOAT, (long) steps * steps);
      }
      qp = NativeGemm.pointer(q);
      kp = NativeGemm.pointer(k);
      vp = NativeGemm.pointer(v);
      ctxp = NativeGemm.pointer(ctx);
      ap = NativeGemm.pointer(a);
      dqp = NativeGemm.pointer(dq);
      dkp = NativeGemm.pointer(dk);
      dvp = NativeGemm.pointer(dv);
      pp = NativeGemm.pointer(p);
      dpp = NativeGemm.pointer(dp);
      pBuf = p.data().asNioFloat();
      dpBuf = dp.data().asNioFloat();
      pf = new float[batch * heads * steps * steps];
      weights = new float[steps * steps];
      grads = new float[steps * steps];
      scratch = new float[steps * steps];
      add = new float[steps * steps];
      keep = new float[steps * steps];
      int n = rows * model;
      xf = new float[n];
      af = new float[n];
      xhat1 = new float[n];
      inv1 = new float[rows];
      h1f = new float[n];
      ff = new float[rows * feedForward];
      xhat2 = new float[n];
      inv2 = new float[rows];
      yf = new float[n];
      dyf = new float[n];
      drf = new float[n];
      dff = new float[rows * feedForward];
    }

    private INDArray matrix(int columns) {
      return Nd4j.create(DataType.FLOAT, new long[] {rows, columns}, 'c');
    }

    boolean fits(int batch, int steps, int model, int heads, int feedForward) {
      return this.batch == batch && this.steps == steps && this.model == model && this.heads == heads
          && this.feedForward == feedForward;
    }

    /** Where the [T, T] weights of (example ex, head h) start in {@link #pf}. */
    int block(int ex, int h) {
      return (ex * heads + h) * steps * steps;
    }
  }
}

package org.seqml.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link PositionalProjection}'s equation, y = (x W + b) sqrt(d) + PE(t), as one matrix product over all
 * positions and one element-wise pass, with its exact gradient (the SameDiff layer's is computed twice
 * and halved, {@link DoubledGradientFix}). Rows are time-major, as {@link FusedTransformerLayer} reads
 * them. Float networks on the CPU backend; anything else runs the SameDiff graph of the parent class.
 */
final class FusedProjectionLayer extends SameDiffLayer {
  private Buffers buffers;

  FusedProjectionLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private PositionalProjection projection() {
    return (PositionalProjection) layerConf();
  }

  private boolean fused() {
    return dataType == DataType.FLOAT && Nd4j.getEnvironment().isCPU() && input != null && input.rank() == 3
        && input.size(1) == projection().getIn() && input.size(2) == projection().getLength();
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!fused()) {
      return super.activate(training, workspaceMgr);
    }
    assertInputSet(false);
    PositionalProjection conf = projection();
    int b = (int) input.size(0);
    int t = conf.getLength();
    Buffers s = buffersFor(b, t, conf.getIn(), conf.getModel());
    int d = s.model;
    TimeMajor.copyIn(input, s.x);
    NativeGemm.mm(s.x, false, paramTable.get("W"), false, s.y, 1f, 0f);
    s.y.data().asNioFloat().get(0, s.yf, 0, s.yf.length);
    float[] bias = paramTable.get("b").toFloatVector();
    float scale = (float) Math.sqrt(d);
    for (int c = 0; c < d; c++) {
      bias[c] *= scale;
    }
    AttentionKernels.broadcastRows(bias, s.rows, s.scratch);
    for (int i = 0; i < s.yf.length; i++) {
      s.yf[i] = s.yf[i] * scale + s.scratch[i] + s.code[i];
    }
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[] {t, b, d}, 'c');
    s.y.data().asNioFloat().put(0, s.yf, 0, s.yf.length);
    out.assign(s.y.reshape('c', t, b, d));
    return out.permute(1, 2, 0);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (!fused()) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    assertInputSet(true);
    PositionalProjection conf = projection();
    Buffers s = buffersFor((int) input.size(0), conf.getLength(), conf.getIn(), conf.getModel());
    double scale = Math.sqrt(s.model);
    TimeMajor.copyIn(input, s.x);
    TimeMajor.copyIn(epsilon, s.y);
    NativeGemm.mm(s.x, true, s.y, false, gradTable.get("W"), (float) scale, 0f);
    s.y.data().asNioFloat().get(0, s.yf, 0, s.yf.length);
    float[] biasGrad = new float[s.model];
    AttentionKernels.columnSums(s.yf, s.rows, s.model, biasGrad);
    for (int c = 0; c < s.model; c++) {
      biasGrad[c] *= (float) scale;
    }
    INDArray gradB = gradTable.get("b");
    gradB.assign(Nd4j.createFromArray(biasGrad).reshape(gradB.shape()));
    INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
        new long[] {s.steps, s.batch, s.in}, 'c');
    NativeGemm.mm(s.y, false, paramTable.get("W"), true, dx.reshape('c', s.rows, s.in), (float) scale, 0f);
    Gradient gradient = new DefaultGradient();
    for (String key : paramTable.keySet()) {
      gradient.gradientForVariable().put(key, gradTable.get(key));
    }
    return new Pair<>(gradient, dx.permute(1, 2, 0));
  }

  private Buffers buffersFor(int batch, int steps, int in, int model) {
    if (buffers == null || !buffers.fits(batch, steps, in, model)) {
      buffers = new Buffers(batch, steps, in, model);
    }
    return buffers;
  }

  /** Kept while the batch shape stays: the time-major input and output, and the position code per row. */
  private static final class Buffers {
    final int batch;
    final int steps;
    final int in;
    final int model;
    final int rows;
    final INDArray x;
    final INDArray y;
    final float[] yf;
    final float[] scratch;
    /** PE(t) in every row t * B + b: [rows, d]. */
    final float[] code;

    Buffers(int batch, int steps, int in, int model) {
      this.batch = batch;
      this.steps = steps;
      this.in = in;
      this.model = model;
      this.rows = batch * steps;
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        x = Nd4j.create(DataType.FLOAT, new long[] {rows, in}, 'c');
        y = Nd4j.create(DataType.FLOAT, new long[] {rows, model}, 'c');
        float[] pe = PositionalProjection.sinusoid(steps, model).data().asFloat();
        code = new float[rows * model];
        for (int t = 0; t < steps; t++) {
          for (int b = 0; b < batch; b++) {
            System.arraycopy(pe, t * model, code, (t * batch + b) * model, model);
          }
        }
      }
      yf = new float[rows * model];
      scratch = new float[rows * model];
    }

    boolean fits(int batch, int steps, int in, int model) {
      return this.batch == batch && this.steps == steps && this.in == in && this.model == model;
    }
  }
}

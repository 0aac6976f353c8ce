package org.seqml.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A gated recurrent unit layer (Cho et al. 2014) with PyTorch's and cuDNN's equations ("reset after"):
 * <pre>
 *   r = sigmoid(x Wr + bir + h Rr + bhr)      z = sigmoid(x Wz + biz + h Rz + bhz)
 *   n = tanh(x Wn + bin + r * (h Rn + bhn))   h' = (1 - z) * n + z * h
 * </pre>
 * Parameters W [nIn, 3H], R [H, 3H], bi and bh [1, 3H], gates side by side in the order r, z, n. DL4J has
 * no GRU layer: this is one as a SameDiff graph (the time loop unrolled over the window's length), the
 * reference and fallback of seqml's fused CPU layer ({@link FusedGru}). [batch, nIn, T] to [batch, H, T];
 * causal, so padding after an example's real steps never reaches them (no mask needed, as DL4J's LSTM).
 */
public class GruLayer extends SameDiffLayer {
  private int in;
  private int hidden;
  private int length;

  /** For JSON deserialisation of saved models. */
  protected GruLayer() {}

  public GruLayer(int in, int hidden, int length) {
    this.in = in;
    this.hidden = hidden;
    this.length = length;
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    params.addWeightParam("W", in, 3L * hidden);
    params.addWeightParam("R", hidden, 3L * hidden);
    params.addBiasParam("bi", 1, 3L * hidden);
    params.addBiasParam("bh", 1, 3L * hidden);
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    initWeights(in, hidden, WeightInit.XAVIER, params.get("W"));
    initWeights(hidden, hidden, WeightInit.XAVIER, params.get("R"));
    params.get("bi").assign(0);
    params.get("bh").assign(0);
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
    int h = hidden;
    // Time-major [T, B, 3H], unstacked into steps. No strided slices: their gradient op fails in this graph
    // (strided_slice_bp "lengths of arrays are mismatched"); gates are taken by constant selector products.
    SDVariable projected = sd.reshape(sd.reshape(sd.permute(input, 0, 2, 1), -1, in).mmul(p.get("W"))
        .add(p.get("bi")), -1, length, 3 * h);
    SDVariable[] steps = sd.unstack(sd.permute(projected, 1, 0, 2), 0, length);
    SDVariable[] select = new SDVariable[3];
    for (int g = 0; g < 3; g++) {
      INDArray e = Nd4j.zeros(input.dataType(), 3L * h, h);
      for (int i = 0; i < h; i++) {
        e.putScalar(g * h + i, i, 1.0);
      }
      select[g] = sd.constant(e);
    }
    SDVariable state = null;
    SDVariable[] outputs = new SDVariable[length];
    for (int t = 0; t < length; t++) {
      SDVariable x = steps[t];
      SDVariable gh = state == null ? p.get("bh") : state.mmul(p.get("R")).add(p.get("bh"));
      SDVariable r = sd.nn.sigmoid(x.mmul(select[0]).add(gh.mmul(select[0])));
      SDVariable z = sd.nn.sigmoid(x.mmul(select[1]).add(gh.mmul(select[1])));
      SDVariable n = sd.math.tanh(x.mmul(select[2]).add(r.mul(gh.mmul(select[2]))));
      state = state == null ? z.rsub(1.0).mul(n) : z.rsub(1.0).mul(n).add(z.mul(state));
      outputs[t] = state;
    }
    return DoubledGradientFix.output(sd, sd.stack(2, outputs));
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.recurrent(hidden, length);
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    // Sizes are fixed at construction.
  }

  public int getIn() {
    return in;
  }

  public void setIn(int in) {
    this.in = in;
  }

  public int getHidden() {
    return hidden;
  }

  public void setHidden(int hidden) {
    this.hidden = hidden;
  }

  public int getLength() {
    return length;
  }

  public void setLength(int length) {
    this.length = length;
  }
}

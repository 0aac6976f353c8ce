package org.seqml.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Transformer's input: each position's vector (features, a one-hot token or an embedding) is
 * projected to d-model and scaled by sqrt(d-model), then the fixed sinusoidal position code of Vaswani et al. is added. The
 * code is a constant of the graph, rebuilt from (d, T) on load, so it costs no parameters.
 * [batch, in, T] to [batch, d, T].
 */
public class PositionalProjection extends SameDiffLayer {
  private int in;
  private int model;
  private int length;

  protected PositionalProjection() {}

  public PositionalProjection(int in, int model, int length) {
    this.in = in;
    this.model = model;
    this.length = length;
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    params.addWeightParam("W", in, model);
    params.addBiasParam("b", 1, model);
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    initWeights(in, model, WeightInit.XAVIER, params.get("W"));
    params.get("b").assign(0);
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
    SDVariable rows = sd.reshape(sd.permute(input, 0, 2, 1), -1, in);
    // Scaled by sqrt(d) as in Vaswani et al., so the token signal is not drowned by the position code.
    SDVariable projected = sd.reshape(rows.mmul(p.get("W")).add(p.get("b")).mul(Math.sqrt(model)), -1, length,
        model);
    SDVariable code = sd.constant(sinusoid(length, model).castTo(input.dataType()).reshape(1, length, model));
    return DoubledGradientFix.output(sd, sd.permute(projected.add(code), 0, 2, 1));
  }

  /** PE(t, 2i) = sin(t / 10000^(2i/d)), PE(t, 2i+1) = cos(t / 10000^(2i/d)); [T, d]. */
  static INDArray sinusoid(int length, int model) {
    double[][] pe = new double[length][model];
    for (int t = 0; t < length; t++) {
      for (int i = 0; i < model; i++) {
        double angle = t / Math.pow(10000, (2 * (i / 2)) / (double) model);
        pe[t][i] = i % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
      }
    }
    return Nd4j.create(pe).castTo(DataType.FLOAT);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.recurrent(model, length);
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

  public int getModel() {
    return model;
  }

  public void setModel(int model) {
    this.model = model;
  }

  public int getLength() {
    return length;
  }

  public void setLength(int length) {
    this.length = length;
  }
}

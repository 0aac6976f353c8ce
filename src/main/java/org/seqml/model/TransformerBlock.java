package org.seqml.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One Transformer encoder block (Vaswani et al. 2017, post-norm): multi-head scaled dot-product
 * self-attention, residual, layer normalisation, a position-wise feed-forward network (ReLU),
 * residual, layer normalisation. Input and output are [batch, d, T] (DL4J's NCW); the input mask
 * [batch, T] reaches the attention, so padded positions are never attended to and cannot change the
 * output at real positions. A SameDiff layer (not a vertex): SameDiff vertices lose their updater
 * when DL4J's Spark masters clone the config (STACK.md), layers do not.
 */
public class TransformerBlock extends SameDiffLayer {
  static final double EPSILON = 1e-5;
  private int model;
  private int heads;
  private int feedForward;
  private int length;

  /** For JSON deserialisation of saved models. */
  protected TransformerBlock() {}

  public TransformerBlock(int model, int heads, int feedForward, int length) {
    if (model % heads != 0) {
      throw new IllegalArgumentException("d-model " + model + " is not a multiple of heads " + heads);
    }
    this.model = model;
    this.heads = heads;
    this.feedForward = feedForward;
    this.length = length;
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    int head = model / heads;
    for (String w : new String[] {"Wq", "Wk", "Wv"}) {
      params.addWeightParam(w, heads, head, model);
    }
    params.addWeightParam("Wo", model, model);
    params.addWeightParam("W1", model, feedForward);
    params.addBiasParam("b1", 1, feedForward);
    params.addWeightParam("W2", feedForward, model);
    params.addBiasParam("b2", 1, model);
    params.addWeightParam("g1", 1, model);
    params.addBiasParam("n1", 1, model);
    params.addWeightParam("g2", 1, model);
    params.addBiasParam("n2", 1, model);
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    for (String w : new String[] {"Wq", "Wk", "Wv"}) {
      initWeights(model, model / heads, WeightInit.XAVIER, params.get(w));
    }
    initWeights(model, model, WeightInit.XAVIER, params.get("Wo"));
    initWeights(model, feedForward, WeightInit.XAVIER, params.get("W1"));
    initWeights(feedForward, model, WeightInit.XAVIER, params.get("W2"));
    params.get("g1").assign(1);
    params.get("g2").assign(1);
    for (String b : new String[] {"b1", "b2", "n1", "n2"}) {
      params.get(b).assign(0);
    }
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
    SDVariable attended = sd.nn.multiHeadDotProductAttention(input, input, input, p.get("Wq"), p.get("Wk"),
        p.get("Wv"), p.get("Wo"), mask, true);
    // Position-wise parts on [batch * T, d]: every row is one position.
    SDVariable rows = positions(sd, input.add(attended));
    SDVariable first = norm(sd, rows, p.get("g1"), p.get("n1"));
    SDVariable hidden = sd.nn.relu(first.mmul(p.get("W1")).add(p.get("b1")), 0);
    SDVariable second = norm(sd, first.add(hidden.mmul(p.get("W2")).add(p.get("b2"))), p.get("g2"), p.get("n2"));
    return DoubledGradientFix.output(sd, sd.permute(sd.reshape(second, -1, length, model), 0, 2, 1));
  }

  private SDVariable positions(SameDiff sd, SDVariable ncw) {
    return sd.reshape(sd.permute(ncw, 0, 2, 1), -1, model);
  }

  /** Layer normalisation over the features of each row. */
  private static SDVariable norm(SameDiff sd, SDVariable x, SDVariable gain, SDVariable bias) {
    SDVariable centred = x.sub(x.mean(true, 1));
    SDVariable std = sd.math.sqrt(centred.mul(centred).mean(true, 1).add(EPSILON));
    return centred.div(std).mul(gain).add(bias);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.recurrent(model, length);
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    // Sizes are fixed at construction.
  }

  public int getModel() {
    return model;
  }

  public void setModel(int model) {
    this.model = model;
  }

  public int getHeads() {
    return heads;
  }

  public void setHeads(int heads) {
    this.heads = heads;
  }

  public int getFeedForward() {
    return feedForward;
  }

  public void setFeedForward(int feedForward) {
    this.feedForward = feedForward;
  }

  public int getLength() {
    return length;
  }

  public void setLength(int length) {
    this.length = length;
  }
}

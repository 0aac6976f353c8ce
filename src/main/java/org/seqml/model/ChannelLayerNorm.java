package org.seqml.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer normalisation over the channels of each position of [batch, channels, T], with a gain and a
 * shift per channel: the convolution blocks' norm = layer. Each position is normalised on its own, so
 * padded positions never reach real ones (DL4J has no layer norm for sequences).
 */
public class ChannelLayerNorm extends SameDiffLayer {
  private int channels;
  private int length;

  /** For JSON deserialisation of saved models. */
  protected ChannelLayerNorm() {}

  public ChannelLayerNorm(int channels, int length) {
    this.channels = channels;
    this.length = length;
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    // Bias parameters, not weights: L2 would pull the gain towards zero.
    params.addBiasParam("gain", 1, channels);
    params.addBiasParam("shift", 1, channels);
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    params.get("gain").assign(1);
    params.get("shift").assign(0);
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
    SDVariable centred = input.sub(input.mean(true, 1));
    SDVariable std = sd.math.sqrt(centred.mul(centred).mean(true, 1).add(TransformerBlock.EPSILON));
    SDVariable gain = sd.reshape(p.get("gain"), 1, channels, 1);
    SDVariable shift = sd.reshape(p.get("shift"), 1, channels, 1);
    return DoubledGradientFix.output(sd, centred.div(std).mul(gain).add(shift));
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.recurrent(channels, length);
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    // Sizes are fixed at construction.
  }

  public int getChannels() {
    return channels;
  }

  public void setChannels(int channels) {
    this.channels = channels;
  }

  public int getLength() {
    return length;
  }

  public void setLength(int length) {
    this.length = length;
  }
}

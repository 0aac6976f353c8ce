package org.seqml.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link TransformerBlock} unchanged (same parameters, initialisation and JSON fields), whose layer runs
 * seqml's fused CPU implementation ({@link FusedTransformerLayer}) instead of the SameDiff graph. A
 * network saved with it needs seqml on the class path to load, as one saved with the SameDiff block.
 */
public class FusedTransformerBlock extends TransformerBlock {
  /** For JSON deserialisation of saved models. */
  protected FusedTransformerBlock() {}

  public FusedTransformerBlock(int model, int heads, int feedForward, int length) {
    super(model, heads, feedForward, length);
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
      INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
    return FusedLayers.wire(new FusedTransformerLayer(conf, networkDataType), this, conf, listeners, layerIndex,
        layerParamsView, initializeParams);
  }
}

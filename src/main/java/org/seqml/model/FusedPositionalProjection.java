package org.seqml.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link PositionalProjection} unchanged (same parameters, initialisation and JSON fields), whose layer
 * runs seqml's fused CPU implementation ({@link FusedProjectionLayer}) instead of the SameDiff graph.
 */
public class FusedPositionalProjection extends PositionalProjection {
  /** For JSON deserialisation of saved models. */
  protected FusedPositionalProjection() {}

  public FusedPositionalProjection(int in, int model, int length) {
    super(in, model, length);
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
      INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
    return FusedLayers.wire(new FusedProjectionLayer(conf, networkDataType), this, conf, listeners, layerIndex,
        layerParamsView, initializeParams);
  }
}

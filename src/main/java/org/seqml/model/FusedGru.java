package org.seqml.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link GruLayer} unchanged (same parameters, initialisation and JSON fields), whose layer runs seqml's
 * fused CPU implementation ({@link FusedGruLayer}) instead of the SameDiff graph.
 */
public class FusedGru extends GruLayer {
  /** For JSON deserialisation of saved models. */
  protected FusedGru() {}

  public FusedGru(int in, int hidden, int length) {
    super(in, hidden, length);
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
      INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
    return FusedLayers.wire(new FusedGruLayer(conf, networkDataType), this, conf, listeners, layerIndex,
        layerParamsView, initializeParams);
  }
}

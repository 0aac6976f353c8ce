package org.seqml.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link LSTM} layer configuration, unchanged (same parameters, initialisation, regularisation,
 * dropout and JSON fields), whose layer runs seqml's fused CPU implementation ({@link FusedLstmLayer})
 * instead of DL4J's per-op one. A network saved with it needs seqml on the class path to load.
 */
public class FusedLstm extends LSTM {
  /** For Jackson (model JSON). */
  public FusedLstm() {}

  /** The same configuration as {@code lstm}: every field copied (DL4J's builder constructor is private). */
  public static FusedLstm of(LSTM lstm) {
    return ConfigCopy.into(lstm, new FusedLstm(), LSTM.class);
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
      INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
    LayerValidation.assertNInNOutSet("FusedLstm", getLayerName(), layerIndex, getNIn(), getNOut());
    return FusedLayers.wire(new FusedLstmLayer(conf, networkDataType), this, conf, listeners, layerIndex, layerParamsView,
        initializeParams);
  }
}

package org.seqml.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link Convolution1DLayer} configuration, unchanged (same parameters, initialisation,
 * regularisation and JSON fields), whose layer runs seqml's CPU implementation ({@link FusedConv1DLayer})
 * instead of libnd4j's conv1d ops. A network saved with it needs seqml on the class path to load.
 */
public class FusedConv1D extends Convolution1DLayer {
  /** For Jackson (model JSON). */
  public FusedConv1D() {}

  /** The same configuration as {@code conv}: every field copied (DL4J's builder constructor is private). */
  public static FusedConv1D of(Convolution1DLayer conv) {
    return ConfigCopy.into(conv, new FusedConv1D(), Convolution1DLayer.class);
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
      INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
    LayerValidation.assertNInNOutSet("FusedConv1D", getLayerName(), layerIndex, getNIn(), getNOut());
    return FusedLayers.wire(new FusedConv1DLayer(conf, networkDataType), this, conf, listeners, layerIndex, layerParamsView,
        initializeParams);
  }
}

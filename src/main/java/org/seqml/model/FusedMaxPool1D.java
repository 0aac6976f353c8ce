package org.seqml.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link Subsampling1DLayer} configuration, unchanged, whose layer runs seqml's plain-Java max-pool
 * ({@link FusedMaxPool1DLayer}) instead of libnd4j's 2-D pooling ops. A network saved with it needs seqml on
 * the class path to load.
 */
public class FusedMaxPool1D extends Subsampling1DLayer {
  /** For Jackson (model JSON). */
  public FusedMaxPool1D() {}

  /** The same configuration as {@code pool}: every field copied (DL4J's builder constructor is private). */
  public static FusedMaxPool1D of(Subsampling1DLayer pool) {
    return ConfigCopy.into(pool, new FusedMaxPool1D(), Subsampling1DLayer.class);
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
      INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
    return FusedLayers.wire(new FusedMaxPool1DLayer(conf, networkDataType), this, conf, listeners, layerIndex,
        layerParamsView, initializeParams);
  }
}

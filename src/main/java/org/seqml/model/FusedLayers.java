package org.seqml.model;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What DL4J's layer configurations do in {@code instantiate}, for seqml's fused replacements of their layers. */
final class FusedLayers {
  private FusedLayers() {}

  static <L extends Layer> L wire(L layer, org.deeplearning4j.nn.conf.layers.Layer conf, NeuralNetConfiguration netConf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView, boolean initializeParams) {
    layer.setListeners(listeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(layerParamsView);
    layer.setParamTable(conf.initializer().init(netConf, layerParamsView, initializeParams));
    layer.setConf(netConf);
    return layer;
  }
}

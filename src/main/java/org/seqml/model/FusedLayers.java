package org.seqml.model;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What DL4J's SameDiffLayer configuration does in {@code instantiate}, for seqml's fused replacements. */
final class FusedLayers {
  private FusedLayers() {}

  static <L extends SameDiffLayer> L wire(L layer, AbstractSameDiffLayer conf, NeuralNetConfiguration netConf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView, boolean initializeParams) {
    layer.setListeners(listeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(layerParamsView);
    layer.setParamTable(conf.initializer().init(netConf, layerParamsView, initializeParams));
    layer.setConf(netConf);
    return layer;
  }
}

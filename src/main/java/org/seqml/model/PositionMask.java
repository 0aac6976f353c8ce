package org.seqml.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.util.MaskLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's MaskLayer (padded positions to zero, forwards and backwards), taking the mask in the
 * activations' data type. DL4J's MergeVertex hands on the OR of its inputs' masks as a BOOL array, and
 * MaskLayer multiplies a BOOL mask in as garbage (ModelFamiliesTest: bilstm with flatten).
 */
public class PositionMask extends MaskLayer {
  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
      INDArray params, boolean initializeParams, DataType dataType) {
    Impl layer = new Impl(conf, dataType);
    layer.setListeners(listeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(params);
    layer.setParamTable(initializer().init(conf, params, initializeParams));
    layer.setConf(conf);
    return layer;
  }

  static final class Impl extends org.deeplearning4j.nn.layers.util.MaskLayer {
    Impl(NeuralNetConfiguration conf, DataType dataType) {
      super(conf, dataType);
    }

    @Override
    public void setMaskArray(INDArray mask) {
      super.setMaskArray(inType(mask));
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray mask, MaskState state, int minibatchSize) {
      return super.feedForwardMaskArray(inType(mask), state, minibatchSize);
    }

    private INDArray inType(INDArray mask) {
      return mask == null || mask.dataType() == dataType ? mask : mask.castTo(dataType);
    }
  }
}

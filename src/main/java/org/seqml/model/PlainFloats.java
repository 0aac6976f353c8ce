package org.seqml.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An ND4J array's elements for plain-Java loops. */
final class PlainFloats {
  private PlainFloats() {}

  /** The elements in C order from the first: the array's own memory when it is a plain C-order float array. */
  static FloatBuffer of(INDArray x) {
    boolean plain = x.dataType() == DataType.FLOAT && x.ordering() == 'c' && !x.isView();
    return (plain ? x : x.castTo(DataType.FLOAT).dup('c')).data().asNioFloat();
  }
}

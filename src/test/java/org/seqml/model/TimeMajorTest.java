package org.seqml.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every copy path (time-major view, Java transpose of f order, ND4J's assign) gives the permutation. */
class TimeMajorTest {
  @ParameterizedTest
  @ValueSource(strings = {"f", "c", "time-major"})
  void copiesIntoTimeMajor(String layout) {
    Nd4j.getRandom().setSeed(4);
    INDArray x = Nd4j.rand(DataType.FLOAT, 3, 4, 5); // [B, C, T]
    if (layout.equals("time-major")) {
      x = x.permute(2, 0, 1).dup('c').permute(1, 2, 0); // as FusedLstmLayer returns its outputs
    } else {
      x = x.dup(layout.charAt(0));
    }
    INDArray expected = x.permute(2, 0, 1).dup('c').reshape(15, 4);
    INDArray timeMajor = Nd4j.create(DataType.FLOAT, 15, 4);
    TimeMajor.copyIn(x, timeMajor);
    assertEquals(expected, timeMajor);
  }
}

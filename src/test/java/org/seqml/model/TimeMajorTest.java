package org.seqml.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Both copy paths (Java for f order, ND4J's assign otherwise) give the permutation's values. */
class TimeMajorTest {
  @ParameterizedTest
  @ValueSource(chars = {'f', 'c'})
  void copiesInAndOutOfTimeMajor(char order) {
    Nd4j.getRandom().setSeed(4);
    INDArray x = Nd4j.rand(DataType.FLOAT, 3, 4, 5).dup(order); // [B, C, T]
    INDArray expected = x.permute(2, 0, 1).dup('c').reshape(15, 4);
    INDArray timeMajor = Nd4j.create(DataType.FLOAT, 15, 4);
    TimeMajor.copyIn(x, timeMajor);
    assertEquals(expected, timeMajor);

    // out of a range of rows of a larger matrix, as the layer's outputs are
    INDArray larger = Nd4j.rand(DataType.FLOAT, 18, 4);
    larger.get(NDArrayIndex.interval(3, 18), NDArrayIndex.all()).assign(expected);
    INDArray back = Nd4j.create(DataType.FLOAT, new long[] {3, 4, 5}, order);
    TimeMajor.copyOut(larger.get(NDArrayIndex.interval(3, 18), NDArrayIndex.all()), back);
    assertEquals(x, back);
  }
}

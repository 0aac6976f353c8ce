package org.seqml.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Products straight to OpenBLAS equal ND4J's for every order, transpose and offset the fused layers use. */
class NativeGemmTest {
  private static INDArray matrix(long rows, long cols, char order, long seed) {
    Nd4j.getRandom().setSeed(seed);
    return Nd4j.rand(DataType.FLOAT, rows, cols).dup(order);
  }

  @Test
  void everyOrderAndTransposeMatchesNd4j() {
    int m = 7;
    int n = 5;
    int k = 6;
    long seed = 1;
    for (char orderA : new char[] {'c', 'f'}) {
      for (char orderB : new char[] {'c', 'f'}) {
        for (char orderC : new char[] {'c', 'f'}) {
          for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
              INDArray a = ta ? matrix(k, m, orderA, seed++) : matrix(m, k, orderA, seed++);
              INDArray b = tb ? matrix(n, k, orderB, seed++) : matrix(k, n, orderB, seed++);
              INDArray c = matrix(m, n, orderC, seed++);
              INDArray want = (ta ? a.transpose() : a).mmul(tb ? b.transpose() : b).mul(0.5).add(c.mul(2));
              NativeGemm.mm(a, ta, b, tb, c, 0.5f, 2f);
              double diff = want.sub(c).amaxNumber().doubleValue();
              assertTrue(diff < 1e-5, orderA + "" + orderB + "" + orderC + " ta=" + ta + " tb=" + tb + ": " + diff);
            }
          }
        }
      }
    }
  }

  @Test
  void viewsAtAnOffsetAreReadAndWrittenInPlace() {
    INDArray big = matrix(10, 4, 'c', 42);
    INDArray rows = big.get(NDArrayIndex.interval(3, 8), NDArrayIndex.all()); // rows 3..7: offset 12
    INDArray w = matrix(4, 3, 'c', 43);
    INDArray out = Nd4j.zeros(DataType.FLOAT, 20, 3);
    INDArray target = out.get(NDArrayIndex.interval(10, 15), NDArrayIndex.all());
    NativeGemm.mm(rows, false, w, false, target, 1f, 0f);
    assertTrue(rows.mmul(w).equalsWithEps(target, 1e-5));
    assertTrue(out.get(NDArrayIndex.interval(0, 10), NDArrayIndex.all()).sumNumber().doubleValue() == 0,
        "wrote outside the view");
  }

  @Test
  void mismatchedShapesAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> NativeGemm.mm(matrix(3, 4, 'c', 1), false, matrix(5, 2, 'c', 2), false, Nd4j.zeros(DataType.FLOAT, 3, 2),
            1f, 0f));
  }
}

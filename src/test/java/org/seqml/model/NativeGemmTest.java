package org.seqml.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
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

  /**
   * Row blocks give the one product's result: whole blocks and a remainder, a row-major weight as it is
   * and a column-major one transposed (both multiplied in blocks), beta 0 and 1; the forms it leaves to
   * one call (a transposed row-major weight, a block or less) as well.
   */
  @Test
  void rowBlocksMatchOneProduct() {
    long seed = 100;
    for (int m : new int[] {8, 19, 32}) {
      for (char orderB : new char[] {'c', 'f'}) {
        for (boolean tb : new boolean[] {false, true}) {
          for (float beta : new float[] {0f, 1f}) {
            INDArray a = matrix(m, 6, 'c', seed++);
            INDArray b = tb ? matrix(20, 6, orderB, seed++) : matrix(6, 20, orderB, seed++);
            INDArray c = matrix(m, 20, 'c', seed++);
            INDArray want = c.dup();
            NativeGemm.mm(a, false, b, tb, want, 1f, beta);
            NativeGemm.mmByRowBlocks(a, b, tb, c, beta, true);
            double diff = want.sub(c).amaxNumber().doubleValue();
            assertTrue(diff < 1e-5, "m=" + m + " b " + orderB + " tb=" + tb + " beta=" + beta + ": " + diff);
          }
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> NativeGemm.mmByRowBlocks(matrix(19, 4, 'c', 1),
        matrix(5, 2, 'c', 2), false, Nd4j.zeros(DataType.FLOAT, 19, 2), 0f, true));
  }

  @Test
  void smallKernelsFollowThePropertyElseTheCoreType() {
    assertTrue(NativeGemm.smallKernels(null, "SkylakeX"));
    assertTrue(NativeGemm.smallKernels("", " cooperlake "));
    assertFalse(NativeGemm.smallKernels(null, "Haswell"));
    assertFalse(NativeGemm.smallKernels(null, null), "an unset core type (OpenBLAS detects the CPU) counts as no");
    assertFalse(NativeGemm.smallKernels("false", "SkylakeX"));
    assertTrue(NativeGemm.smallKernels("true", null));
  }

  @Test
  void mismatchedShapesAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> NativeGemm.mm(matrix(3, 4, 'c', 1), false, matrix(5, 2, 'c', 2), false, Nd4j.zeros(DataType.FLOAT, 3, 2),
            1f, 0f));
  }
}

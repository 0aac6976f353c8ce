package org.seqml.model;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * OpenBLAS's {@code cblas_sgemm} called directly on the native memory of ND4J arrays (the OpenBLAS that
 * ND4J's CPU backend loads), for the many small products of attention: one (example, head) is a
 * [50 x 16] x [16 x 50] product, about 3 us in OpenBLAS against about 8 us of ND4J's overhead per op
 * (docs/BENCHMARKS.md). Operands are row-major with any leading dimension, so a head's slice of a
 * [rows, d] matrix is read in place. CPU backend only: this class is loaded only by the fused layers'
 * CPU path.
 */
final class NativeGemm {
  private NativeGemm() {}

  /**
   * c = alpha * op(a) op(b) + beta * c, straight to OpenBLAS, for contiguous float matrices in either
   * order and at any offset (parameter and gradient views qualify; an f-order matrix is the row-major
   * form of its transpose); anything else goes through ND4J's {@code Nd4j.gemm}. ND4J's op took 1.3-1.5x
   * as long for the Transformer block's [3200 x 64] products.
   */
  static void mm(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, float alpha, float beta) {
    if (order(a) == 0 || order(b) == 0 || order(c) == 0) {
      org.nd4j.linalg.factory.Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
      return;
    }
    if ((transA ? a.size(0) : a.size(1)) != (transB ? b.size(1) : b.size(0))
        || (transA ? a.size(1) : a.size(0)) != c.size(0) || (transB ? b.size(0) : b.size(1)) != c.size(1)) {
      throw new IllegalArgumentException("shapes do not multiply: " + java.util.Arrays.toString(a.shape()) + " x "
          + java.util.Arrays.toString(b.shape()) + " -> " + java.util.Arrays.toString(c.shape()));
    }
    if (order(c) == 'f') { // c^T = op(b)^T op(a)^T, and c^T is row-major
      mm(b, !transB, a, !transA, c.transpose(), alpha, beta);
      return;
    }
    int m = (int) c.size(0);
    int n = (int) c.size(1);
    int k = (int) (transA ? a.size(0) : a.size(1));
    boolean rowA = order(a) == 'c';
    boolean rowB = order(b) == 'c';
    gemm(transA == rowA, transB == rowB, m, n, k, alpha, pointer(a), 0, (int) (rowA ? a.size(1) : a.size(0)),
        pointer(b), 0, (int) (rowB ? b.size(1) : b.size(0)), beta, pointer(c), 0, (int) c.size(1));
  }

  /** 'c' or 'f' for a contiguous float matrix in that order, else 0. */
  private static char order(INDArray x) {
    if (x.rank() != 2 || x.dataType() != org.nd4j.linalg.api.buffer.DataType.FLOAT) {
      return 0;
    }
    if (x.stride(1) == 1 && x.stride(0) == x.size(1)) {
      return 'c';
    }
    return x.stride(0) == 1 && x.stride(1) == x.size(0) ? 'f' : 0;
  }

  /**
   * A pointer to an array's first element (the caller keeps the array alive). ND4J gives a view a buffer
   * of its own that starts at the view's first element; {@code offset()} says where that lies in the
   * original buffer and is not added again.
   */
  static FloatPointer pointer(INDArray array) {
    return new FloatPointer(array.data().addressPointer());
  }

  /**
   * c[cOff..] = alpha * op(a[aOff..]) op(b[bOff..]) + beta * c[cOff..], with op(a) [m, k], op(b) [k, n],
   * c [m, n], all row-major with leading dimensions lda, ldb, ldc. Moves the pointers' positions.
   */
  static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatPointer a, long aOff,
      int lda, FloatPointer b, long bOff, int ldb, float beta, FloatPointer c, long cOff, int ldc) {
    openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
        transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
        transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, m, n, k, alpha,
        a.position(aOff), lda, b.position(bOff), ldb, beta, c.position(cOff), ldc);
  }
}

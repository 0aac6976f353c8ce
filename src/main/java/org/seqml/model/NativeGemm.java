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

  /** A pointer to the first element of an array's buffer (the caller keeps the array alive). */
  static FloatPointer pointer(INDArray array) {
    return new FloatPointer(array.data().addressPointer()).position(array.offset());
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

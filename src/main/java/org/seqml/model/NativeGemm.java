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
  /**
   * Rows per call of {@link #mmByRowBlocks}. OpenBLAS 0.3.19's SkylakeX kernels (also Cooperlake's and
   * Sapphire Rapids') multiply without packing the operands when M * N * K is at most 10^6
   * (kernel/x86_64/sgemm_small_kernel_permit_skylakex.c); a product with a fixed [128 x 512] weight
   * repacks all of it on every call otherwise. Measured on a [rows x 128] x [128 x 512] product, one
   * thread: 8-row blocks took 37 us against 59 for 32 rows in one call, 74 against 101 for 64 and 311
   * against 341 for 256; 11-, 15- and 16-row blocks were slower than 8 (docs/BENCHMARKS.md).
   */
  static final int ROW_BLOCK = 8;
  private static final double SMALL_KERNEL_MNK = 1e6;
  /** Whether ND4J's OpenBLAS has the unpacked small-matrix path (see {@link #smallKernels}). */
  static final boolean SMALL_KERNELS = smallKernels(System.getProperty("seqml.openblas.small-kernels"),
      System.getenv("OPENBLAS_CORETYPE"));

  private NativeGemm() {}

  /**
   * Whether OpenBLAS runs the small-matrix kernels: the system property seqml.openblas.small-kernels
   * (true/false) when set, else whether OPENBLAS_CORETYPE names a core that has them. The running core
   * cannot be asked (the JavaCPP preset binds no openblas_get_corename), so an unset OPENBLAS_CORETYPE
   * (OpenBLAS detects the CPU itself) counts as no: on kernels without that path, row blocks would repack
   * the weight on every call. seqml's launchers set SkylakeX on every AVX-512 CPU
   * (submit/openblas-coretype.sh); the tests set the property, to run the row blocks on any CPU.
   */
  static boolean smallKernels(String property, String coretype) {
    if (property != null && !property.isBlank()) {
      return Boolean.parseBoolean(property.trim());
    }
    return coretype != null && java.util.Set.of("skylakex", "cooperlake", "sapphirerapids")
        .contains(coretype.trim().toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * c = a op(b) + beta * c for row-major a [m, k] and c [m, n], as products of {@link #ROW_BLOCK} rows
   * when OpenBLAS multiplies those without packing ({@link #SMALL_KERNELS}, ROW_BLOCK * n * k within its
   * limit, and op(b) row-major): an LSTM's recurrent products, a few dozen rows against the same weight at
   * every time step. Otherwise one {@link #mm}.
   */
  static void mmByRowBlocks(INDArray a, INDArray b, boolean transB, INDArray c, float beta) {
    mmByRowBlocks(a, b, transB, c, beta, SMALL_KERNELS);
  }

  static void mmByRowBlocks(INDArray a, INDArray b, boolean transB, INDArray c, float beta, boolean blocks) {
    long m = c.size(0);
    long n = c.size(1);
    long k = a.size(1);
    boolean rowB = order(b) == 'c';
    // OpenBLAS takes a transposed weight (column-major TN) unpacked only for outputs of at most 1200
    // elements: such a b stays one call; callers keep a copy of b in the order that avoids it.
    if (!blocks || m <= ROW_BLOCK || (double) ROW_BLOCK * n * k > SMALL_KERNEL_MNK || order(a) != 'c'
        || order(c) != 'c' || order(b) == 0 || transB == rowB || a.size(0) != m
        || (transB ? b.size(1) : b.size(0)) != k || (transB ? b.size(0) : b.size(1)) != n) {
      mm(a, false, b, transB, c, 1f, beta);
      return;
    }
    FloatPointer pa = pointer(a);
    FloatPointer pb = pointer(b);
    FloatPointer pc = pointer(c);
    int ldb = (int) (rowB ? b.size(1) : b.size(0));
    for (long row = 0; row < m; row += ROW_BLOCK) {
      gemm(false, false, (int) Math.min(ROW_BLOCK, m - row), (int) n, (int) k, 1f, pa, row * k, (int) k,
          pb, 0, ldb, beta, pc, row * n, (int) n);
    }
  }

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

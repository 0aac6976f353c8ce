package org.seqml.model;

/**
 * The element-wise part of an LSTM time step, on plain float arrays, written so that HotSpot's C2
 * compiles each loop to SIMD code (straight counted loops of multiply, add, divide, min, max).
 *
 * <p>Why not ND4J ops: libnd4j's tanh and sigmoid cost about 7 ns per element on one thread
 * (measured with a 64 x 512 array) and every op pays about 8 us of call overhead, so DL4J's LSTM
 * spends most of a 2 x 128 layer's step outside the matrix products (docs/BENCHMARKS.md).
 *
 * <p>tanh is Eigen's rational approximation (the one TensorFlow and PyTorch use on CPUs for float):
 * a degree 13/6 rational function on the input clamped to +-7.9053, accurate to a few float ulps;
 * {@code LstmKernelsTest} holds its error against {@link Math#tanh}. The sigmoid is the exact
 * identity sigmoid(x) = (1 + tanh(x / 2)) / 2 on top of it.
 */
final class LstmKernels {
  private static final float CLAMP = 7.90531110763549805f;
  private static final float A1 = 4.89352455891786e-03f;
  private static final float A3 = 6.37261928875436e-04f;
  private static final float A5 = 1.48572235717979e-05f;
  private static final float A7 = 5.12229709037114e-08f;
  private static final float A9 = -8.60467152213735e-11f;
  private static final float A11 = 2.00018790482477e-13f;
  private static final float A13 = -2.76076847742355e-16f;
  private static final float B0 = 4.89352518554385e-03f;
  private static final float B2 = 2.26843463243900e-03f;
  private static final float B4 = 1.18534705686654e-04f;
  private static final float B6 = 1.19825839466702e-06f;

  private LstmKernels() {}

  static float tanh(float v) {
    float x = Math.max(-CLAMP, Math.min(CLAMP, v));
    float x2 = x * x;
    float p = x2 * A13 + A11;
    p = p * x2 + A9;
    p = p * x2 + A7;
    p = p * x2 + A5;
    p = p * x2 + A3;
    p = p * x2 + A1;
    p = p * x;
    float q = x2 * B6 + B4;
    q = q * x2 + B2;
    q = q * x2 + B0;
    return p / q;
  }

  // The loops below index every array with the same induction variable from 0: C2 (JDK 17) vectorises
  // that form, with tanh(float) inlined, but not one with a different offset per array (measured: 0.5
  // against 7 ns per element).

  /** dst[i] = tanh(src[i]) for i in [0, n); src and dst may be the same array. */
  static void tanh(float[] src, float[] dst, int n) {
    for (int i = 0; i < n; i++) {
      dst[i] = tanh(src[i]);
    }
  }

  /** a[i] = sigmoid(a[i] + bias[i]) for i in [0, n). */
  static void sigmoid(float[] a, float[] bias, int n) {
    for (int i = 0; i < n; i++) {
      a[i] = 0.5f + 0.5f * tanh(0.5f * (a[i] + bias[i]));
    }
  }

  /** a[i] = tanh(a[i] + bias[i]) for i in [0, n). */
  static void tanhWithBias(float[] a, float[] bias, int n) {
    for (int i = 0; i < n; i++) {
      a[i] += bias[i];
    }
    tanh(a, a, n);
  }

  /**
   * One forward time step after the gates: c = f * cPrev + g * a (cPrev null: zeros), tc = tanh(c),
   * h = o * tc. DL4J's gate names: a is the block input (tanh), g the input gate (sigmoid).
   */
  static void cell(float[] a, float[] f, float[] o, float[] g, float[] cPrev, float[] c, float[] tc, float[] h,
      int n) {
    if (cPrev == null) {
      for (int i = 0; i < n; i++) {
        c[i] = g[i] * a[i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        c[i] = f[i] * cPrev[i] + g[i] * a[i];
      }
    }
    tanh(c, tc, n);
    for (int i = 0; i < n; i++) {
      h[i] = o[i] * tc[i];
    }
  }

  /**
   * One backward time step, DL4J's LSTM equations (LSTMHelpers.backpropGradientHelper) for sigmoid
   * gates and a tanh activation: from dh (dL/dh at this step, both paths) it writes the pre-activation
   * deltas dA, dF, dO, dG and the cell-state error nabla. tcm is tanh of the stored (masked) cell
   * state; fNext and nablaNext are the next step's forget gate and nabla (null at the last step);
   * cPrev is null at the first step.
   */
  static void backStep(float[] dh, float[] a, float[] f, float[] o, float[] g, float[] tc, float[] tcm,
      float[] cPrev, float[] fNext, float[] nablaNext, float[] nabla, float[] dA, float[] dF, float[] dO,
      float[] dG, int n) {
    for (int i = 0; i < n; i++) {
      float oi = o[i];
      dO[i] = dh[i] * tc[i] * oi * (1f - oi);
      nabla[i] = (1f - tcm[i] * tcm[i]) * (oi * dh[i]);
    }
    if (fNext != null) {
      for (int i = 0; i < n; i++) {
        nabla[i] += fNext[i] * nablaNext[i];
      }
    }
    if (cPrev == null) {
      java.util.Arrays.fill(dF, 0, n, 0f);
    } else {
      for (int i = 0; i < n; i++) {
        float fi = f[i];
        dF[i] = fi * (1f - fi) * nabla[i] * cPrev[i];
      }
    }
    for (int i = 0; i < n; i++) {
      float gi = g[i];
      float ai = a[i];
      dG[i] = gi * (1f - gi) * ai * nabla[i];
      dA[i] = (1f - ai * ai) * gi * nabla[i];
    }
  }
}

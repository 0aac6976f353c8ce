package org.seqml.model;

/**
 * The element-wise parts of a Transformer encoder block in plain Java, for {@link FusedTransformerLayer}:
 * the attention softmax (masked) forward and backward, layer normalisation forward and backward, bias
 * plus ReLU, column sums. Matrices are row-major float arrays. The products, small ones included, are
 * OpenBLAS's ({@link NativeGemm}): plain Java loops over an (example, head)'s 16 or 50 columns are not
 * vectorised (38 ms for the scores, softmax and outputs of 256 heads; OpenBLAS's scores took 0.8 ms).
 */
final class AttentionKernels {
  private AttentionKernels() {}

  /** Added to the score of a masked key: its weight underflows, as in the SameDiff block. */
  private static final float MASKED = -1e30f;
  /**
   * Added and subtracted to flush a value below about 1e-25 to zero (rounding at 2^-83; larger values
   * keep their relative precision to about 1e-7): subnormal floats cost a microcode assist in every
   * multiply-add that touches them, and a peaked softmax makes many weights and gradients subnormal. With
   * 7 % of its inputs subnormal, OpenBLAS's products of the attention backward pass ran about 7x slower
   * than with none (measured in a training step).
   */
  private static final float FLUSH = 0x1p-60f;
  private static final float EXP_CENTRE = -0.68f;
  private static final float EXP_OF_CENTRE = (float) Math.exp(EXP_CENTRE);

  /**
   * e^x for x <= 0 (softmax arguments after the row maximum is subtracted), within 2e-5 relative of
   * {@link Math#exp} on [-87, 0] (FusedTransformerTest), about 1 ns per element where Math.exp takes 8-10:
   * (e^(x/64))^64, e^(x/64) by its Taylor series of degree 9 around -0.68. Only multiplications and
   * additions, so C2 vectorises a loop of it (the usual 2^k from the float's exponent bits does not:
   * Float.intBitsToFloat stops C2's vectoriser, 6 ns per element). Below -87 it returns about e^-87.
   */
  static float exp(float x) {
    float d = Math.max(x, -87f) * (1f / 64f) - EXP_CENTRE;
    float p = 1f / 362880f;
    p = p * d + 1f / 40320f;
    p = p * d + 1f / 5040f;
    p = p * d + 1f / 720f;
    p = p * d + 1f / 120f;
    p = p * d + 1f / 24f;
    p = p * d + 1f / 6f;
    p = p * d + 0.5f;
    p = p * d + 1f;
    p = p * d + 1f;
    p *= EXP_OF_CENTRE;
    p *= p;
    p *= p;
    p *= p;
    p *= p;
    p *= p;
    return p * p;
  }

  /**
   * What example ex's key mask (row ex of {@code mask} [examples, T]) does to the [T, T] scores of each
   * of its heads (see {@link #softmax}): {@code add} gets -1e30 at masked keys, {@code keep} 0 there and 1
   * elsewhere, in every row. An example with every key masked keeps them all: -1e30 added to every score
   * leaves them equal in float precision, so it attends uniformly, as the SameDiff block does.
   */
  static void maskBlock(float[] mask, int ex, int t, float[] add, float[] keep) {
    boolean any = false;
    for (int j = 0; j < t; j++) {
      any |= mask[ex * t + j] != 0f;
    }
    for (int j = 0; j < t; j++) {
      boolean masked = mask[ex * t + j] == 0f;
      add[j] = masked ? MASKED : 0f;
      keep[j] = masked && any ? 0f : 1f;
    }
    for (int row = 1; row < t; row++) {
      System.arraycopy(add, 0, add, row * t, t);
      System.arraycopy(keep, 0, keep, row * t, t);
    }
  }

  /**
   * Softmax of every length-t row of p (n values: the scaled scores of an (example, head), row i for
   * query i) in place. With {@code add} and {@code keep} from {@link #maskBlock} (or both null: no mask)
   * masked keys get weight exactly 0. Weights below about 1e-25 become 0 (see FLUSH). {@code scratch}
   * has length n. Loops over the whole array with one index from 0 (which C2 vectorises) except the row
   * maximum and sum; called on one (example, head) at a time, so that its passes stay in the L1 cache.
   */
  static void softmax(float[] p, int n, int t, float[] add, float[] keep, float[] scratch) {
    if (add != null) {
      for (int i = 0; i < n; i++) {
        p[i] += add[i];
      }
    }
    for (int at = 0; at < n; at += t) {
      java.util.Arrays.fill(scratch, at, at + t, rowMax(p, at, at + t));
    }
    for (int i = 0; i < n; i++) {
      p[i] = exp(p[i] - scratch[i]);
    }
    if (keep != null) {
      for (int i = 0; i < n; i++) {
        p[i] *= keep[i];
      }
    }
    for (int at = 0; at < n; at += t) {
      java.util.Arrays.fill(scratch, at, at + t, 1f / dot(p, null, at, at + t));
    }
    for (int i = 0; i < n; i++) {
      p[i] = (p[i] * scratch[i] + FLUSH) - FLUSH;
    }
  }

  /**
   * The softmax's backward pass for the length-t rows of p and dp (n values): dp (dL/dweights) becomes
   * dL/dscores in place, p * (dp - sum_j p dp) row by row, below about 1e-25 flushed to 0.
   * {@code scratch} has length n.
   */
  static void softmaxBack(float[] p, float[] dp, int n, int t, float[] scratch) {
    for (int at = 0; at < n; at += t) {
      java.util.Arrays.fill(scratch, at, at + t, dot(p, dp, at, at + t));
    }
    for (int i = 0; i < n; i++) {
      dp[i] = (p[i] * (dp[i] - scratch[i]) + FLUSH) - FLUSH;
    }
  }

  // Row reductions in four independent chains: one chain waits on each add's latency (4 cycles), and C2
  // does not vectorise float reductions (their order is fixed); these were a fifth of a step.

  /** The largest of a[from, to). */
  private static float rowMax(float[] a, int from, int to) {
    float m0 = Float.NEGATIVE_INFINITY;
    float m1 = m0;
    float m2 = m0;
    float m3 = m0;
    int j = from;
    for (; j + 3 < to; j += 4) { // Math.max, not a branch: a new maximum is unpredictable (2x as slow)
      m0 = Math.max(m0, a[j]);
      m1 = Math.max(m1, a[j + 1]);
      m2 = Math.max(m2, a[j + 2]);
      m3 = Math.max(m3, a[j + 3]);
    }
    for (; j < to; j++) {
      m0 = Math.max(m0, a[j]);
    }
    return Math.max(Math.max(m0, m1), Math.max(m2, m3));
  }

  /** The sum of a[j] * b[j] over [from, to), or of a[j] if b is null. */
  private static float dot(float[] a, float[] b, int from, int to) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int j = from;
    if (b == null) {
      for (; j + 3 < to; j += 4) {
        s0 += a[j];
        s1 += a[j + 1];
        s2 += a[j + 2];
        s3 += a[j + 3];
      }
      for (; j < to; j++) {
        s0 += a[j];
      }
    } else {
      for (; j + 3 < to; j += 4) {
        s0 += a[j] * b[j];
        s1 += a[j + 1] * b[j + 1];
        s2 += a[j + 2] * b[j + 2];
        s3 += a[j + 3] * b[j + 3];
      }
      for (; j < to; j++) {
        s0 += a[j] * b[j];
      }
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** out [rows, v.length] = v repeated in every row. */
  static void broadcastRows(float[] v, int rows, float[] out) {
    for (int row = 0; row < rows; row++) {
      System.arraycopy(v, 0, out, row * v.length, v.length);
    }
  }

  /**
   * Layer normalisation of each row of r [rows, d]: y = (r - mean) / sqrt(var + eps) * gain + bias, the
   * normalised rows into xhat and 1 / sqrt(var + eps) into invStd for the backward pass.
   */
  static void layerNorm(float[] r, float[] gain, float[] bias, double eps, float[] xhat, float[] invStd, float[] y,
      int rows, int d) {
    for (int row = 0; row < rows; row++) {
      int at = row * d;
      float mean = 0f;
      for (int c = 0; c < d; c++) {
        mean += r[at + c];
      }
      mean /= d;
      float var = 0f;
      for (int c = 0; c < d; c++) {
        float centred = r[at + c] - mean;
        xhat[at + c] = centred;
        var += centred * centred;
      }
      float inv = (float) (1.0 / Math.sqrt(var / d + eps));
      invStd[row] = inv;
      for (int c = 0; c < d; c++) {
        float x = xhat[at + c] * inv;
        xhat[at + c] = x;
        y[at + c] = x * gain[c] + bias[c];
      }
    }
  }

  /**
   * The backward pass of {@link #layerNorm}: dr [rows, d] from dy; the gain and bias gradients are
   * added to dGain and dBias.
   */
  static void layerNormBack(float[] dy, float[] xhat, float[] invStd, float[] gain, float[] dr, float[] dGain,
      float[] dBias, int rows, int d) {
    for (int row = 0; row < rows; row++) {
      int at = row * d;
      float meanD = 0f;
      float meanDx = 0f;
      for (int c = 0; c < d; c++) {
        float g = dy[at + c];
        float x = xhat[at + c];
        dGain[c] += g * x;
        dBias[c] += g;
        float dx = g * gain[c];
        meanD += dx;
        meanDx += dx * x;
      }
      meanD /= d;
      meanDx /= d;
      float inv = invStd[row];
      for (int c = 0; c < d; c++) {
        dr[at + c] = inv * (dy[at + c] * gain[c] - meanD - xhat[at + c] * meanDx);
      }
    }
  }

  /** m = max(0, m + bias), element-wise (bias broadcast to m's shape by {@link #broadcastRows}). */
  static void addRelu(float[] m, float[] bias, int n) {
    for (int i = 0; i < n; i++) {
      m[i] = Math.max(m[i] + bias[i], 0f);
    }
  }

  /**
   * dm *= (activation > 0), element-wise: ReLU's derivative at its output (never negative). Branch-free
   * on the bits: with half the units off, a branch or a conditional expression mispredicts and costs
   * 6-8 ns per element, this about 0.5.
   */
  static void reluBack(float[] dm, float[] activation, int n) {
    for (int i = 0; i < n; i++) {
      int bits = Float.floatToRawIntBits(activation[i]);
      int on = (-bits & ~bits) >> 31; // all ones if activation > 0 (sign 0, not zero), else 0
      dm[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dm[i]) & on);
    }
  }

  /** out [cols] = the column sums of m [rows, cols]. */
  static void columnSums(float[] m, int rows, int cols, float[] out) {
    java.util.Arrays.fill(out, 0, cols, 0f);
    for (int row = 0; row < rows; row++) {
      int at = row * cols;
      for (int c = 0; c < cols; c++) {
        out[c] += m[at + c];
      }
    }
  }
}

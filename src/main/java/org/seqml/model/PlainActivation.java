package org.seqml.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * DL4J's element-wise activations that seqml's fused layers compute in plain Java on float arrays, with
 * DL4J's definitions (each libnd4j activation op over a [B * T, F] array cost as much as the convolution's
 * matrix products). {@link #of} says null for any other activation, which the layer then leaves to DL4J.
 */
enum PlainActivation {
  IDENTITY, RELU, LEAKY_RELU, TANH, ELU;

  /** The plain form of {@code fn} with its parameter, or null. */
  static Bound of(IActivation fn) {
    if (fn instanceof ActivationIdentity) {
      return new Bound(IDENTITY, 0f);
    }
    if (fn instanceof ActivationReLU r && r.getMax() == null && (r.getThreshold() == null || r.getThreshold() == 0)
        && (r.getNegativeSlope() == null || r.getNegativeSlope() == 0)) {
      return new Bound(RELU, 0f);
    }
    if (fn instanceof ActivationLReLU l) {
      return new Bound(LEAKY_RELU, (float) l.getAlpha());
    }
    if (fn instanceof ActivationTanH) {
      return new Bound(TANH, 0f);
    }
    if (fn instanceof ActivationELU e) {
      return new Bound(ELU, (float) e.getAlpha());
    }
    return null;
  }

  /** An activation with its parameter (alpha of leaky ReLU and ELU); loops per kind, so each vectorises. */
  record Bound(PlainActivation kind, float alpha) {
    /** z[zo..zo+n) += bias (kept as the pre-activation), out[oo..oo+n) = the activation of it. */
    void apply(float[] z, int zo, float bias, float[] out, int oo, int n) {
      for (int i = 0; i < n; i++) {
        z[zo + i] += bias;
      }
      switch (kind) {
        case IDENTITY -> System.arraycopy(z, zo, out, oo, n);
        case RELU, LEAKY_RELU -> {
          float slope = kind == RELU ? 0f : alpha;
          for (int i = 0; i < n; i++) {
            float v = z[zo + i];
            out[oo + i] = v * slope(v, slope);
          }
        }
        case TANH -> {
          for (int i = 0; i < n; i++) {
            out[oo + i] = (float) Math.tanh(z[zo + i]);
          }
        }
        case ELU -> {
          for (int i = 0; i < n; i++) {
            float v = z[zo + i];
            out[oo + i] = v > 0 ? v : alpha * (float) Math.expm1(v);
          }
        }
      }
    }

    /** d[do..do+n) = dL/dz from dL/d(activation) e[eo..) at the pre-activations z[zo..). */
    void backprop(float[] z, int zo, float[] e, int eo, float[] d, int dOff, int n) {
      switch (kind) {
        case IDENTITY -> System.arraycopy(e, eo, d, dOff, n);
        case RELU, LEAKY_RELU -> {
          float slope = kind == RELU ? 0f : alpha;
          for (int i = 0; i < n; i++) {
            d[dOff + i] = e[eo + i] * slope(z[zo + i], slope);
          }
        }
        case TANH -> {
          for (int i = 0; i < n; i++) {
            float a = (float) Math.tanh(z[zo + i]);
            d[dOff + i] = e[eo + i] * (1 - a * a);
          }
        }
        case ELU -> {
          for (int i = 0; i < n; i++) {
            float v = z[zo + i];
            d[dOff + i] = v > 0 ? e[eo + i] : e[eo + i] * alpha * (float) Math.exp(v);
          }
        }
      }
    }

    /**
     * 1 where z > 0, else {@code below}, without a branch: random signs mispredict about half of them, which
     * made the (leaky) ReLU cost as much as the convolution's products. z > 0 exactly when its bits, read as an
     * int, are positive (-0 and negatives have the sign bit, +0 is 0).
     */
    private static float slope(float z, float below) {
      int bits = Float.floatToRawIntBits(z);
      int positive = (-bits & ~bits) >>> 31;
      return below + (1f - below) * positive;
    }
  }
}

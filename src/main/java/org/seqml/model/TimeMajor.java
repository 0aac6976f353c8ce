package org.seqml.model;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies DL4J's recurrent layout [B, C, T] into a time-major matrix [T * B, C] (c order), the layout in
 * which one matrix product covers every step. Three cases: an array that is already time-major
 * underneath (a permuted view of [T, B, C], as {@link FusedLstmLayer} returns its outputs and input
 * errors) is one contiguous copy; a plain f-order array (DL4J's own recurrent layers) is transposed
 * slab by slab in Java, several times faster than libnd4j's assign over a permuted view (9 % of a
 * fused LSTM step); anything else goes through that assign.
 */
final class TimeMajor {
  private TimeMajor() {}

  /** dst [T * B, C] = x [B, C, T], time-major. */
  static void copyIn(INDArray x, INDArray dst) {
    int b = (int) x.size(0);
    int c = (int) x.size(1);
    int t = (int) x.size(2);
    INDArray timeMajor = x.permute(2, 0, 1);
    if (!plainF(x) || isTimeMajor(timeMajor)) {
      dst.reshape('c', t, b, c).assign(timeMajor);
      return;
    }
    FloatBuffer from = x.data().asNioFloat();
    FloatBuffer to = dst.data().asNioFloat();
    int n = b * c;
    float[] slab = new float[n];
    float[] rows = new float[n];
    for (int step = 0; step < t; step++) {
      from.get(step * n, slab, 0, n); // slab[j * B + i] = x[i, j, step]
      transpose(slab, c, b, rows);
      to.put(step * n, rows, 0, n);
    }
  }

  /** [T, B, C] with c-order strides: copying it into a time-major matrix is one contiguous copy. */
  private static boolean isTimeMajor(INDArray tbc) {
    return Arrays.equals(tbc.stride(), Nd4j.getStrides(tbc.shape(), 'c'));
  }

  /** out (cols x rows, row-major) = in (rows x cols, row-major) transposed. */
  private static void transpose(float[] in, int rows, int cols, float[] out) {
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < cols; k++) {
        out[k * rows + r] = in[r * cols + k];
      }
    }
  }

  /** A float array of its own layout: f order, default strides, offset 0. */
  private static boolean plainF(INDArray x) {
    return x.dataType() == DataType.FLOAT && x.ordering() == 'f' && x.offset() == 0 && x.rank() == 3
        && Arrays.equals(x.stride(), Nd4j.getStrides(x.shape(), 'f')) && x.data().length() >= x.length();
  }
}

package org.seqml.model;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between DL4J's recurrent layout [B, C, T] and a time-major matrix [T * B, C] (c order), the
 * layout in which one matrix product covers every step. DL4J's recurrent arrays are f order
 * ([B, C] slabs per step, batch fastest): those are transposed slab by slab in Java, which is several
 * times faster than libnd4j's assign over a permuted view (9 % of a fused LSTM step before). Anything
 * else goes through that assign.
 */
final class TimeMajor {
  private TimeMajor() {}

  /** dst [T * B, C] = x [B, C, T], time-major. */
  static void copyIn(INDArray x, INDArray dst) {
    int b = (int) x.size(0);
    int c = (int) x.size(1);
    int t = (int) x.size(2);
    if (!plainF(x)) {
      dst.reshape('c', t, b, c).assign(x.permute(2, 0, 1));
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

  /** x [B, C, T] = src [T * B, C], time-major (src may be a range of rows of a larger c-order matrix). */
  static void copyOut(INDArray src, INDArray x) {
    int b = (int) x.size(0);
    int c = (int) x.size(1);
    int t = (int) x.size(2);
    boolean rowMajor = src.ordering() == 'c' && src.stride(1) == 1 && src.stride(0) == c;
    if (!plainF(x) || !rowMajor) {
      x.assign(src.reshape('c', t, b, c).permute(1, 2, 0));
      return;
    }
    FloatBuffer from = src.data().asNioFloat();
    FloatBuffer to = x.data().asNioFloat();
    int n = b * c;
    int base = (int) src.offset();
    float[] rows = new float[n];
    float[] slab = new float[n];
    for (int step = 0; step < t; step++) {
      from.get(base + step * n, rows, 0, n);
      transpose(rows, b, c, slab);
      to.put(step * n, slab, 0, n);
    }
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

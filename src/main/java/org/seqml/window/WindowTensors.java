package org.seqml.window;

import java.util.List;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns window rows (features W x F time-major, target H) into scaled ND4J tensors:
 * features [batch, F, W] (DL4J's NCW recurrent layout) and labels [batch, H], or [batch, H x Q] for a
 * quantile head of Q levels (each target repeated once per level, step-major).
 */
public final class WindowTensors implements java.io.Serializable {
  private final Scaler scaler;
  private final int features;
  private final int window;
  private final int horizon;
  private final int levels;

  public WindowTensors(Scaler scaler, int features, int window, int horizon) {
    this(scaler, features, window, horizon, 1);
  }

  /** For a head of {@code levels} outputs per step (1: a point forecast). */
  public WindowTensors(Scaler scaler, int features, int window, int horizon, int levels) {
    this.scaler = scaler;
    this.features = features;
    this.window = window;
    this.horizon = horizon;
    this.levels = levels;
  }

  /** Column order of the rows handed in: features array first, target array second. */
  public INDArray features(List<Row> rows, int featuresColumn) {
    List<float[]> windows = new java.util.ArrayList<>(rows.size());
    for (Row r : rows) {
      List<Float> x = r.getList(featuresColumn);
      float[] values = new float[x.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = x.get(i);
      }
      windows.add(values);
    }
    return features(windows);
  }

  /** The same from each window's W x F values, time-major as in the windows table. */
  public INDArray features(List<float[]> windows) {
    float[] data = new float[windows.size() * features * window];
    for (int i = 0; i < windows.size(); i++) {
      float[] x = windows.get(i);
      checkSize(x.length);
      int base = i * features * window;
      for (int t = 0; t < window; t++) {
        for (int f = 0; f < features; f++) {
          data[base + f * window + t] = scaler.scaleFeature(f, x[t * features + f]);
        }
      }
    }
    return Nd4j.create(data, new long[] {windows.size(), features, window}, 'c');
  }

  private void checkSize(int values) {
    if (values != features * window) {
      throw new IllegalArgumentException("window has " + values + " values, expected W*F = " + window + "*"
          + features);
    }
  }

  public INDArray labels(List<Row> rows, int targetColumn) {
    float[] data = new float[rows.size() * horizon * levels];
    for (int i = 0; i < rows.size(); i++) {
      List<Float> y = rows.get(i).getList(targetColumn);
      for (int k = 0; k < horizon; k++) {
        java.util.Arrays.fill(data, (i * horizon + k) * levels, (i * horizon + k + 1) * levels,
            scaler.scaleTarget(y.get(k)));
      }
    }
    return Nd4j.create(data, new long[] {rows.size(), (long) horizon * levels}, 'c');
  }

  public DataSet dataSet(List<Row> rows, int featuresColumn, int targetColumn) {
    return new DataSet(features(rows, featuresColumn), labels(rows, targetColumn));
  }
}

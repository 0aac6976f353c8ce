package org.seqml.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;

class ScalerTest {
  /** Windows whose validation and test values are huge: a scaler that saw them would show it. */
  @Test
  void fittedOnTrainingWindowsOnly() {
    List<Row> rows = new ArrayList<>();
    double sum0 = 0;
    double sumSq0 = 0;
    double sumY = 0;
    double sumSqY = 0;
    int n = 0;
    int ny = 0;
    Timestamp ts = new Timestamp(0);
    for (int i = 0; i < 40; i++) {
      String split = i < 20 ? "train" : i < 30 ? "validation" : "test";
      double offset = split.equals("train") ? 0 : 1e6;
      float[] x = new float[3 * 2];
      for (int t = 0; t < 3; t++) {
        x[t * 2] = (float) (offset + i + t);
        x[t * 2 + 1] = (float) (offset + 2 * (i - t));
      }
      float[] y = {(float) (offset + i % 7), (float) (offset - i % 5)};
      rows.add(RowFactory.create("k", ts, ts, (long) i, x, y, 2, ts, split, List.of(ts, ts)));
      if (split.equals("train")) {
        for (int t = 0; t < 3; t++) {
          sum0 += x[t * 2];
          sumSq0 += x[t * 2] * x[t * 2];
          n++;
        }
        for (float v : y) {
          sumY += v;
          sumSqY += v * v;
          ny++;
        }
      }
    }
    Dataset<Row> windows = SparkTestSession.get().createDataFrame(rows, SlidingWindows.SCHEMA).repartition(3);
    Scaler scaler = Scaler.fit(windows, List.of("a", "b"));
    double mean0 = sum0 / n;
    assertEquals(mean0, scaler.mean()[0], 1e-9);
    assertEquals(Math.sqrt(sumSq0 / n - mean0 * mean0), scaler.std()[0], 1e-9);
    assertEquals(sumY / ny, scaler.targetMean(), 1e-9);
    double meanY = sumY / ny;
    assertEquals(Math.sqrt(sumSqY / ny - meanY * meanY), scaler.targetStd(), 1e-9);
    Scaler reloaded = Scaler.fromJson(scaler.toJson());
    org.junit.jupiter.api.Assertions.assertArrayEquals(scaler.mean(), reloaded.mean());
    org.junit.jupiter.api.Assertions.assertArrayEquals(scaler.std(), reloaded.std());
    assertEquals(scaler.features(), reloaded.features());
    assertEquals(scaler.targetStd(), reloaded.targetStd());
  }
}

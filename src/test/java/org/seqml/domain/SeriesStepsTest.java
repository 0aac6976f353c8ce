package org.seqml.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.window.SlidingWindows;

/**
 * What a window reads of each role, on a series whose covariates copy its target: a past covariate only up
 * to the window's end (so it cannot reveal the future), a future covariate over the horizon too (so it
 * can), statics the same at every step.
 */
class SeriesStepsTest {
  static final int W = 6;
  static final int H = 3;
  static final int N = 30;
  static final SeqmlConfig.Series ROLES = new SeqmlConfig.Series(List.of("id"), "time", List.of("y"),
      List.of("past"), "long", List.of(), true, List.of(), "reject", Duration.ZERO, Map.of(), "ffill",
      new SeqmlConfig.SeriesGenerator(1, 10, 1, Instant.EPOCH, 1), List.of("ahead"), List.of("size"),
      List.of("region"), 4);
  static List<String> columns;
  static List<Row> windows;

  @BeforeAll
  static void cut() {
    StructType schema = new StructType().add("key", DataTypes.StringType).add("ts", DataTypes.TimestampType)
        .add("seq", DataTypes.LongType).add("y", DataTypes.DoubleType).add("past", DataTypes.DoubleType)
        .add("ahead", DataTypes.DoubleType).add("size", DataTypes.DoubleType).add("region", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (String key : List.of("a", "b")) {
      for (int t = 0; t < N; t++) {
        double y = (key.equals("a") ? 1 : 1000) + t * t; // distinct at every step
        // size and region change after the first row: a static is read from the first row only
        rows.add(RowFactory.create(key, new Timestamp(3_600_000L * t), (long) t, y, y, y,
            t == 0 ? (key.equals("a") ? 5.0 : 7.0) : -1.0, t == 0 ? (key.equals("a") ? "north" : "south") : "east"));
      }
    }
    Dataset<Row> records = SparkTestSession.get().createDataFrame(rows, schema).repartition(3);
    Dataset<Row> numeric = records.drop("region");
    Dataset<Row> steps = SeriesSteps.of(numeric, SeriesSteps.firstRowStatics(records, ROLES), ROLES, H);
    columns = SeriesSteps.columns(ROLES);
    assertEquals(List.of("y", "past", "future_ahead", "static_size", "static_region_0", "static_region_1",
        "static_region_2", "static_region_3"), columns);
    windows = SlidingWindows.of(steps, columns, new SeqmlConfig.Window(W, 1, H),
        new Timestamp[] {new Timestamp(Long.MAX_VALUE / 2000), new Timestamp(Long.MAX_VALUE / 1000)}).collectAsList();
  }

  private static float value(Row w, int step, int feature) {
    return w.<Float>getList(4).get(step * columns.size() + feature);
  }

  @Test
  void aPastCovariateIsReadOnlyUpToTheWindowsEnd() {
    for (Row w : windows) {
      for (int t = 0; t < W; t++) {
        assertEquals(value(w, t, 0), value(w, t, 1), 0.0, "the copy of the target at step " + t + " is its own step's");
      }
    }
  }

  @Test
  void aFutureCovariateIsReadOverTheHorizon() {
    int complete = 0;
    for (Row w : windows) {
      List<Float> target = w.getList(5);
      int known = w.getInt(6);
      for (int k = 0; k < H; k++) {
        float read = value(w, W - H + k, 2); // the last H steps hold the horizon's values
        if (k < known) {
          assertEquals(target.get(k), read, 0.0, "future value " + (k + 1) + " of window " + w.get(3));
        } else { // past the key's last row: its last value, carried forward
          float last = (w.getString(0).equals("a") ? 1 : 1000) + (N - 1) * (N - 1);
          assertEquals(last, read, 0.0);
        }
      }
      complete += known == H ? 1 : 0;
    }
    assertTrue(complete > 0);
  }

  @Test
  void staticsAreEachKeysFirstRowAtEveryStep() {
    for (Row w : windows) {
      boolean a = w.getString(0).equals("a");
      int hot = -1;
      for (int t = 0; t < W; t++) {
        assertEquals(a ? 5.0 : 7.0, value(w, t, 3), 0.0);
        float sum = 0;
        for (int b = 0; b < 4; b++) {
          sum += value(w, t, 4 + b);
          if (value(w, t, 4 + b) == 1) {
            assertTrue(hot == -1 || hot == b, "the same bucket at every step");
            hot = b;
          }
        }
        assertEquals(1, sum, 0.0, "one-hot");
      }
    }
  }
}

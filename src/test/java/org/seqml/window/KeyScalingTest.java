package org.seqml.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;

/** Per-key scaling is fitted on each key's training windows only, and scores come back in the key's units. */
class KeyScalingTest {
  /** A window of two steps ending at step {@code end}, its one target (NaN: unknown) at step end + 1. */
  private static Row window(String key, String split, long end, float target, float... values) {
    List<Float> x = new ArrayList<>();
    for (float v : values) {
      x.add(v);
    }
    Timestamp ts = new Timestamp(0);
    return RowFactory.create(key, ts, ts, end, x, List.of(target), Float.isNaN(target) ? 0 : 1, ts, split,
        Float.isNaN(target) ? List.of() : List.of(ts));
  }

  private static final float UNKNOWN = Float.NaN;

  private static Dataset<Row> windows(List<Row> rows) {
    return SparkTestSession.get().createDataFrame(rows, SlidingWindows.SCHEMA);
  }

  @Test
  void statisticsComeFromTrainingWindowsOnly() {
    // two features per step, two steps per window; the test window of key a would move its mean to 500
    Dataset<Row> w = windows(List.of(
        window("a", "train", 1, UNKNOWN, 1, 10, 3, 10), window("a", "train", 3, UNKNOWN, 1, 30, 3, 30),
        window("a", "test", 5, UNKNOWN, 1000, 0, 1000, 0), window("a", "validation", 7, UNKNOWN, 2000, 0, 2000, 0),
        window("b", "train", 1, UNKNOWN, 100, 5, 300, 5)));
    KeyScaling s = KeyScaling.fit(w, 2, 1);
    assertArrayEquals(new double[] {2, 20}, s.byKey().get("a")[0], 1e-9);
    assertArrayEquals(new double[] {1, 10}, s.byKey().get("a")[1], 1e-9);
    assertArrayEquals(new double[] {100, 1}, s.byKey().get("b")[1], 1e-9, "b's constant feature keeps std 1");
    assertArrayEquals(new double[] {(2 + 2 + 200) / 3.0, (10 + 10 + 30 + 30 + 5 + 5) / 6.0}, s.pooledMean(), 1e-9,
        "pooled over every training value");
  }

  @Test
  void eachTrainingStepCountsOnceAndKnownTargetsAreSteps() {
    // one feature; windows ending at steps 1 and 2 overlap at step 1; their targets are steps 2 and 3:
    // the steps are 1, 3, 5, 7 (mean 4, variance 5), not the windows' values 1, 3, 3, 5
    Dataset<Row> w = windows(List.of(window("a", "train", 1, 5, 1, 3), window("a", "train", 2, 7, 3, 5)));
    KeyScaling s = KeyScaling.fit(w, 1, 1);
    assertArrayEquals(new double[] {4}, s.byKey().get("a")[0], 1e-9);
    assertArrayEquals(new double[] {Math.sqrt(5)}, s.byKey().get("a")[1], 1e-9);
  }

  @Test
  void aStaticFeatureScalesWithThePooledStatisticsSoKeysStayApart() {
    // feature 1 is a static: 10 for every step of key a, 30 for key b; its own key's statistics would make it 0
    Dataset<Row> w = windows(List.of(window("a", "train", 1, UNKNOWN, 1, 10, 3, 10),
        window("b", "train", 1, UNKNOWN, 5, 30, 9, 30)));
    KeyScaling s = KeyScaling.fit(w, 2, 1, java.util.Set.of(1));
    List<Row> scaled = s.apply(w, 0).orderBy("key").collectAsList();
    assertEquals(-1.0, (Float) scaled.get(0).getList(4).get(1), 1e-6, "a: (10 - 20) / 10");
    assertEquals(1.0, (Float) scaled.get(1).getList(4).get(1), 1e-6, "b: (30 - 20) / 10");
    assertEquals(-1.0, (Float) scaled.get(0).getList(4).get(0), 1e-6, "feature 0 still scales per key: (1 - 2) / 1");
  }

  @Test
  void aKeyWithTooFewTrainingValuesAndAnUnknownKeyUseThePooledStatistics() {
    Dataset<Row> w = windows(List.of(window("a", "train", 1, UNKNOWN, 1, 0, 3, 0),
        window("a", "train", 3, UNKNOWN, 1, 0, 3, 0), window("b", "train", 1, UNKNOWN, 5, 0, 7, 0)));
    KeyScaling s = KeyScaling.fit(w, 2, 3);
    assertEquals(List.of("a"), new ArrayList<>(s.byKey().keySet()), "b has 2 training values of 3 needed");
    Row scaled = s.apply(windows(List.of(window("c", "test", 1, UNKNOWN, 3, 0, 3, 0))), 0).first();
    double pooledMean = (1 + 3 + 1 + 3 + 5 + 7) / 6.0;
    assertEquals((3 - pooledMean) / s.pooledStd()[0], ((Float) scaled.getList(4).get(0)), 1e-5);
  }

  @Test
  void scaledThenInvertedScoresAreInTheKeysUnits() {
    // a's target steps are 10, 30 and (the target) 20: mean 20, deviation 10 sqrt(2/3); b's 100 times that
    Dataset<Row> w = windows(List.of(window("a", "train", 1, 20, 10, 0, 30, 0),
        window("b", "train", 1, 2000, 1000, 0, 3000, 0)));
    KeyScaling s = KeyScaling.fit(w, 2, 1);
    double std = 10 * Math.sqrt(2.0 / 3);
    Row a = s.apply(w, 0).filter("key = 'a'").first();
    assertEquals(-10 / std, ((Float) a.getList(4).get(0)), 1e-6, "(10 - 20) / std");
    assertEquals(0.0, ((Float) a.getList(5).get(0)), 1e-6, "the target scaled with its feature's statistics");
    SparkSession spark = SparkTestSession.get();
    StructType scores = new StructType().add("symbol", DataTypes.StringType).add("prediction", DataTypes.DoubleType)
        .add("actual", DataTypes.DoubleType);
    List<Row> back = s.invert(spark.createDataFrame(List.of(RowFactory.create("a", 1.0, -1.0),
        RowFactory.create("b", 0.5, null)), scores), "symbol", 0).orderBy("symbol").collectAsList();
    assertEquals("a", back.get(0).getString(0));
    assertEquals(20 + std, back.get(0).getDouble(1), 1e-9);
    assertEquals(20 - std, back.get(0).getDouble(2), 1e-9);
    assertEquals(2000 + 0.5 * 100 * std, back.get(1).getDouble(1), 1e-6);
    assertTrue(back.get(1).isNullAt(2));
  }
}

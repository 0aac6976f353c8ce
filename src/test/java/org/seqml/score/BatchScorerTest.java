package org.seqml.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqml.SparkTestSession;
import org.seqml.model.ModelFactory;
import org.seqml.config.SeqmlConfig;
import org.seqml.model.Networks;
import org.seqml.window.WindowTensors;
import org.seqml.window.Scaler;
import org.seqml.window.SlidingWindows;

/**
 * BatchScorer reads Spark's internal rows and writes internal rows: every column it carries and every
 * score is held here to the network's own output() on the same windows, across batch and partition
 * boundaries.
 */
class BatchScorerTest {
  static final int F = 3;
  static final int W = 6;
  static final int H = 2;

  private static final SeqmlConfig.Model LSTM = new SeqmlConfig.Model("lstm", 8, List.of(12, 12), 8, 0.0, 0.01,
      0.0, 0.0, 7, new SeqmlConfig.Transformer(2, 2, 8, 16, "fused"), "auto", new SeqmlConfig.Conv(0, 9), "fused");
  private static final Scaler SCALER = new Scaler(List.of("a", "b", "c"), new double[] {0.5, -1, 2},
      new double[] {2, 0.5, 3}, 1.5, 4);

  private static Row window(String key, long end, SplittableRandom rng, int known) {
    float[] x = new float[W * F];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    float[] y = new float[H];
    for (int k = 0; k < H; k++) {
      y[k] = k < known ? (float) rng.nextGaussian() : Float.NaN;
    }
    Timestamp start = new Timestamp(1_700_000_000_000L + end * 1000);
    Timestamp last = new Timestamp(start.getTime() + 5000);
    List<Timestamp> times = new ArrayList<>();
    for (int k = 0; k < known; k++) {
      times.add(new Timestamp(last.getTime() + 1000L * (k + 1)));
    }
    return RowFactory.create(key, start, last, end, box(x), box(y), known, last, known == H ? "test" : "gap", times);
  }

  private static List<Float> box(float[] values) {
    List<Float> out = new ArrayList<>();
    for (float v : values) {
      out.add(v);
    }
    return out;
  }

  @Test
  void scoresEveryWindowAsOutputDoesAndCarriesItsColumns() {
    SparkSession spark = SparkTestSession.get();
    SplittableRandom rng = new SplittableRandom(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      rows.add(window(i % 2 == 0 ? "AAA" : "BBB", 10 + i, rng, i == 22 ? 1 : H));
    }
    Dataset<Row> windows = spark.createDataFrame(rows, SlidingWindows.SCHEMA).repartition(3);
    ComputationGraph net = ModelFactory.forecaster(LSTM, F, W, H);
    BatchScorer scorer = BatchScorer.of(JavaSparkContext.fromSparkContext(spark.sparkContext()),
        Networks.bytes(net, false), SCALER, "model-7", F, W, H, 4);
    try {
      Dataset<Row> scores = scorer.score(windows);
      assertEquals(BatchScorer.SCHEMA, scores.schema());
      List<Row> got = scores.orderBy("key", "end_pos", "horizon_step").collectAsList();
      assertEquals(rows.size() * H, got.size());

      List<Row> sorted = windows.orderBy("key", "end_pos").collectAsList(); // arrays as Spark hands them to a Row
      INDArray expected = net.output(new WindowTensors(SCALER, F, W, H).features(sorted, 4))[0];
      for (int i = 0; i < sorted.size(); i++) {
        Row w = sorted.get(i);
        for (int k = 0; k < H; k++) {
          Row s = got.get(i * H + k);
          assertEquals(w.getString(0), s.getString(0));
          assertEquals(w.getTimestamp(2), s.getTimestamp(1), "window_end_ts");
          assertEquals(w.getLong(3), s.getLong(2));
          assertEquals(k + 1, s.getInt(3));
          assertEquals(SCALER.unscaleTarget(expected.getDouble(i, k)), s.getDouble(4), 1e-5, "prediction");
          float actual = w.<Float>getList(5).get(k);
          if (Float.isNaN(actual)) {
            assertNull(s.get(5), "an unknown target scores with a null actual");
          } else {
            assertEquals(actual, s.getDouble(5), 0.0);
          }
          assertEquals(w.getString(8), s.getString(6));
          assertEquals("model-7", s.getString(7));
          if (Float.isNaN(actual)) {
            assertNull(s.get(9), "an unknown target has no time yet");
          } else {
            assertEquals(w.getList(9).get(k), s.getTimestamp(9), "target_ts");
          }
        }
      }
      assertTrue(got.stream().anyMatch(r -> r.isNullAt(5)));
    } finally {
      scorer.release();
    }
  }

  /**
   * A quantile head's levels come out sorted per step (an untrained head crosses them), in the target's units,
   * with the median as the prediction.
   */
  @Test
  void quantilesNeverCrossAndTheMedianIsThePrediction() {
    SparkSession spark = SparkTestSession.get();
    SplittableRandom rng = new SplittableRandom(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(window("QQQ", 10 + i, rng, H));
    }
    Dataset<Row> windows = spark.createDataFrame(rows, SlidingWindows.SCHEMA).repartition(2);
    double[] levels = {0.1, 0.5, 0.9};
    ComputationGraph net = ModelFactory.forecaster(LSTM, F, W, H, levels);
    BatchScorer scorer = BatchScorer.of(JavaSparkContext.fromSparkContext(spark.sparkContext()),
        Networks.bytes(net, false), SCALER, "q", F, W, H, 8, levels);
    try {
      List<Row> sorted = windows.orderBy("end_pos").collectAsList();
      INDArray raw = net.output(new WindowTensors(SCALER, F, W, H).features(sorted, 4))[0];
      assertEquals(H * levels.length, raw.size(1));
      int crossed = 0;
      for (int i = 0; i < sorted.size(); i++) {
        for (int k = 0; k < H; k++) {
          crossed += raw.getDouble(i, k * 3) > raw.getDouble(i, k * 3 + 1)
              || raw.getDouble(i, k * 3 + 1) > raw.getDouble(i, k * 3 + 2) ? 1 : 0;
        }
      }
      assertTrue(crossed > 0, "the untrained head crosses its levels somewhere");
      List<Row> got = scorer.score(windows).orderBy("end_pos", "horizon_step").collectAsList();
      for (int i = 0; i < sorted.size(); i++) {
        for (int k = 0; k < H; k++) {
          Row s = got.get(i * H + k);
          java.util.Map<String, Double> q = s.getJavaMap(8);
          assertEquals(List.of("0.1", "0.5", "0.9"), new ArrayList<>(q.keySet()));
          assertTrue(q.get("0.1") <= q.get("0.5") && q.get("0.5") <= q.get("0.9"), "crossed: " + q);
          assertEquals(q.get("0.5"), s.getDouble(4), 0.0, "prediction is the median");
          double[] expected = new double[3];
          for (int j = 0; j < 3; j++) {
            expected[j] = SCALER.unscaleTarget(raw.getDouble(i, k * 3 + j));
          }
          java.util.Arrays.sort(expected);
          assertEquals(expected[0], q.get("0.1"), 1e-5);
          assertEquals(expected[2], q.get("0.9"), 1e-5);
        }
      }
    } finally {
      scorer.release();
    }
  }

  /** A window whose target does not match the model's horizon is named, not an index error. */
  @Test
  void aWindowWithTheWrongHorizonIsAClearError() {
    SparkSession spark = SparkTestSession.get();
    Row good = window("DDD", 7, new SplittableRandom(2), H);
    Object[] values = new Object[good.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = good.get(i);
    }
    values[5] = List.of(1.0f); // one target, horizon 2
    Dataset<Row> windows = spark.createDataFrame(List.of(RowFactory.create(values)), SlidingWindows.SCHEMA);
    ComputationGraph net = ModelFactory.forecaster(LSTM, F, W, H);
    BatchScorer scorer = BatchScorer.of(JavaSparkContext.fromSparkContext(spark.sparkContext()),
        Networks.bytes(net, false), SCALER, "m", F, W, H, 4);
    try {
      SparkException e = assertThrows(SparkException.class, () -> scorer.score(windows).collectAsList());
      assertTrue(String.valueOf(e.getMessage()).contains("window DDD/7 has 1 targets, expected horizon 2"),
          e.getMessage());
    } finally {
      scorer.release();
    }
  }

  /** A windows table read from Parquet has nullable columns: a window without features is named. */
  @Test
  void aWindowWithoutFeaturesIsAClearError() {
    SparkSession spark = SparkTestSession.get();
    StructType nullable = org.seqml.util.Schemas.nullable(SlidingWindows.SCHEMA);
    Row bad = window("CCC", 42, new SplittableRandom(1), H);
    Object[] values = new Object[bad.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = bad.get(i);
    }
    values[4] = null;
    Dataset<Row> windows = spark.createDataFrame(List.of(RowFactory.create(values)), nullable);
    ComputationGraph net = ModelFactory.forecaster(LSTM, F, W, H);
    BatchScorer scorer = BatchScorer.of(JavaSparkContext.fromSparkContext(spark.sparkContext()),
        Networks.bytes(net, false), SCALER, "m", F, W, H, 4);
    try {
      SparkException e = assertThrows(SparkException.class, () -> scorer.score(windows).collectAsList());
      assertTrue(String.valueOf(e.getMessage()).contains("window CCC/42 has no features"), e.getMessage());
    } finally {
      scorer.release();
    }
  }
}

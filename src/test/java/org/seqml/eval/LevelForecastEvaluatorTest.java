package org.seqml.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.window.KeyScaling;
import org.seqml.window.SlidingWindows;

/** Level-forecast metrics and baselines against figures computed by hand. */
class LevelForecastEvaluatorTest {
  @Test
  void metricsAndBaselinesMatchHandComputedFigures() {
    SparkSession spark = SparkTestSession.get();
    // one key scaled by mean 10, std 2; one feature; window of 4 scaled values; horizon 2
    KeyScaling scaling = new KeyScaling(1, Map.of("a", new double[][] {{10}, {2}}), new double[] {0},
        new double[] {1});
    Timestamp ts = new Timestamp(0);
    // training windows whose next two values repeat the last one: the linear baseline learns "last value"
    List<Row> rows = new java.util.ArrayList<>(List.of(RowFactory.create("a", ts, ts, 7L,
        List.of(-1f, 0f, 1f, 2f), List.of(0.5f, 1.5f), 2, ts, "test")));
    java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
    for (int i = 0; i < 40; i++) {
      List<Float> x = List.of((float) rng.nextGaussian(), (float) rng.nextGaussian(), (float) rng.nextGaussian(),
          (float) rng.nextGaussian());
      rows.add(RowFactory.create("a", ts, ts, (long) i, x, List.of(x.get(3), x.get(3)), 2, ts, "train",
          List.of(ts, ts)));
    }
    Dataset<Row> windows = spark.createDataFrame(rows, SlidingWindows.SCHEMA);
    StructType schema = new StructType().add("key", DataTypes.StringType).add("end_pos", DataTypes.LongType)
        .add("horizon_step", DataTypes.IntegerType).add("prediction", DataTypes.DoubleType)
        .add("actual", DataTypes.DoubleType).add("split", DataTypes.StringType);
    // actual in original units: 10 + 2 * 0.5 = 11 and 10 + 2 * 1.5 = 13; the model says 12 and 13
    Dataset<Row> scores = spark.createDataFrame(List.of(RowFactory.create("a", 7L, 1, 12.0, 11.0, "test"),
        RowFactory.create("a", 7L, 2, 13.0, 13.0, "test")), schema);
    JsonNode out = LevelForecastEvaluator.evaluate(scores, windows, scaling, 1, 0, 4, 2, 2);
    JsonNode model = out.get("overall").get("model");
    assertEquals(2, out.get("rows").asLong());
    assertEquals((0.25 + 0) / 2, model.get("mse_standardised").asDouble(), 1e-9, "errors 1 and 0, over std 2");
    assertEquals((0.5 + 0) / 2, model.get("mae_standardised").asDouble(), 1e-9);
    assertEquals(Math.sqrt(0.5), model.get("rmse").asDouble(), 1e-9);
    assertEquals(0.5, model.get("mae").asDouble(), 1e-9);
    assertEquals((2.0 / 23 + 0) / 2, model.get("smape").asDouble(), 1e-9);
    assertEquals(1.0 / 24, model.get("wape").asDouble(), 1e-9);
    // last value: scaled 2 -> 14; errors 3 and 1 in original units, 1.5 and 0.5 standardised
    assertEquals((2.25 + 0.25) / 2, out.get("overall").get("last_value").get("mse_standardised").asDouble(), 1e-9);
    // window mean: scaled 0.5 -> 11; errors 0 and 2 -> standardised 0 and 1
    assertEquals(0.5, out.get("overall").get("window_mean").get("mse_standardised").asDouble(), 1e-9);
    // seasonal naive, season 2: step 1 reads scaled position 2 (1 -> 12), step 2 position 3 (2 -> 14): errors 1, 1
    assertEquals(0.25, out.get("overall").get("seasonal_naive").get("mse_standardised").asDouble(), 1e-9);
    assertEquals(0.5, out.get("by_horizon_step").get(0).get("model").get("mse_standardised").asDouble() * 2, 1e-9);
    assertEquals(true, out.get("model_beats").get("last_value_mse").asBoolean());
    // MASE: the standardised absolute errors (0.5, 0) over the mean |x_i - x_(i-2)| of the training windows
    double naive = 0;
    int trainWindows = 0;
    for (Row r : rows) {
      if (r.getString(8).equals("train")) {
        @SuppressWarnings("unchecked")
        List<Float> x = (List<Float>) r.get(4); // a row built here holds a Java list
        naive += (Math.abs(x.get(2) - x.get(0)) + Math.abs(x.get(3) - x.get(1))) / 2.0;
        trainWindows++;
      }
    }
    naive /= trainWindows;
    assertEquals((0.5 / naive + 0) / 2, model.get("mase").asDouble(), 1e-6);
    assertEquals(1.25, out.get("overall").get("linear").get("mse_standardised").asDouble(), 0.02,
        "the linear baseline fitted on training windows forecasts as the rule they follow (last value; its ridge "
            + "shrinks the weights a little)");
  }

  @Test
  void scoresOfOtherWindowsThanTheTestWindowsAreRefused() {
    SparkSession spark = SparkTestSession.get();
    KeyScaling scaling = new KeyScaling(1, Map.of(), new double[] {0}, new double[] {1});
    Timestamp ts = new Timestamp(0);
    Dataset<Row> windows = spark.createDataFrame(List.of(
        RowFactory.create("a", ts, ts, 1L, List.of(0f, 1f), List.of(1f), 1, ts, "train", List.of(ts)),
        RowFactory.create("a", ts, ts, 7L, List.of(1f, 2f), List.of(3f), 1, ts, "test", List.of(ts))),
        SlidingWindows.SCHEMA);
    StructType schema = new StructType().add("key", DataTypes.StringType).add("end_pos", DataTypes.LongType)
        .add("horizon_step", DataTypes.IntegerType).add("prediction", DataTypes.DoubleType)
        .add("actual", DataTypes.DoubleType).add("split", DataTypes.StringType);
    Dataset<Row> scores = spark.createDataFrame(List.of(RowFactory.create("a", 8L, 1, 3.0, 3.0, "test")), schema);
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> LevelForecastEvaluator.evaluate(scores, windows, scaling, 1, 0, 2, 1, 0));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("2 test (window, step) pairs are in the scores "
        + "or the windows but not both"), e.getMessage());
  }
}

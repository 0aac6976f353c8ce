package org.seqml.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.window.SlidingWindows;

/**
 * Forecast metrics by hand on two test windows of two steps each (one feature, two positions): RMSE, MAE
 * and directional accuracy of the model and of the repeat, zero and majority-direction baselines, overall
 * and per step; the model's RMSE and MAE cross-checked with Spark ML's RegressionEvaluator.
 */
class ForecastEvaluatorTest {
  private static final Timestamp T = Timestamp.valueOf("2024-03-04 10:00:00");
  private static final StructType SCORES = new StructType().add("key", DataTypes.StringType)
      .add("end_pos", DataTypes.LongType).add("horizon_step", DataTypes.IntegerType)
      .add("prediction", DataTypes.DoubleType).add("actual", DataTypes.DoubleType).add("split", DataTypes.StringType);

  private static Row window(String key, long endPos, float[] features, float[] target, String split) {
    List<Float> f = new ArrayList<>();
    for (float v : features) {
      f.add(v);
    }
    List<Float> y = new ArrayList<>();
    for (float v : target) {
      y.add(v);
    }
    return RowFactory.create(key, T, T, endPos, f, y, target.length, T, split);
  }

  @Test
  void metricsByHandAndBySpark() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> windows = spark.createDataFrame(List.of(
        window("a", 1, new float[] {0.5f, 1.0f}, new float[] {2.0f, -1.0f}, SlidingWindows.TEST),
        window("b", 1, new float[] {0.0f, -0.5f}, new float[] {0.0f, 3.0f}, SlidingWindows.TEST),
        // training targets: three up, one down -> the majority direction is up
        window("a", 0, new float[] {0f, 0f}, new float[] {1.0f, 2.0f}, SlidingWindows.TRAIN),
        window("b", 0, new float[] {0f, 0f}, new float[] {-1.0f, 0.5f}, SlidingWindows.TRAIN)),
        SlidingWindows.SCHEMA);
    Dataset<Row> scores = spark.createDataFrame(List.of(
        RowFactory.create("a", 1L, 1, 1.5, 2.0, SlidingWindows.TEST),
        RowFactory.create("a", 1L, 2, -2.0, -1.0, SlidingWindows.TEST),
        RowFactory.create("b", 1L, 1, 0.5, 0.0, SlidingWindows.TEST),
        RowFactory.create("b", 1L, 2, -2.0, 3.0, SlidingWindows.TEST)), SCORES);
    ObjectNode out = ForecastEvaluator.evaluate(scores, windows, 2);
    assertEquals(4, out.get("rows").asLong());
    assertEquals(1.0, out.get("majority_sign").asDouble());
    JsonNode overall = out.get("overall");
    // model errors -0.5, -1, 0.5, -5: squares sum 26.5; signs right on 2 of the 3 non-zero actuals
    assertFigures(overall.get("model"), Math.sqrt(26.5 / 4), 7.0 / 4, 2.0 / 3);
    // repeat (the last value: 1 for a, -0.5 for b): errors -1, 2, -0.5, -3.5; signs right on 1 of 3
    assertFigures(overall.get("repeat"), Math.sqrt(17.5 / 4), 7.0 / 4, 1.0 / 3);
    // zero: errors -2, 1, 0, -3; no direction
    assertEquals(Math.sqrt(14.0 / 4), overall.get("zero").get("rmse").asDouble(), 1e-9);
    assertEquals(6.0 / 4, overall.get("zero").get("mae").asDouble(), 1e-9);
    assertTrue(overall.get("zero").get("directional_accuracy").isNull());
    // always up: right on 2.0 and 3.0, wrong on -1.0
    assertEquals(2.0 / 3, overall.get("majority_direction").get("directional_accuracy").asDouble(), 1e-9);
    JsonNode step1 = out.get("by_horizon_step").get(0);
    assertEquals(1, step1.get("horizon_step").asInt());
    assertFigures(step1.get("model"), 0.5, 0.5, 1.0); // errors -0.5, 0.5; one non-zero actual, right
    assertEquals(false, out.get("model_beats").get("zero_rmse").asBoolean());

    RegressionEvaluator spark1 = new RegressionEvaluator().setLabelCol("actual").setPredictionCol("prediction");
    assertEquals(spark1.setMetricName("rmse").evaluate(scores), overall.get("model").get("rmse").asDouble(), 1e-9);
    assertEquals(spark1.setMetricName("mae").evaluate(scores), overall.get("model").get("mae").asDouble(), 1e-9);
  }

  private static void assertFigures(JsonNode node, double rmse, double mae, double direction) {
    assertEquals(rmse, node.get("rmse").asDouble(), 1e-9, "rmse " + node);
    assertEquals(mae, node.get("mae").asDouble(), 1e-9, "mae " + node);
    assertEquals(direction, node.get("directional_accuracy").asDouble(), 1e-9, "direction " + node);
  }
}

package org.seqml.eval;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.signum;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.seqml.io.Json;
import org.seqml.window.SlidingWindows;

/**
 * Forecast metrics on the test split: RMSE, MAE and directional accuracy (share of steps with a
 * non-zero actual whose sign the forecast gets right), overall and per horizon step, for the model
 * and three naive baselines on exactly the same (window, step) pairs: repeat (the window's last
 * target value), zero (no change; it has no direction), and majority direction (the sign most
 * frequent in training targets; it has a direction only).
 */
public final class ForecastEvaluator {
  private ForecastEvaluator() {}

  /**
   * @param scores score rows (key, end_pos, horizon_step, prediction, actual, split)
   * @param windows the windows the scores came from (SlidingWindows.SCHEMA)
   * @param lastValueIndex 1-based index in the features array of the last step's target feature
   */
  public static ObjectNode evaluate(Dataset<Row> scores, Dataset<Row> windows, int lastValueIndex) {
    Dataset<Row> steps = windows.filter(col("split").equalTo(SlidingWindows.TEST))
        .select(col("key"), col("end_pos"),
            expr("element_at(features, " + lastValueIndex + ")").cast("double").as("last"),
            expr("posexplode(target)").as(new String[] {"pos", "actual_w"}))
        .filter("NOT isnan(actual_w)")
        .select(col("key"), col("end_pos"), col("pos").plus(1).as("horizon_step"), col("last"),
            col("actual_w").cast("double").as("actual_w"));
    double majority = majoritySign(windows);

    Dataset<Row> joined = TestPairs.join(scores, steps, "last");
    Map<String, Column> predictors = new TreeMap<>(Map.of(
        "model", col("prediction"),
        "repeat", col("last"),
        "zero", lit(0.0),
        "majority_direction", lit(majority)));
    ObjectNode out = Json.object();
    out.put("split", SlidingWindows.TEST);
    out.put("rows", joined.count());
    out.put("majority_sign", majority);
    ObjectNode overall = out.putObject("overall");
    Column[] aggs = aggregates(predictors);
    fill(overall, joined.agg(count(lit(1)), aggs).first(), predictors, 1);
    ArrayNode byStep = out.putArray("by_horizon_step");
    for (Row r : joined.groupBy("horizon_step").agg(count(lit(1)), aggs).orderBy("horizon_step").collectAsList()) {
      ObjectNode step = byStep.addObject();
      step.put("horizon_step", r.getInt(0));
      step.put("rows", r.getLong(1));
      fill(step, r, predictors, 2);
    }
    ObjectNode verdict = out.putObject("model_beats");
    ObjectNode m = (ObjectNode) overall.get("model");
    verdict.put("repeat_rmse", m.get("rmse").asDouble() < overall.get("repeat").get("rmse").asDouble());
    verdict.put("zero_rmse", m.get("rmse").asDouble() < overall.get("zero").get("rmse").asDouble());
    verdict.put("repeat_mae", m.get("mae").asDouble() < overall.get("repeat").get("mae").asDouble());
    verdict.put("zero_mae", m.get("mae").asDouble() < overall.get("zero").get("mae").asDouble());
    verdict.put("majority_direction_accuracy", m.get("directional_accuracy").asDouble()
        > overall.get("majority_direction").get("directional_accuracy").asDouble());
    joined.unpersist();
    return out;
  }

  private static Column[] aggregates(Map<String, Column> predictors) {
    Column actual = col("actual_w");
    return predictors.values().stream().flatMap(p -> java.util.stream.Stream.of(
        sqrt(avg(p.minus(actual).multiply(p.minus(actual)))),
        avg(abs(p.minus(actual))),
        avg(when(actual.notEqual(0), when(signum(p).equalTo(signum(actual)), 1.0).otherwise(0.0)))))
        .toArray(Column[]::new);
  }

  private static void fill(ObjectNode target, Row r, Map<String, Column> predictors, int offset) {
    int i = offset;
    for (String name : predictors.keySet()) {
      ObjectNode node = target.putObject(name);
      double rmse = r.getDouble(i);
      double mae = r.getDouble(i + 1);
      Double direction = r.isNullAt(i + 2) ? null : r.getDouble(i + 2);
      if (name.equals("majority_direction")) {
        node.putNull("rmse");
        node.putNull("mae");
      } else {
        node.put("rmse", rmse);
        node.put("mae", mae);
      }
      if (name.equals("zero") || direction == null) {
        node.putNull("directional_accuracy");
      } else {
        node.put("directional_accuracy", direction);
      }
      i += 3;
    }
  }

  /** +1 or -1: the sign of most non-zero training targets. */
  static double majoritySign(Dataset<Row> windows) {
    Row r = windows.filter(col("split").equalTo(SlidingWindows.TRAIN))
        .select(expr("explode(target)").as("y"))
        .filter("NOT isnan(y) AND y != 0")
        .agg(expr("sum(IF(y > 0, 1, 0))"), expr("sum(IF(y < 0, 1, 0))"))
        .first();
    long up = r.isNullAt(0) ? 0 : r.getLong(0);
    long down = r.isNullAt(1) ? 0 : r.getLong(1);
    return up >= down ? 1.0 : -1.0;
  }
}

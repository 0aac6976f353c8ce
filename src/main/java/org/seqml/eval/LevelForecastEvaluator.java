package org.seqml.eval;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.seqml.io.Json;
import org.seqml.window.KeyScaling;
import org.seqml.window.SlidingWindows;

/**
 * Forecast metrics for a level target (a value, not a change) on the test split, for the model and
 * baselines on exactly the same (window, step) pairs: last value, window mean, a linear model of the
 * window's target values fitted on the training windows ({@link LinearBaseline}) and, with a season,
 * seasonal naive (the value one season before the forecast step). MSE and MAE on values
 * standardised with the training statistics the model was scaled with (the scale published tables
 * use), MASE (the absolute error over the key's mean absolute change at the naive lag in its training
 * windows: the season, else one step), and RMSE, MAE, sMAPE and WAPE in original units; overall and per
 * horizon step.
 */
public final class LevelForecastEvaluator {
  private LevelForecastEvaluator() {}

  /**
   * @param scores score rows (key, end_pos, horizon_step, prediction, actual, split) in original units
   * @param scaledWindows the windows the scores came from, scaled as the model read them (SlidingWindows.SCHEMA)
   * @param scaling the statistics the windows were scaled with
   * @param features values per step; {@code target} the target's index among them; {@code window} steps in,
   *     {@code horizon} steps out
   * @param season the seasonal period in steps (0 = no seasonal-naive baseline; at most the window)
   */
  public static ObjectNode evaluate(Dataset<Row> scores, Dataset<Row> scaledWindows, KeyScaling scaling,
      int features, int target, int window, int horizon, int season) {
    String f = Integer.toString(features);
    String t = Integer.toString(target);
    Dataset<Row> steps = scaling.withStats(scaledWindows.filter(col("split").equalTo(SlidingWindows.TEST)))
        .select(col("key"), col("end_pos"), col("_mean").getItem(target).as("mean"),
            col("_std").getItem(target).as("std"),
            expr("element_at(features, " + ((window - 1) * features + target + 1) + ")").cast("double").as("last_s"),
            expr("aggregate(filter(features, (x, i) -> i % " + f + " = " + t + "), CAST(0 AS DOUBLE), "
                + "(acc, x) -> acc + x) / " + window).as("mean_s"),
            col("features"),
            expr("posexplode(target)").as(new String[] {"pos", "actual_s"}))
        .filter("NOT isnan(actual_s)")
        .withColumn("horizon_step", col("pos").plus(1));
    LinearBaseline linear = LinearBaseline.fit(scaledWindows, features, target, window, horizon);
    steps = steps.join(linear.predict(scaledWindows.filter(col("split").equalTo(SlidingWindows.TEST))),
        scala.collection.JavaConverters.asScalaBuffer(List.of("key", "end_pos", "horizon_step")).toSeq());
    Map<String, Column> baselines = new LinkedHashMap<>();
    baselines.put("last_value", col("last_s"));
    baselines.put("window_mean", col("mean_s"));
    baselines.put("linear", col("linear_s"));
    if (season > 0) {
      // the step one season before the forecast step h, within the window: W - season + (h - 1) % season
      Column index = lit(window - season).plus(col("pos").mod(lit(season))).multiply(features).plus(target + 1);
      baselines.put("seasonal_naive", functions_elementAt(index));
    }
    // MASE's scale: each key's mean absolute change over the naive lag (the season, else one step) within
    // its training windows, in the scaled units (scale-free, like MASE itself)
    int lag = season > 0 ? season : 1;
    Dataset<Row> naive = scaledWindows.filter(col("split").equalTo(SlidingWindows.TRAIN))
        .select(col("key"), expr("aggregate(sequence(" + lag + ", " + (window - 1) + "), CAST(0 AS DOUBLE), (acc, i) -> "
            + "acc + abs(features[i * " + f + " + " + t + "] - features[(i - " + lag + ") * " + f + " + " + t + "])) / "
            + (window - lag)).as("change"))
        .groupBy("key").agg(avg("change").as("naive_mae_s"));
    steps = steps.join(naive, scala.collection.JavaConverters.asScalaBuffer(List.of("key")).toSeq(), "left_outer");
    Dataset<Row> joined = TestPairs.join(scores.select("key", "end_pos", "horizon_step", "prediction", "actual",
        "split"), steps, "last_s");
    // every predictor in original units; the standardised errors divide by the key's deviation
    Map<String, Column> predictors = new LinkedHashMap<>();
    predictors.put("model", col("prediction"));
    baselines.forEach((name, scaled) -> predictors.put(name, scaled.multiply(col("std")).plus(col("mean"))));
    Column[] aggs = aggregates(predictors);
    ObjectNode out = Json.object();
    out.put("split", SlidingWindows.TEST);
    out.put("rows", joined.count());
    if (season > 0) {
      out.put("season", season);
    }
    fill(out.putObject("overall"), joined.agg(count(lit(1)), aggs).first(), predictors.keySet(), 1);
    ArrayNode byStep = out.putArray("by_horizon_step");
    for (Row r : joined.groupBy("horizon_step").agg(count(lit(1)), aggs).orderBy("horizon_step").collectAsList()) {
      ObjectNode step = byStep.addObject();
      step.put("horizon_step", r.getInt(0));
      step.put("rows", r.getLong(1));
      fill(step, r, predictors.keySet(), 2);
    }
    ObjectNode verdict = out.putObject("model_beats");
    ObjectNode overall = (ObjectNode) out.get("overall");
    double modelMse = overall.get("model").get("mse_standardised").asDouble();
    for (String name : baselines.keySet()) {
      verdict.put(name + "_mse", modelMse < overall.get(name).get("mse_standardised").asDouble());
    }
    joined.unpersist();
    return out;
  }

  private static Column functions_elementAt(Column oneBasedIndex) {
    return org.apache.spark.sql.functions.element_at(col("features"), oneBasedIndex).cast("double");
  }

  private static Column[] aggregates(Map<String, Column> predictors) {
    Column actual = col("actual");
    Column std = col("std");
    return predictors.values().stream().flatMap(p -> {
      Column error = p.minus(actual);
      Column scaled = error.divide(std);
      Column denominator = abs(p).plus(abs(actual));
      return java.util.stream.Stream.of(
          avg(scaled.multiply(scaled)),
          avg(abs(scaled)),
          avg(abs(scaled).divide(when(col("naive_mae_s").gt(0), col("naive_mae_s")))),
          sqrt(avg(error.multiply(error))),
          avg(abs(error)),
          avg(when(denominator.equalTo(0), lit(0.0)).otherwise(abs(error).multiply(2).divide(denominator))),
          sum(abs(error)).divide(sum(abs(actual))));
    }).toArray(Column[]::new);
  }

  private static final String[] METRICS = {"mse_standardised", "mae_standardised", "mase", "rmse", "mae", "smape",
      "wape"};

  private static void fill(ObjectNode target, Row r, java.util.Set<String> names, int offset) {
    int i = offset;
    for (String name : names) {
      ObjectNode node = target.putObject(name);
      for (String metric : METRICS) {
        if (r.isNullAt(i)) {
          node.putNull(metric);
        } else {
          node.put(metric, r.getDouble(i));
        }
        i++;
      }
    }
  }
}

package org.seqml.report;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The forecast task's pictures: a fan of forecasts against the actual values, and a backtest's folds. */
final class ForecastCharts {
  /** Keys shown in the fan chart. */
  static final int FAN_KEYS = 3;

  private ForecastCharts() {}

  /**
   * For each of the first {@link #FAN_KEYS} keys: its last test window whose targets are all known, the
   * actual values of the 2H steps before it and of its horizon, its forecast and (with a quantile head) its
   * outermost levels. Positions are the keys' own step numbers (end_pos + horizon step).
   */
  static List<String> fans(Dataset<Row> scores, String target) {
    String key = scores.columns()[0]; // forecast scores lead with the domain's key column
    Dataset<Row> test = scores.filter(col("split").equalTo("test").and(col("actual").isNotNull()));
    int horizon = test.agg(functions.max("horizon_step")).first().getInt(0);
    List<Row> origins = test.groupBy(key, "end_pos").agg(functions.count("actual").as("known"))
        .filter(col("known").equalTo(horizon)).groupBy(key).agg(functions.max("end_pos").as("origin"))
        .orderBy(key).limit(FAN_KEYS).collectAsList();
    boolean quantiles = java.util.Arrays.asList(scores.columns()).contains("quantiles");
    List<String> charts = new ArrayList<>();
    for (Row o : origins) {
      String name = o.getString(0);
      long origin = o.getLong(1);
      List<Row> history = scores.filter(col(key).equalTo(name).and(col("horizon_step").equalTo(1))
              .and(col("actual").isNotNull()).and(col("end_pos").between(origin - 2L * horizon, origin - 1)))
          .orderBy("end_pos").select("end_pos", "actual").collectAsList();
      List<Row> fan = scores.filter(col(key).equalTo(name).and(col("end_pos").equalTo(origin)))
          .orderBy("horizon_step").collectAsList();
      XYChart chart = Charts.lines(name + ": forecast from step " + origin + " against the actual values", "step",
          target);
      List<Double> x = new ArrayList<>();
      List<Double> actual = new ArrayList<>();
      history.forEach(r -> {
        x.add((double) r.getLong(0) + 1);
        actual.add(r.getDouble(1));
      });
      List<Double> fx = new ArrayList<>();
      List<Double> median = new ArrayList<>();
      List<Double> lower = new ArrayList<>();
      List<Double> upper = new ArrayList<>();
      String low = null;
      String high = null;
      for (Row r : fan) {
        double at = origin + r.<Integer>getAs("horizon_step");
        x.add(at);
        actual.add(r.<Double>getAs("actual"));
        fx.add(at);
        median.add(r.<Double>getAs("prediction"));
        Map<String, Double> q = quantiles && !r.isNullAt(r.fieldIndex("quantiles"))
            ? r.getJavaMap(r.fieldIndex("quantiles")) : null;
        if (q != null) {
          List<String> levels = new ArrayList<>(q.keySet());
          levels.sort(java.util.Comparator.comparingDouble(Double::parseDouble));
          low = levels.get(0);
          high = levels.get(levels.size() - 1);
          lower.add(q.get(low));
          upper.add(q.get(high));
        }
      }
      chart.addSeries("actual", x, actual).setMarker(SeriesMarkers.CIRCLE);
      chart.addSeries(low == null ? "forecast" : "forecast (median)", fx, median).setMarker(SeriesMarkers.NONE);
      if (low != null) {
        band(chart.addSeries("quantile " + low, fx, lower));
        band(chart.addSeries("quantile " + high, fx, upper));
      }
      charts.add(Charts.dataUri(chart));
    }
    return charts;
  }

  private static void band(XYSeries series) {
    series.setMarker(SeriesMarkers.NONE);
    series.setLineStyle(SeriesLines.DASH_DASH);
  }

  /** A backtest's first metric per fold for the model and every baseline. */
  static String folds(JsonNode backtest) {
    JsonNode folds = backtest.get("fold_metrics");
    String metric = folds.get(0).get("overall").get("model").fieldNames().next();
    CategoryChart chart = Charts.bars("Backtest: " + metric.replace('_', ' ') + " per fold (lower is better)",
        "fold (origin)", metric.replace('_', ' '));
    List<String> who = new ArrayList<>();
    folds.get(0).get("overall").fieldNames().forEachRemaining(who::add);
    for (String w : who) {
      List<String> labels = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      for (JsonNode fold : folds) {
        labels.add(fold.get("fold").asInt() + " (" + fold.get("origin").asText().substring(0, 10) + ")");
        values.add(fold.get("overall").get(w).get(metric).asDouble());
      }
      chart.addSeries(w, labels, values);
    }
    return Charts.dataUri(chart);
  }
}

package org.seqml.window;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Windows read relative to their last target value (NLinear's normalisation, Zeng et al. 2023): the
 * target channel of the inputs and the targets minus the window's last target value, so that a network
 * learns the change from where the series stands and "no change" is its zero. Forecasts get the last
 * value back before they leave.
 */
public final class LastValueReference {
  private LastValueReference() {}

  private static Column last(int features, int target, int window) {
    return functions.expr("element_at(features, " + ((window - 1) * features + target + 1) + ")");
  }

  /** The windows with the target channel and the targets taken relative to the window's last target value. */
  public static Dataset<Row> apply(Dataset<Row> windows, int features, int target, int window) {
    Dataset<Row> withLast = windows.withColumn("_last", last(features, target, window));
    Column inputs = functions.expr("transform(features, (x, i) -> IF(i % " + features + " = " + target
        + ", CAST(x - _last AS FLOAT), x))");
    Column targets = functions.expr("transform(target, y -> CAST(y - _last AS FLOAT))");
    List<Column> out = new ArrayList<>();
    for (String c : windows.columns()) {
      out.add(c.equals("features") ? inputs.as(c) : c.equals("target") ? targets.as(c) : col(c));
    }
    return withLast.select(out.toArray(Column[]::new));
  }

  /** Each window's last target value: key, end_pos, _last. */
  public static Dataset<Row> lastValues(Dataset<Row> windows, int features, int target, int window) {
    return windows.select(col("key"), col("end_pos"), last(features, target, window).cast("double").as("_last"));
  }

  /** Scores (key, end_pos, prediction, actual, quantiles, ...) with their window's last value added back. */
  public static Dataset<Row> addBack(Dataset<Row> scores, Dataset<Row> lastValues) {
    Dataset<Row> joined = scores.join(lastValues, scala.collection.JavaConverters.asScalaBuffer(
        List.of("key", "end_pos")).toSeq());
    List<Column> out = new ArrayList<>();
    for (String c : scores.columns()) {
      out.add(c.equals("prediction") || c.equals("actual") ? col(c).plus(col("_last")).as(c)
          : c.equals("quantiles") ? functions.expr("transform_values(quantiles, (k, v) -> v + _last)").as(c) : col(c));
    }
    return joined.select(out.toArray(Column[]::new));
  }
}

package org.seqml.domain;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.series.SeriesChecks;

/**
 * The steps series windows are cut from, one row per (key, step), with the model's inputs in order: the
 * target, the past covariates (as they stand at the step), the future covariates (as they will stand
 * window.horizon steps later, so a window's last steps hold its horizon's values), the statics (each
 * series' first row, at every step; text ones hashed into one-hot buckets) and the calendar features.
 */
final class SeriesSteps {
  private SeriesSteps() {}

  /** The input columns in model order. */
  static List<String> columns(SeqmlConfig.Series series) {
    List<String> columns = new ArrayList<>(series.wide() ? List.of(SeriesChecks.WIDE_TARGET) : series.targets());
    columns.addAll(series.pastCovariates());
    series.futureCovariates().forEach(c -> columns.add(future(c)));
    columns.addAll(statics(series));
    series.calendar().forEach(c -> columns.add(calendarName(c)));
    return columns;
  }

  /** The inputs that are the same at every step of a series (scaled with statistics pooled over the series). */
  static List<String> statics(SeqmlConfig.Series series) {
    List<String> columns = new ArrayList<>();
    series.staticNumeric().forEach(c -> columns.add("static_" + c));
    for (String c : series.staticCategorical()) {
      for (int b = 0; b < series.staticBuckets(); b++) {
        columns.add("static_" + c + "_" + b);
      }
    }
    return columns;
  }

  static StructType schema(SeqmlConfig.Series series) {
    StructType steps = new StructType().add("key", DataTypes.StringType, false)
        .add("ts", DataTypes.TimestampType, false).add("seq", DataTypes.LongType, false);
    for (String c : columns(series)) {
      steps = steps.add(c, DataTypes.DoubleType, false);
    }
    return steps;
  }

  /** Each key's static values, from its first row (key, then the static columns as read). */
  static Dataset<Row> firstRowStatics(Dataset<Row> rows, SeqmlConfig.Series series) {
    List<String> named = new ArrayList<>(series.staticNumeric());
    named.addAll(series.staticCategorical());
    Column first = functions.min_by(functions.struct(named.stream().map(functions::col).toArray(Column[]::new)),
        functions.struct(col("ts"), col("seq")));
    List<Column> out = new ArrayList<>(List.of(col("key")));
    named.forEach(c -> out.add(col("_first." + c).as(c)));
    return rows.groupBy("key").agg(first.as("_first")).select(out.toArray(Column[]::new));
  }

  /**
   * The steps of {@code rows} (key, ts, seq and the numeric values, one row per step) with the statics of
   * {@code statics} (null: none), future covariates led by {@code horizon} steps, and the calendar.
   */
  static Dataset<Row> of(Dataset<Row> rows, Dataset<Row> statics, SeqmlConfig.Series series, int horizon) {
    Dataset<Row> joined = rows;
    if (statics != null) {
      for (String c : series.staticNumeric()) {
        joined = joined.drop(c);
      }
      joined = joined.join(functions.broadcast(statics), "key");
    }
    WindowSpec order = Window.partitionBy("key").orderBy("ts", "seq");
    WindowSpec whole = order.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    List<Column> out = new ArrayList<>(List.of(col("key"), col("ts"), col("seq")));
    out.add(col(series.wide() ? SeriesChecks.WIDE_TARGET : series.targets().get(0)));
    series.pastCovariates().forEach(c -> out.add(col(c)));
    for (String c : series.futureCovariates()) { // past a key's last row, its last value carries forward
      out.add(functions.coalesce(functions.lead(col(c), horizon).over(order), functions.last(col(c)).over(whole))
          .as(future(c)));
    }
    series.staticNumeric().forEach(c -> out.add(col(c).cast(DataTypes.DoubleType).as("static_" + c)));
    for (String c : series.staticCategorical()) {
      Column bucket = functions.pmod(functions.xxhash64(col(c)), functions.lit(series.staticBuckets()));
      for (int b = 0; b < series.staticBuckets(); b++) {
        out.add(functions.when(bucket.equalTo(b), 1.0).otherwise(0.0).as("static_" + c + "_" + b));
      }
    }
    series.calendar().forEach(c -> out.add(calendar(c)));
    return joined.select(out.toArray(Column[]::new));
  }

  static String future(String column) {
    return "future_" + column;
  }

  private static String calendarName(String feature) {
    return "calendar_" + feature.replace('-', '_');
  }

  private static Column calendar(String feature) {
    Column ts = col("ts");
    Column value = switch (feature) {
      case "hour" -> functions.hour(ts);
      case "day-of-week" -> functions.dayofweek(ts);
      case "day-of-month" -> functions.dayofmonth(ts);
      case "month" -> functions.month(ts);
      default -> throw new IllegalArgumentException("unknown calendar feature " + feature);
    };
    return value.cast(DataTypes.DoubleType).as(calendarName(feature));
  }
}

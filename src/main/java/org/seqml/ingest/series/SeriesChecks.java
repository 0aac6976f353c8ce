package org.seqml.ingest.series;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.InputError;
import org.seqml.ingest.Rejects;
import org.seqml.util.Schemas;

/**
 * A series table read by its column roles into rows of one schema ({@link #schema}): key, ts, seq, the
 * target and covariates as doubles, source and line; every other row to the rejects with a reason.
 * Role columns and their types are checked before any row is read.
 */
public final class SeriesChecks {
  /** The key of the rows of a table without key columns: it is one series. */
  public static final String ONE_SERIES = "series";
  /** The target column of a wide table, whose target columns' names become the keys. */
  public static final String WIDE_TARGET = "value";
  private static final List<String> RESERVED = List.of("key", "ts", "seq", "source", "line");

  private SeriesChecks() {}

  /**
   * The accepted rows' schema: key, ts, seq, then {@code values} (target first) as doubles, the
   * categorical columns as text, source, line.
   */
  public static StructType schema(List<String> values, List<String> categorical) {
    StructType schema = new StructType().add("key", DataTypes.StringType, false)
        .add("ts", DataTypes.TimestampType, false).add("seq", DataTypes.LongType, false);
    for (String v : values) {
      schema = schema.add(v, DataTypes.DoubleType, false);
    }
    for (String c : categorical) {
      schema = schema.add(c, DataTypes.StringType, false);
    }
    return schema.add("source", DataTypes.StringType, false).add("line", DataTypes.LongType, false);
  }

  /** The accepted rows' schema for {@code series}' roles. */
  public static StructType schema(SeqmlConfig.Series series) {
    return schema(values(series), series.staticCategorical());
  }

  /** The numeric columns of accepted rows: the target, the past and future covariates, the numeric statics. */
  public static List<String> values(SeqmlConfig.Series series) {
    List<String> values = new ArrayList<>(series.wide() ? List.of(WIDE_TARGET) : series.targets());
    values.addAll(series.pastCovariates());
    values.addAll(series.futureCovariates());
    values.addAll(series.staticNumeric());
    return values;
  }

  /** Checks {@code raw} (as {@link SeriesTable#read} gives it) by {@code series}' roles. */
  public static IngestResult ingest(Dataset<Row> raw, SeqmlConfig.Series series, String input) {
    return check(raw, series, input, java.time.ZoneOffset.UTC).result();
  }

  /**
   * What the checks give: the ingest's result and, with series.duplicates = mean, the valid rows before
   * duplicates were averaged (each counts as an accepted input row), else null.
   */
  public record Checked(IngestResult result, Dataset<Row> validBeforeMerge) {}

  /** Checks {@code raw} by {@code series}' roles; text times without an offset are read in {@code zone}. */
  public static Checked check(Dataset<Row> raw, SeqmlConfig.Series series, String input, java.time.ZoneId zone) {
    List<String> roles = new ArrayList<>(series.key());
    if (!series.time().isBlank()) {
      roles.add(series.time());
    }
    roles.addAll(series.targets());
    roles.addAll(series.pastCovariates());
    roles.addAll(series.futureCovariates());
    roles.addAll(series.staticNumeric());
    roles.addAll(series.staticCategorical());
    SeriesTable.requireColumns(raw, roles, input);
    for (String r : roles) {
      if (RESERVED.contains(r) && !series.key().contains(r) && !r.equals(series.time())) {
        throw new InputError(input, 0, "column " + r + " is a target or covariate, but seqml's rows use the name for "
            + "their own " + r + ": rename it in the input");
      }
    }
    for (String v : concat(series.targets(), series.pastCovariates(), series.futureCovariates(),
        series.staticNumeric())) {
      requireType(raw.schema(), v, input, "a target or covariate must be numeric (or text holding numbers)",
          t -> t instanceof NumericType || t instanceof StringType);
    }
    if (!series.time().isBlank()) {
      requireType(raw.schema(), series.time(), input, "the time must be a timestamp, a date, an integer or text",
          t -> t instanceof TimestampType || t instanceof DateType || t instanceof StringType
              || t == DataTypes.IntegerType || t == DataTypes.LongType || t == DataTypes.ShortType);
    }
    Dataset<Row> rows = series.wide() ? melt(raw, series.targets()) : raw;
    List<String> values = values(series);
    List<String> categorical = series.staticCategorical();
    Dataset<Row> candidates = candidates(rows, series, values, categorical, zone).persist();
    Dataset<Row> checked = candidates.withColumn("reason", reason(values)).withColumn("detail", detail(values));
    Dataset<Row> valid = checked.filter(col("reason").isNull());
    Dataset<Row> rejects = checked.filter(col("reason").isNotNull());
    Dataset<Row> beforeMerge = null;
    if (series.duplicates().equals("mean")) {
      beforeMerge = valid;
      List<Column> means = new ArrayList<>();
      values.forEach(v -> means.add(functions.avg(col(v + "_d")).as(v + "_d")));
      categorical.forEach(c -> means.add(functions.min(col(c + "_s")).as(c + "_s")));
      means.add(functions.min("seq").as("seq"));
      means.add(functions.min("_file").as("_file"));
      means.add(functions.min("_line").as("_line"));
      valid = valid.groupBy("key", "ts").agg(means.get(0), means.subList(1, means.size()).toArray(Column[]::new));
    } else {
      Dataset<Row> ranked = valid.withColumn("_rank", functions.row_number()
          .over(Window.partitionBy("key", "ts").orderBy("_file", "_line")));
      rejects = rejects.unionByName(ranked.filter(col("_rank").gt(1)).drop("_rank")
          .withColumn("reason", lit(SeriesReject.DUPLICATE))
          .withColumn("detail", functions.concat(lit("a second row of key "), col("key"), lit(" at "),
              col("ts").cast("string"))));
      valid = ranked.filter(col("_rank").equalTo(1)).drop("_rank");
    }
    List<Column> accepted = new ArrayList<>(List.of(col("key"), col("ts"), col("seq")));
    values.forEach(v -> accepted.add(col(v + "_d").as(v)));
    categorical.forEach(c -> accepted.add(col(c + "_s").as(c)));
    accepted.add(col("_file").as("source"));
    accepted.add(col("_line").as("line"));
    Dataset<Row> rejected = rejects.select(col("_file").as("source"), col("_line").as("line"), col("reason"),
        col("detail"), col("_raw").as("raw"));
    return new Checked(new IngestResult(Schemas.conform(valid.select(accepted.toArray(Column[]::new)),
        schema(values, categorical)), Schemas.conform(rejected, Rejects.SCHEMA), candidates), beforeMerge);
  }

  /** A wide table to one row per (target column, time): the column's name is the key, its value the target. */
  static Dataset<Row> melt(Dataset<Row> raw, List<String> targets) {
    StringBuilder stack = new StringBuilder("stack(").append(targets.size());
    for (String t : targets) {
      stack.append(", '").append(t.replace("'", "\\'")).append("', CAST(`").append(t).append("` AS STRING)");
    }
    stack.append(") as (`_series`, `").append(WIDE_TARGET).append("`)");
    List<Column> kept = new ArrayList<>();
    for (String c : raw.columns()) {
      if (!targets.contains(c)) {
        kept.add(col(c));
      }
    }
    kept.add(functions.expr(stack.toString()));
    return raw.select(kept.toArray(Column[]::new));
  }

  /** One row per input row: key, ts and every value as double, beside the raw text and where it came from. */
  private static Dataset<Row> candidates(Dataset<Row> rows, SeqmlConfig.Series series, List<String> values,
      List<String> categorical, java.time.ZoneId zone) {
    List<Column> out = new ArrayList<>();
    out.add(col(SeriesTable.FILE).as("_file"));
    out.add(col(SeriesTable.LINE).as("_line"));
    out.add(col(SeriesTable.LINE).as("seq"));
    out.add(col(SeriesTable.CORRUPT).as("_corrupt"));
    out.add(coalesce(col(SeriesTable.CORRUPT), functions.to_json(functions.struct(rawColumns(rows)))).as("_raw"));
    out.add(key(series).as("key"));
    out.add(time(rows.schema(), series, zone).as("ts"));
    for (String v : values) {
      Column c = col(v);
      out.add(c.isNull().as(v + "_null"));
      out.add(c.cast(DataTypes.DoubleType).as(v + "_d"));
    }
    for (String c : categorical) { // a missing category is the empty one
      out.add(coalesce(functions.trim(col(c).cast(DataTypes.StringType)), lit("")).as(c + "_s"));
    }
    return rows.select(out.toArray(Column[]::new));
  }

  private static Column[] rawColumns(Dataset<Row> rows) {
    return java.util.Arrays.stream(rows.columns())
        .filter(c -> !c.equals(SeriesTable.FILE) && !c.equals(SeriesTable.LINE) && !c.equals(SeriesTable.CORRUPT))
        .map(functions::col).toArray(Column[]::new);
  }

  private static Column key(SeqmlConfig.Series series) {
    if (series.wide()) {
      return col("_series");
    }
    if (series.key().isEmpty()) {
      return lit(ONE_SERIES);
    }
    List<Column> parts = series.key().stream().map(k -> functions.trim(col(k).cast(DataTypes.StringType))).toList();
    Column anyMissing = lit(false);
    for (Column p : parts) {
      anyMissing = anyMissing.or(p.isNull()).or(p.equalTo(""));
    }
    return when(anyMissing, lit(null)).otherwise(functions.concat_ws("|", parts.toArray(Column[]::new)));
  }

  /**
   * The time as a timestamp: a timestamp as is, a date at midnight UTC, an integer order t as the instant t
   * seconds after 1970-01-01 UTC (so it sorts and splits like a time); text as an integer when it is one, else
   * as Spark reads a timestamp, in {@code zone} when it carries no offset. No time column: the row's position
   * in its file.
   */
  private static Column time(StructType schema, SeqmlConfig.Series series, java.time.ZoneId zone) {
    if (series.time().isBlank()) {
      return functions.timestamp_seconds(col(SeriesTable.LINE));
    }
    Column t = col(series.time());
    DataType type = schema.apply(series.time()).dataType();
    if (type instanceof TimestampType) {
      return t;
    }
    if (type instanceof DateType) {
      return functions.to_utc_timestamp(t.cast(DataTypes.TimestampType), "UTC");
    }
    if (type instanceof StringType) {
      Column text = functions.trim(t);
      Column local = functions.to_utc_timestamp(text.cast(DataTypes.TimestampType), zone.getId());
      return when(text.rlike("^-?[0-9]{1,12}$"), functions.timestamp_seconds(text.cast(DataTypes.LongType)))
          .when(text.rlike("(Z|[+-][0-9]{2}:?[0-9]{2})$"), text.cast(DataTypes.TimestampType))
          .otherwise(local);
    }
    return functions.timestamp_seconds(t.cast(DataTypes.LongType));
  }

  /** The first reason a row fails, in a fixed order, or null. */
  private static Column reason(List<String> values) {
    Column reason = when(col("_corrupt").isNotNull(), lit(SeriesReject.MALFORMED_ROW))
        .when(col("key").isNull(), lit(SeriesReject.NULL_KEY))
        .when(col("ts").isNull(), lit(SeriesReject.UNPARSEABLE_TIME));
    for (String v : values) {
      reason = reason.when(col(v + "_null"), lit(SeriesReject.MISSING_VALUE));
    }
    for (String v : values) {
      reason = reason.when(col(v + "_d").isNull(), lit(SeriesReject.UNPARSEABLE_NUMBER));
    }
    for (String v : values) {
      Column d = col(v + "_d");
      reason = reason.when(functions.isnan(d).or(d.equalTo(Double.POSITIVE_INFINITY))
          .or(d.equalTo(Double.NEGATIVE_INFINITY)), lit(SeriesReject.NON_FINITE));
    }
    return reason;
  }

  /** Which column a reject is about. */
  private static Column detail(List<String> values) {
    Column detail = when(col("_corrupt").isNotNull(), lit("the row does not split into the header's fields"))
        .when(col("key").isNull(), lit("a key column is null or empty"))
        .when(col("ts").isNull(), lit("the time is missing or not a timestamp, date or integer"));
    for (String v : values) {
      detail = detail.when(col(v + "_null"), lit(v + " is null"));
    }
    for (String v : values) {
      detail = detail.when(col(v + "_d").isNull(), lit(v + " is not a number"));
    }
    for (String v : values) {
      detail = detail.when(functions.isnan(col(v + "_d")).or(functions.abs(col(v + "_d")).equalTo(
          Double.POSITIVE_INFINITY)), lit(v + " is NaN or infinite"));
    }
    return detail;
  }

  private static void requireType(StructType schema, String column, String input, String requirement,
      java.util.function.Predicate<DataType> ok) {
    DataType type = schema.apply(column).dataType();
    if (!ok.test(type)) {
      throw new InputError(input, 0, "column " + column + " is " + type.simpleString() + ": " + requirement);
    }
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
  }
}

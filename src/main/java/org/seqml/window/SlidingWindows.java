package org.seqml.window;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;

/**
 * Sliding windows per key, computed in Spark without collecting: rows are shuffled by key and
 * ordered by (ts, seq), so a window never mixes keys and partition or file boundaries of the
 * input do not matter. A window ending at position e (0-based) covers inputs e-W+1..e and targets
 * e+1..e+H of the first feature column; ends are W-1, W-1+S, ... up to the key's last row, so a
 * key with n rows has floor((n-W)/S)+1 windows. Windows near the end know fewer than H targets
 * (n_known &lt; H, unknown targets are NaN): they can be scored but not trained or evaluated on.
 *
 * <p>Split by time, the same for every key: c1 and c2 are the event-time quantiles split.train and
 * split.train + split.validation of all rows. A window is train when all its rows (inputs and
 * targets) lie before c1, validation when they lie in [c1, c2), test when they start at or after
 * c2, and gap otherwise. So no split sees a moment another split holds, across keys too (correlated
 * symbols cannot leak into each other's test period).
 */
public final class SlidingWindows {
  public static final StructType SCHEMA = new StructType()
      .add("key", DataTypes.StringType, false)
      .add("window_start_ts", DataTypes.TimestampType, false)
      .add("window_end_ts", DataTypes.TimestampType, false)
      .add("end_pos", DataTypes.LongType, false)
      // W x F floats, time-major: step t, feature f at index t*F + f
      .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      // H floats of the first feature after the window; NaN where not yet known
      .add("target", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("n_known", DataTypes.IntegerType, false)
      // time of the last known target (window_end_ts when none is known)
      .add("target_end_ts", DataTypes.TimestampType, false)
      .add("split", DataTypes.StringType, false);

  public static final String TRAIN = "train";
  public static final String VALIDATION = "validation";
  public static final String TEST = "test";
  public static final String GAP = "gap";

  private SlidingWindows() {}

  /** The event-time cuts between train and validation and between validation and test. */
  public static java.sql.Timestamp[] cuts(Dataset<Row> rows, SeqmlConfig.Split split) {
    double[] q = rows.select(org.apache.spark.sql.functions.unix_micros(col("ts")).cast("double").as("t"))
        .stat().approxQuantile("t", new double[] {split.train(), split.train() + split.validation()}, 1e-5);
    if (q.length < 2) {
      return new java.sql.Timestamp[] {new java.sql.Timestamp(0), new java.sql.Timestamp(0)}; // no rows
    }
    return new java.sql.Timestamp[] {micros((long) q[0]), micros((long) q[1])};
  }

  private static java.sql.Timestamp micros(long micros) {
    return java.sql.Timestamp.from(java.time.Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS));
  }

  public static StructType outputSchema(StructType input, List<String> columns) {
    for (String c : columns) {
      input.apply(c); // throws IllegalArgumentException naming a missing column
    }
    input.apply("key");
    input.apply("ts");
    input.apply("seq");
    return SCHEMA;
  }

  public static Dataset<Row> apply(Dataset<Row> rows, List<String> columns, SeqmlConfig.Window window,
      SeqmlConfig.Split split) {
    outputSchema(rows.schema(), columns);
    java.sql.Timestamp[] cuts = cuts(rows, split);
    int w = window.size();
    int h = window.horizon();
    int s = window.stride();
    WindowSpec ordered = Window.partitionBy(col("key")).orderBy(col("ts"), col("seq"));
    Column step = array(columns.stream().map(c -> col(c).cast(DataTypes.FloatType)).toArray(Column[]::new));
    Dataset<Row> positioned = rows
        .withColumn("pos", row_number().over(ordered).minus(1))
        .withColumn("step", step);

    WindowSpec frame = Window.partitionBy(col("key")).orderBy(col("pos")).rowsBetween(-(w - 1), h);
    WindowSpec back = Window.partitionBy(col("key")).orderBy(col("pos")).rowsBetween(-(w - 1), 0);
    WindowSpec ahead = Window.partitionBy(col("key")).orderBy(col("pos")).rowsBetween(0, h);
    Dataset<Row> framed = positioned
        .withColumn("steps", collect_list(col("step")).over(frame))
        .withColumn("window_start_ts", org.apache.spark.sql.functions.min(col("ts")).over(back))
        .withColumn("target_end_ts", org.apache.spark.sql.functions.max(col("ts")).over(ahead))
        .filter(col("pos").geq(w - 1).and(col("pos").minus(w - 1).mod(s).equalTo(0)));

    Column known = expr("size(steps)").minus(w);
    Column c1 = lit(cuts[0]);
    Column c2 = lit(cuts[1]);
    Column first = col("window_start_ts");
    Column last = col("target_end_ts");
    Column splitName = when(last.lt(c1), lit(TRAIN))
        .when(first.geq(c1).and(last.lt(c2)), lit(VALIDATION))
        .when(first.geq(c2), lit(TEST))
        .otherwise(lit(GAP));
    String targets = "transform(sequence(1, " + h + "), i -> IF(" + w + " + i <= size(steps), "
        + "element_at(element_at(steps, " + w + " + i), 1), CAST('NaN' AS FLOAT)))";
    Dataset<Row> out = framed.select(
        col("key"),
        col("window_start_ts"),
        col("ts").as("window_end_ts"),
        col("pos").as("end_pos"),
        expr("flatten(slice(steps, 1, " + w + "))").as("features"),
        expr(targets).as("target"),
        known.cast(DataTypes.IntegerType).as("n_known"),
        col("target_end_ts"),
        splitName.as("split"));
    return org.seqml.util.Schemas.conform(out, SCHEMA);
  }
}

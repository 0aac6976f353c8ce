package org.seqml.window;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;
import org.seqml.util.Schemas;

/**
 * Sessions and next-event windows (after DeepLog, Du et al., CCS 2017). A session is its events in
 * (ts, seq) order. Its split comes from a hash of the session id (so it does not depend on
 * partitioning or on which file a session sits in): normal and unlabelled sessions below
 * split.train go to train, the next split.validation to validation, the rest to test;
 * abnormal sessions always go to test. For every position p of a session a window
 * holds the h events before p (padded with "" at the start) and the event at p; position 0 is
 * context only (predict = false): what opens a session is checked for unseen events, not ranked.
 */
public final class SessionWindows {
  public static final StructType SESSIONS = new StructType()
      .add("session_id", DataTypes.StringType, false)
      .add("n_events", DataTypes.IntegerType, false)
      .add("events", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("first_ts", DataTypes.TimestampType, true)
      .add("label", DataTypes.IntegerType, true)
      .add("split", DataTypes.StringType, false);

  public static final StructType WINDOWS = new StructType()
      .add("session_id", DataTypes.StringType, false)
      .add("pos", DataTypes.IntegerType, false)
      .add("history", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("next", DataTypes.StringType, false)
      .add("predict", DataTypes.BooleanType, false)
      .add("label", DataTypes.IntegerType, true)
      .add("split", DataTypes.StringType, false);

  public static final String PAD = "";
  /** The event after a session's last one, when detect.end-token is on. */
  public static final String END = "<end>";

  private SessionWindows() {}

  /** Events (LogEventSchema) to one row per session with its split. */
  public static Dataset<Row> sessions(Dataset<Row> events, SeqmlConfig.Split shares) {
    Dataset<Row> grouped = events.groupBy("session_id")
        .agg(functions.sort_array(functions.collect_list(functions.struct(
                functions.coalesce(col("ts"), functions.timestamp_seconds(lit(0))).as("ts"), col("seq"),
                col("source"), col("event_id")))).as("ordered"),
            functions.min("ts").as("first_ts"),
            functions.max("label").as("label"));
    Column share = functions.pmod(functions.xxhash64(col("session_id")), lit(1_000_000L)).divide(1_000_000.0);
    Column abnormal = functions.coalesce(col("label"), lit(0)).equalTo(1);
    double train = shares.train();
    double validation = train + shares.validation();
    Column split = when(abnormal, lit(SlidingWindows.TEST))
        .when(share.lt(train), lit(SlidingWindows.TRAIN))
        .when(share.lt(validation), lit(SlidingWindows.VALIDATION))
        .otherwise(lit(SlidingWindows.TEST));
    Dataset<Row> out = grouped
        .withColumn("events", expr("transform(ordered, e -> e.event_id)"))
        .withColumn("n_events", functions.size(col("events")))
        .withColumn("split", split);
    return Schemas.conform(out, SESSIONS);
  }

  /**
   * Sessions to next-event windows of history length h; with {@code endToken} one more window per
   * session predicts END from the session's last h events.
   */
  public static Dataset<Row> windows(Dataset<Row> sessions, int h, boolean endToken) {
    String padded = "concat(array_repeat('', " + h + "), events)";
    String last = endToken ? "n_events" : "n_events - 1";
    Dataset<Row> out = sessions
        .withColumn("pos", expr("explode(sequence(0, " + last + "))"))
        .withColumn("history", expr("slice(" + padded + ", pos + 1, " + h + ")"))
        .withColumn("next", expr("IF(pos < n_events, element_at(events, pos + 1), '" + END + "')"))
        .withColumn("predict", col("pos").geq(1));
    return Schemas.conform(out, WINDOWS);
  }
}

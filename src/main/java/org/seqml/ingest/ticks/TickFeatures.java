package org.seqml.ingest.ticks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;

/**
 * Per-symbol features in event time (or on bars): log return of the mid, relative spread,
 * level-1 order-book imbalance, and log traded volume. Returns and spreads are multiplied by
 * features.return-scale (10000 = basis points). The first row of a symbol has no return and is
 * not emitted. With bars, a bar keeps its last quote and sums its traded volume, and is stamped with
 * its end (the time its values are known); empty bars are absent, so a bar's return is measured
 * from the previous non-empty bar.
 */
public final class TickFeatures {
  /** Output schema: the windowing input every domain produces (key, order, features). */
  public static final StructType SCHEMA = new StructType()
      .add("key", DataTypes.StringType, false)
      .add("ts", DataTypes.TimestampType, false)
      .add("seq", DataTypes.LongType, false)
      .add("ret", DataTypes.DoubleType, false)
      .add("spread", DataTypes.DoubleType, false)
      .add("imbalance", DataTypes.DoubleType, false)
      .add("volume", DataTypes.DoubleType, false);

  private TickFeatures() {}

  public static StructType outputSchema() {
    return SCHEMA;
  }

  public static Dataset<Row> compute(Dataset<Row> ticks, SeqmlConfig.Features features) {
    Column traded = when(col("event").isin((Object[]) TickSchema.TRADE_EVENTS), col("size")).otherwise(lit(0.0));
    Dataset<Row> events = ticks.select(
        col("symbol").as("key"), col("ts"), col("seq"), col("source"), col("line"),
        col("bid"), col("ask"), col("bid_size"), col("ask_size"), traded.as("traded"));
    Dataset<Row> steps = features.resampled() ? bars(events, features.bar()) : events;

    double scale = features.returnScale();
    WindowSpec byKey = Window.partitionBy(col("key")).orderBy(col("ts"), col("seq"), col("source"), col("line"));
    Column mid = col("bid").plus(col("ask")).divide(2);
    Column depth = col("bid_size").plus(col("ask_size"));
    Dataset<Row> out = steps.withColumn("mid", mid)
        .withColumn("prev_mid", lag(col("mid"), 1).over(byKey))
        // seq becomes the position in the full (ts, seq, source, line) order, so later stages can
        // order by (ts, seq) alone even when one symbol's events come from several files
        .withColumn("seq", functions.row_number().over(byKey).cast("long"))
        .filter(col("prev_mid").isNotNull())
        .select(
            col("key"), col("ts"), col("seq"),
            log(col("mid")).minus(log(col("prev_mid"))).multiply(scale).as("ret"),
            col("ask").minus(col("bid")).divide(col("mid")).multiply(scale).as("spread"),
            when(depth.gt(0), col("bid_size").minus(col("ask_size")).divide(depth)).otherwise(lit(0.0))
                .as("imbalance"),
            log1p(col("traded")).as("volume"));
    return org.seqml.util.Schemas.conform(out, SCHEMA);
  }

  private static Dataset<Row> bars(Dataset<Row> events, Duration bar) {
    long barMicros = bar.toNanos() / 1000;
    Column micros = functions.unix_micros(col("ts"));
    Column start = micros.minus(functions.pmod(micros, lit(barMicros)));
    Column order = functions.struct(col("ts"), col("seq"), col("source"), col("line"));
    return events.withColumn("bar", start).withColumn("ord", order)
        .groupBy(col("key"), col("bar"))
        .agg(functions.max_by(col("bid"), col("ord")).as("bid"),
            functions.max_by(col("ask"), col("ord")).as("ask"),
            functions.max_by(col("bid_size"), col("ord")).as("bid_size"),
            functions.max_by(col("ask_size"), col("ord")).as("ask_size"),
            functions.sum(col("traded")).as("traded"))
        .select(col("key"), functions.timestamp_micros(col("bar").plus(barMicros)).as("ts"), col("bar").as("seq"),
            lit("bar").as("source"), lit(0L).as("line"),
            col("bid"), col("ask"), col("bid_size"), col("ask_size"), col("traded"));
  }
}

package org.seqml.ingest.ticks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.Rejects;
import org.seqml.util.Schemas;

/**
 * Record-set checks that need more than one record, applied to candidates that passed the
 * per-record checks: exact duplicates (the first copy is kept; anonymous LOBSTER hidden fills are
 * exempt, see below), then events whose time runs backwards within a symbol in one source file. Splits candidates into ticks and rejects.
 */
public final class TickValidation {
  private TickValidation() {}

  /** How far an event time may lie from the median time of its symbol in its file by default. */
  public static final java.time.Duration DEFAULT_SKEW = java.time.Duration.ofDays(30);

  public static IngestResult finish(Dataset<Row> parsed) {
    return finish(parsed, DEFAULT_SKEW);
  }

  /**
   * As {@link #finish(Dataset)}, with event times further than {@code skew} (zero: no limit) from the median
   * time of their symbol's records in their file rejected first ({@code implausible_time}): a tick stamped
   * 2099 in a 2024 file would otherwise pass, and every later good tick of its symbol would be out of order.
   */
  public static IngestResult finish(Dataset<Row> parsed, java.time.Duration skew) {
    if (!skew.isZero()) {
      Column ok = col("reason").isNull();
      WindowSpec symbolInFile = Window.partitionBy(col("symbol"), col("source"));
      Dataset<Row> withMedian = parsed.withColumn("median_ts",
          org.apache.spark.sql.functions.expr("percentile_approx(CASE WHEN reason IS NULL THEN ts END, 0.5)")
              .over(symbolInFile));
      Column off = ok.and(org.apache.spark.sql.functions.abs(
              org.apache.spark.sql.functions.expr("unix_micros(ts) - unix_micros(median_ts)"))
          .gt(lit(skew.toNanos() / 1000)));
      parsed = withMedian
          .withColumn("detail", when(off, org.apache.spark.sql.functions.concat(lit("more than "
              + skew.toDays() + " days from " + "the median time "), col("median_ts").cast("string"),
              lit(" of its symbol in this file (ingest.max-time-skew)"))).otherwise(col("detail")))
          .withColumn("reason", when(off, lit(TickReject.IMPLAUSIBLE_TIME)).otherwise(col("reason")))
          .drop("median_ts");
    }
    // One linear pass over every candidate, cached: accepted, rejects and the input count all read the
    // cache, so the input is parsed once and the two checks' shuffles run once (they ran once for the
    // accepted ticks and again for the rejects when the cache held the parsed records only). A record a
    // per-record check refused keeps its reason and takes no part in the set checks.
    Column passed = col("reason").isNull();
    Column[] identity = Arrays.stream(new String[] {"symbol", "ts", "event", "side", "order_id", "price",
            "size", "bid", "ask", "bid_size", "ask_size"})
        .map(c -> col(c)).toArray(Column[]::new);
    Column[] sameEventKeys = Arrays.copyOf(identity, identity.length + 1);
    sameEventKeys[identity.length] = passed;
    WindowSpec sameEvent = Window.partitionBy(sameEventKeys).orderBy(col("source"), col("line"));
    // LOBSTER reports each fill of a hidden order as an identical message with order id 0: one
    // aggressor hitting several hidden orders in the same nanosecond gives true repeats, not copies.
    Column anonymousHiddenFill = col("event").equalTo("exec_hidden").and(col("order_id").equalTo(0L));
    Column copy = when(anonymousHiddenFill, lit(1)).otherwise(row_number().over(sameEvent));
    Dataset<Row> deduped = parsed.withColumn("copy", when(passed, copy))
        .withColumn("detail", when(passed.and(col("copy").gt(1)), lit("same event as an earlier record"))
            .otherwise(col("detail")))
        .withColumn("reason", when(passed.and(col("copy").gt(1)), lit(TickReject.DUPLICATE)).otherwise(col("reason")))
        .drop("copy");

    // The latest time among the earlier records of the same file that passed every check so far.
    WindowSpec earlierInFile = Window.partitionBy(col("symbol"), col("source")).orderBy(col("line"))
        .rowsBetween(Window.unboundedPreceding(), -1);
    Column latestBefore = max(when(passed, col("ts"))).over(earlierInFile);
    Column late = passed.and(col("ts").lt(col("latest_before")));
    Dataset<Row> checked = deduped.withColumn("latest_before", latestBefore)
        .withColumn("detail", when(late, org.apache.spark.sql.functions.concat(lit("earlier than "),
            col("latest_before").cast("string"), lit(" seen before it in the same file"))).otherwise(col("detail")))
        .withColumn("reason", when(late, lit(TickReject.OUT_OF_ORDER)).otherwise(col("reason")))
        .drop("latest_before")
        .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    return new IngestResult(
        Schemas.conform(checked.filter(col("reason").isNull()), TickSchema.SCHEMA),
        Schemas.conform(checked.filter(col("reason").isNotNull()), Rejects.SCHEMA),
        checked);
  }
}

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

  public static IngestResult finish(Dataset<Row> parsed) {
    // Cached: accepted, rejects and the input count all derive from it; the input is read once.
    Dataset<Row> candidates = parsed.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> good = candidates.filter(col("reason").isNull());
    Dataset<Row> bad = candidates.filter(col("reason").isNotNull());

    Column[] identity = Arrays.stream(new String[] {"symbol", "ts", "event", "side", "order_id", "price",
            "size", "bid", "ask", "bid_size", "ask_size"})
        .map(c -> col(c)).toArray(Column[]::new);
    WindowSpec sameEvent = Window.partitionBy(identity).orderBy(col("source"), col("line"));
    // LOBSTER reports each fill of a hidden order as an identical message with order id 0: one
    // aggressor hitting several hidden orders in the same nanosecond gives true repeats, not copies.
    Column anonymousHiddenFill = col("event").equalTo("exec_hidden").and(col("order_id").equalTo(0L));
    Dataset<Row> deduped = good.withColumn("copy",
            when(anonymousHiddenFill, lit(1)).otherwise(row_number().over(sameEvent)))
        .withColumn("reason", when(col("copy").gt(1), lit(TickReject.DUPLICATE)))
        .withColumn("detail", when(col("copy").gt(1), lit("same event as an earlier record")))
        .drop("copy");

    Dataset<Row> unique = deduped.filter(col("reason").isNull());
    WindowSpec earlierInFile = Window.partitionBy(col("symbol"), col("source")).orderBy(col("line"))
        .rowsBetween(Window.unboundedPreceding(), -1);
    Column latestBefore = max(col("ts")).over(earlierInFile);
    Dataset<Row> ordered = unique.withColumn("latest_before", latestBefore)
        .withColumn("reason", when(col("ts").lt(col("latest_before")), lit(TickReject.OUT_OF_ORDER)))
        .withColumn("detail", when(col("reason").isNotNull(),
            org.apache.spark.sql.functions.concat(lit("earlier than "), col("latest_before").cast("string"),
                lit(" seen before it in the same file"))))
        .drop("latest_before");

    Dataset<Row> allBad = bad.unionByName(deduped.filter(col("reason").isNotNull()))
        .unionByName(ordered.filter(col("reason").isNotNull()));
    return new IngestResult(
        Schemas.conform(ordered.filter(col("reason").isNull()), TickSchema.SCHEMA),
        Schemas.conform(allBad, Rejects.SCHEMA),
        candidates);
  }
}

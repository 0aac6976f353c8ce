package org.seqml.ingest.ticks;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.util.Schemas;

class TickFeaturesTest {
  static final List<String> COLUMNS = List.of("ret", "spread", "imbalance", "volume");

  static Row tick(String symbol, long millis, long seq, String event, double size, double bid, double ask,
      double bidSize, double askSize) {
    return RowFactory.create(symbol, new Timestamp(millis), seq, event, 0, null, ask, size, bid, ask, bidSize,
        askSize, "test", seq);
  }

  static Dataset<Row> ticks() {
    // Out of order on purpose, two symbols interleaved, equal timestamps told apart by seq.
    return SparkTestSession.get().createDataFrame(List.of(
        tick("A", 1_000, 2, "trade", 5, 10.1, 10.3, 300, 100),
        tick("B", 1_000, 1, "quote", 0, 50.0, 50.2, 10, 10),
        tick("A", 1_000, 1, "trade", 3, 10.0, 10.2, 100, 100),
        tick("A", 2_500, 3, "submit", 7, 10.2, 10.4, 100, 300),
        tick("B", 1_200, 2, "exec_visible", 4, 50.1, 50.3, 10, 30)), TickSchema.SCHEMA).repartition(3);
  }

  @Test
  void eventTimeFeaturesPerSymbol() {
    SeqmlConfig.Features f = new SeqmlConfig.Features(Duration.ZERO, COLUMNS, 10_000);
    Dataset<Row> out = TickFeatures.compute(ticks(), f);
    assertEquals(Schemas.shape(TickFeatures.SCHEMA), Schemas.shape(out.schema()));
    List<Row> a = out.filter("key = 'A'").orderBy("ts", "seq").collectAsList();
    assertEquals(2, a.size(), "the first event of a symbol has no return and is not emitted");
    assertEquals(Math.log(10.2 / 10.1) * 10_000, a.get(0).getDouble(3), 1e-9, "log return of the mid in bps");
    assertEquals(0.2 / 10.2 * 10_000, a.get(0).getDouble(4), 1e-9, "relative spread in bps");
    assertEquals(0.5, a.get(0).getDouble(5), 1e-12, "(300 - 100) / 400");
    assertEquals(Math.log1p(5), a.get(0).getDouble(6), 1e-12, "a trade's size is volume");
    assertEquals(0.0, a.get(1).getDouble(6), 1e-12, "a submit trades nothing");
    assertEquals(-0.5, a.get(1).getDouble(5), 1e-12);
    List<Row> b = out.filter("key = 'B'").collectAsList();
    assertEquals(1, b.size());
    assertEquals(Math.log(50.2 / 50.1) * 10_000, b.get(0).getDouble(3), 1e-9);
    assertEquals(Math.log1p(4), b.get(0).getDouble(6), 1e-12, "LOBSTER executions are volume");
  }

  /** A ticks table read back from Parquet is nullable: a tick without a bid is named, not read as 0. */
  @Test
  void aTickWithoutABidIsAClearError() {
    org.apache.spark.sql.types.StructType nullable = Schemas.nullable(TickSchema.SCHEMA);
    Row good = tick("C", 1_000, 1, "quote", 0, 10.0, 10.2, 5, 5);
    Object[] values = new Object[good.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = good.get(i);
    }
    values[8] = null; // bid
    Dataset<Row> ticks = SparkTestSession.get().createDataFrame(List.of(good, RowFactory.create(values)), nullable);
    SeqmlConfig.Features f = new SeqmlConfig.Features(Duration.ZERO, COLUMNS, 10_000);
    org.apache.spark.SparkException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.apache.spark.SparkException.class, () -> TickFeatures.compute(ticks, f).collectAsList());
    org.junit.jupiter.api.Assertions.assertTrue(String.valueOf(e.getMessage()).contains("has no bid"), e.getMessage());
  }

  @Test
  void barsKeepTheLastQuoteAndSumVolume() {
    SeqmlConfig.Features f = new SeqmlConfig.Features(Duration.ofSeconds(1), COLUMNS, 10_000);
    List<Row> a = TickFeatures.compute(ticks(), f).filter("key = 'A'").orderBy("ts").collectAsList();
    // bars: [1s,2s) holds seq 1 and 2 (last quote 10.1/10.3, volume 3+5); [2s,3s) holds seq 3
    assertEquals(1, a.size());
    assertEquals(new Timestamp(3_000), a.get(0).getTimestamp(1), "a bar is stamped with its end");
    assertEquals(Math.log(10.3 / 10.2) * 10_000, a.get(0).getDouble(3), 1e-9, "return between bar closes");
  }

  /**
   * The one-pass features equal, bit for bit, their definition in Spark SQL (lag and row_number over
   * each symbol's order, Spark's log and log1p), on generated ticks spread over several partitions.
   */
  @Test
  void onePassMatchesTheSqlDefinition() {
    SeqmlConfig.Generator g = new SeqmlConfig.Generator(5, 400, 7,
        java.time.Instant.parse("2024-03-04T14:30:00Z"), 100, 1.0, 4);
    Dataset<Row> ticks = TickGenerator.generate(SparkTestSession.get(), g).accepted().repartition(5);
    SeqmlConfig.Features f = new SeqmlConfig.Features(Duration.ZERO, COLUMNS, 10_000);
    org.apache.spark.sql.expressions.WindowSpec order = org.apache.spark.sql.expressions.Window
        .partitionBy(col("symbol")).orderBy(col("ts"), col("seq"), col("source"), col("line"));
    Column mid = col("bid").plus(col("ask")).divide(2);
    Column depth = col("bid_size").plus(col("ask_size"));
    Column traded = functions.when(col("event").isin((Object[]) TickSchema.TRADE_EVENTS), col("size"))
        .otherwise(functions.lit(0.0));
    Dataset<Row> expected = ticks.withColumn("mid", mid)
        .withColumn("prev_mid", functions.lag(col("mid"), 1).over(order))
        .withColumn("pos", functions.row_number().over(order).cast("long"))
        .filter(col("prev_mid").isNotNull())
        .select(col("symbol").as("key"), col("ts"), col("pos").as("seq"),
            functions.log(col("mid")).minus(functions.log(col("prev_mid"))).multiply(10_000).as("ret"),
            col("ask").minus(col("bid")).divide(col("mid")).multiply(10_000).as("spread"),
            functions.when(depth.gt(0), col("bid_size").minus(col("ask_size")).divide(depth))
                .otherwise(functions.lit(0.0)).as("imbalance"),
            functions.log1p(traded).as("volume"));
    Dataset<Row> actual = TickFeatures.compute(ticks, f);
    assertEquals(5 * 399, actual.count());
    assertEquals(0, actual.exceptAll(expected).count(), "rows the SQL definition does not have");
    assertEquals(0, expected.exceptAll(actual).count(), "rows missing from the one-pass features");
  }
}

package org.seqml.ingest.ticks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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

  @Test
  void barsKeepTheLastQuoteAndSumVolume() {
    SeqmlConfig.Features f = new SeqmlConfig.Features(Duration.ofSeconds(1), COLUMNS, 10_000);
    List<Row> a = TickFeatures.compute(ticks(), f).filter("key = 'A'").orderBy("ts").collectAsList();
    // bars: [1s,2s) holds seq 1 and 2 (last quote 10.1/10.3, volume 3+5); [2s,3s) holds seq 3
    assertEquals(1, a.size());
    assertEquals(new Timestamp(3_000), a.get(0).getTimestamp(1), "a bar is stamped with its end");
    assertEquals(Math.log(10.3 / 10.2) * 10_000, a.get(0).getDouble(3), 1e-9, "return between bar closes");
  }
}

package org.seqml.ingest.ticks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.IngestResult;

/**
 * The generator's input count, given by construction rather than counted, is the count of what it
 * generates; its rows hold TickSchema's contract and do not depend on how the symbols are partitioned.
 */
class TickGeneratorTest {
  @Test
  void theKnownInputCountIsWhatTheGeneratorGenerates() {
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("ticks", "ci",
        List.of("ingest.generator.symbols=3", "ingest.generator.ticks-per-symbol=257"));
    IngestResult result = TicksIngest.read(SparkTestSession.get(), config.ingest());
    assertEquals(3 * 257, result.inputCount());
    assertEquals(result.inputCount(), result.accepted().count());
    assertEquals(result.inputCount(), result.input().count());
    assertEquals(0, result.rejects().count());
    assertEquals(3, result.accepted().select("symbol").distinct().count());
  }

  @Test
  void eachSymbolsTicksAreInOrderWithTheSchemasContractWhateverThePartitioning() {
    List<Row> one = ticks(1);
    List<Row> three = ticks(3);
    assertEquals(one, three);
    assertEquals(2 * 300, one.size());
    for (int i = 0; i < one.size(); i++) {
      Row r = one.get(i);
      long seq = r.getLong(r.fieldIndex("seq"));
      assertEquals(i % 300, seq, "seq is the tick's 0-based position in its symbol's path");
      assertEquals(seq + 1, r.getLong(r.fieldIndex("line")));
      assertEquals("trade", r.getString(r.fieldIndex("event")));
      assertTrue(r.getDouble(r.fieldIndex("bid")) < r.getDouble(r.fieldIndex("ask")), "bid below ask at " + r);
      if (seq > 0) {
        assertTrue(r.getTimestamp(r.fieldIndex("ts")).after(one.get(i - 1).getTimestamp(r.fieldIndex("ts"))),
            "time increases within a symbol at " + r);
      }
    }
    assertEquals("SYM001", one.get(300).getString(0));
  }

  private static List<Row> ticks(int partitions) {
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("ticks", "ci", List.of("ingest.generator.symbols=2",
        "ingest.generator.ticks-per-symbol=300", "ingest.generator.partitions=" + partitions));
    Dataset<Row> ticks = TicksIngest.read(SparkTestSession.get(), config.ingest()).accepted();
    assertEquals(TickSchema.SCHEMA, ticks.schema());
    return ticks.orderBy("symbol", "seq").collectAsList();
  }
}

package org.seqml.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;

/**
 * A partition is replaced whole or not at all: a rewrite that fails while writing, or a process that dies
 * before its manifest, leaves the previous partition readable as it was (by seqml and by any reader of the
 * table's folder); a process that dies between the swap's two renames gets the previous partition back
 * on the next write; a rewrite that succeeds leaves nothing hidden behind.
 */
class AtomicPartitionTest {
  private static final String TABLE = "scores";
  private static final String DS = "2024-03-04";

  @TempDir Path dir;

  private record Target(SparkSession spark, Layout layout) implements PartitionTarget {
    @Override
    public String ds() {
      return DS;
    }

    @Override
    public String runId() {
      return "test-run";
    }

    @Override
    public String codeVersion() {
      return "test";
    }

    @Override
    public String pipeline() {
      return "p";
    }

    @Override
    public String configHash() {
      return "h";
    }
  }

  private Target target() {
    return new Target(SparkTestSession.get(), Layout.of(dir.toString(), "p"));
  }

  private static Dataset<Row> rows(SparkSession spark, long n) {
    return spark.range(n).toDF("id");
  }

  /** Rows that fail when the write computes them (a broken input found halfway through). */
  private static Dataset<Row> failing(SparkSession spark) {
    spark.udf().register("explode_at_7", (UDF1<Long, Long>) v -> {
      if (v == 7) {
        throw new IllegalStateException("row 7 is broken");
      }
      return v;
    }, DataTypes.LongType);
    return spark.range(20).toDF("id").selectExpr("explode_at_7(id) as id").repartition(4);
  }

  private void publish(Target t, long n) {
    PartitionSink.write(t, TABLE, rows(t.spark(), n), new RowCounts(n, n, 0), null, null);
  }

  /** What a reader of the whole table folder sees (Spark's file index, as pyarrow, skips dot folders). */
  private long tableRows(Target t) {
    return t.spark().read().parquet(t.layout().table(TABLE)).count();
  }

  private List<String> hidden(Target t) throws Exception {
    try (Stream<Path> s = Files.list(Path.of(t.layout().table(TABLE)))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
    }
  }

  @Test
  void aFailedRewriteKeepsThePreviousPartition() {
    Target t = target();
    publish(t, 3);
    assertThrows(Exception.class, () -> PartitionSink.writeData(t, TABLE, failing(t.spark())));
    assertTrue(PartitionSink.exists(t, TABLE), "the previous partition lost its manifest");
    assertEquals(3, PartitionSink.read(t, TABLE).count());
    assertEquals(3, tableRows(t));
  }

  @Test
  void dataWrittenWithoutItsManifestStaysHidden() {
    Target t = target();
    publish(t, 3);
    assertEquals(5, PartitionSink.writeData(t, TABLE, rows(t.spark(), 5))); // then the process dies
    assertEquals(3, PartitionSink.read(t, TABLE).count());
    assertEquals(3, tableRows(t));
    assertEquals(3, PartitionSink.manifestOf(t, TABLE).rowsWritten());
  }

  @Test
  void aSwapCutShortIsUndoneByTheNextWrite() throws Exception {
    Target t = target();
    publish(t, 3);
    // The process died after moving the live partition aside, before renaming the new one in.
    String live = t.layout().partition(TABLE, DS);
    Files.move(Path.of(live), Path.of(PartitionSink.movedAside(live)));
    assertThrows(Exception.class, () -> PartitionSink.writeData(t, TABLE, failing(t.spark())));
    assertEquals(3, PartitionSink.read(t, TABLE).count());
  }

  @Test
  void aRewriteReplacesThePartitionAndLeavesNothingHidden() throws Exception {
    Target t = target();
    publish(t, 3);
    publish(t, 6);
    assertEquals(6, PartitionSink.read(t, TABLE).count());
    assertEquals(6, tableRows(t));
    assertEquals(List.of(), hidden(t));
    assertFalse(Files.exists(Path.of(PartitionSink.staging(t.layout().partition(TABLE, DS)))));
  }
}

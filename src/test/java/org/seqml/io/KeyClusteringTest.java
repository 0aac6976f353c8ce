package org.seqml.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.execution.datasources.FilePartition;
import org.apache.spark.sql.execution.datasources.FileScanRDD;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import scala.collection.JavaConverters;

class KeyClusteringTest {
  static final StructType SCHEMA = new StructType()
      .add("key", DataTypes.StringType, false)
      .add("ts", DataTypes.TimestampType, false)
      .add("seq", DataTypes.LongType, false)
      .add("v", DataTypes.DoubleType, false);

  /** Rows "key:ts:seq" per write task, in the order given: one list per partition. */
  @SafeVarargs
  static Dataset<Row> partitions(List<String>... tasks) {
    SparkSession spark = SparkTestSession.get();
    List<List<Row>> lists = new ArrayList<>();
    for (List<String> task : tasks) {
      List<Row> rows = new ArrayList<>();
      for (String r : task) {
        String[] p = r.split(":");
        rows.add(RowFactory.create(p[0], new Timestamp(Long.parseLong(p[1]) * 1000), Long.parseLong(p[2]), 1.0));
      }
      lists.add(rows);
    }
    JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(lists, lists.size()).flatMap(List::iterator);
    return spark.createDataFrame(rdd, SCHEMA);
  }

  static ObjectNode writeWatched(Dataset<Row> data, Path dir) {
    KeyClustering.Watch watch = KeyClustering.watch(data.sparkSession());
    watch.wrap(data, "key", "ts", "seq").write().mode(SaveMode.Overwrite).parquet(dir.toString());
    return watch.verdict(data.sparkSession(), dir.toString());
  }

  @Test
  void rowsWrittenAsWholeKeysInOrderAreClusteredAndListTheirFiles(@TempDir Path dir) {
    ObjectNode verdict = writeWatched(partitions(
        List.of("A:1:1", "A:2:1", "A:2:2", "B:1:1"),
        List.of("C:5:1", "C:6:1"),
        List.of("D:1:1", "E:1:1")), dir);
    assertTrue(verdict.get("clustered").asBoolean(), verdict.toString());
    assertEquals("key", verdict.get("key").asText());
    assertEquals(5, verdict.get("keys").asLong(), "A to E");
    Map<String, Long> files = KeyClustering.dataFiles(SparkTestSession.get(), dir.toString());
    assertEquals(3, files.size());
    assertEquals(3, verdict.get("files").size());
    files.forEach((name, size) -> assertEquals(size, verdict.get("files").get(name).asLong(), name));
    assertTrue(KeyClustering.trusted(SparkTestSession.get(), verdict, dir.toString()));
  }

  @Test
  void aKeyInTwoWriteTasksIsNotClustered(@TempDir Path dir) {
    ObjectNode verdict = writeWatched(partitions(List.of("A:1:1", "B:1:1"), List.of("B:2:1", "C:1:1")), dir);
    assertFalse(verdict.get("clustered").asBoolean());
    assertTrue(verdict.get("reason").asText().contains("both hold keys"), verdict.toString());
    assertFalse(KeyClustering.trusted(SparkTestSession.get(), verdict, dir.toString()));
  }

  @Test
  void aKeysRowsOutOfOrderOrApartAreNotClustered(@TempDir Path dir) {
    assertFalse(writeWatched(partitions(List.of("A:2:1", "A:1:1")), dir.resolve("ts")).get("clustered").asBoolean());
    assertFalse(writeWatched(partitions(List.of("A:1:2", "A:1:2")), dir.resolve("seq")).get("clustered")
        .asBoolean(), "equal (ts, seq): the order between them is not known");
    ObjectNode apart = writeWatched(partitions(List.of("A:1:1", "B:1:1", "A:2:1")), dir.resolve("apart"));
    assertFalse(apart.get("clustered").asBoolean(), apart.toString());
  }

  @Test
  void sortedRunsOneAfterAnotherInATaskAreClusteredWhenNoKeyRepeats(@TempDir Path dir) {
    // One task read two sorted files in turn (D, E then A, B); another holds C.
    ObjectNode verdict = writeWatched(partitions(List.of("D:1:1", "E:1:1", "A:1:1", "B:1:1"), List.of("C:1:1")),
        dir.resolve("runs"));
    assertTrue(verdict.get("clustered").asBoolean(), verdict.toString());
    assertEquals(5, verdict.get("keys").asLong());
    ObjectNode repeat = writeWatched(partitions(List.of("B:1:1", "C:1:1", "A:1:1", "B:2:1")), dir.resolve("repeat"));
    assertFalse(repeat.get("clustered").asBoolean(), repeat.toString());
  }

  @Test
  void aFileAddedRemovedOrRewrittenVoidsTheClustering(@TempDir Path dir) throws IOException {
    ObjectNode verdict = writeWatched(partitions(List.of("A:1:1", "A:2:1"), List.of("B:1:1")), dir);
    SparkSession spark = SparkTestSession.get();
    assertTrue(KeyClustering.trusted(spark, verdict, dir.toString()));
    Path extra = dir.resolve("part-99999-extra.parquet");
    Files.write(extra, new byte[] {1});
    assertFalse(KeyClustering.trusted(spark, verdict, dir.toString()), "a file added");
    Files.delete(extra);
    assertTrue(KeyClustering.trusted(spark, verdict, dir.toString()));
    Path first = KeyClustering.dataFiles(spark, dir.toString()).keySet().stream().map(dir::resolve).findFirst()
        .orElseThrow();
    byte[] bytes = Files.readAllBytes(first);
    Files.write(first, java.util.Arrays.copyOf(bytes, bytes.length + 1));
    assertFalse(KeyClustering.trusted(spark, verdict, dir.toString()), "a file rewritten at another size");
    Files.delete(first);
    assertFalse(KeyClustering.trusted(spark, verdict, dir.toString()), "a file removed");
    assertFalse(KeyClustering.trusted(spark, null, dir.toString()), "no entry (a manifest from before it)");
  }

  @Test
  void wholeFilesReadsEveryFileWholeBelowTheSplitSizeAndRestoresTheSetting(@TempDir Path dir) {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    for (int i = 1; i <= 20_000; i++) {
      a.add("A:" + i + ":1");
      b.add("B:" + i + ":1");
    }
    ObjectNode verdict = writeWatched(partitions(a, b), dir);
    SparkSession spark = SparkTestSession.get();
    long largest = KeyClustering.largestFile(verdict);
    String setting = "spark.sql.files.maxPartitionBytes";
    spark.conf().set(setting, "4096"); // far below the files: Spark alone would split each in pieces
    try {
      Dataset<Row> read = spark.read().parquet(dir.toString());
      assertTrue(spans(read.queryExecution().toRdd()) > 2, "the setting splits the files on its own");
      RDD<InternalRow> whole = KeyClustering.wholeFiles(spark.read().parquet(dir.toString()), largest);
      assertNotNull(whole);
      assertEquals(2, spans(whole), "one piece per file");
      assertEquals("4096", spark.conf().get(setting), "the session's setting is back");
      assertEquals(40_000, whole.count());
    } finally {
      spark.conf().unset(setting);
    }
  }

  /** The file pieces a planned read has. */
  private static int spans(RDD<InternalRow> rdd) {
    RDD<?> r = rdd;
    while (!(r instanceof FileScanRDD)) {
      r = JavaConverters.seqAsJavaList(r.dependencies()).get(0).rdd();
    }
    int pieces = 0;
    for (FilePartition p : JavaConverters.seqAsJavaList(((FileScanRDD) r).filePartitions())) {
      for (PartitionedFile f : p.files()) {
        pieces++;
      }
    }
    return pieces;
  }

  private static InternalRow row(String key, long ts, long seq) {
    return new GenericInternalRow(new Object[] {UTF8String.fromString(key), ts, seq});
  }

  private static void drain(Iterator<InternalRow> it) {
    while (it.hasNext()) {
      it.next();
    }
  }

  @Test
  void theReadGuardFailsWhenAKeyComesBackOrGoesBackInTime() {
    drain(KeyClustering.guarded(List.of(row("B", 1, 1), row("B", 2, 1), row("A", 1, 1)).iterator(), 0, 1, 2, "t"));
    IllegalStateException back = assertThrows(IllegalStateException.class, () -> drain(KeyClustering.guarded(
        List.of(row("A", 1, 1), row("B", 1, 1), row("A", 2, 1)).iterator(), 0, 1, 2, "the steps partition")));
    assertTrue(back.getMessage().startsWith("the steps partition is not in the order its manifest declares"),
        back.getMessage());
    assertTrue(back.getMessage().contains("key A comes back"), back.getMessage());
    IllegalStateException early = assertThrows(IllegalStateException.class, () -> drain(KeyClustering.guarded(
        List.of(row("A", 2, 1), row("A", 1, 5)).iterator(), 0, 1, 2, "t")));
    assertTrue(early.getMessage().contains("out of (ts, seq) order"), early.getMessage());
    assertThrows(IllegalStateException.class, () -> drain(KeyClustering.guarded(
        List.of(row("A", 2, 1), row("A", 2, 1)).iterator(), 0, 1, 2, "t")));
  }
}

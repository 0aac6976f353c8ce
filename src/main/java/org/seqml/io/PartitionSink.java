package org.seqml.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Writes one ds partition of a Parquet table straight into its directory (a rerun replaces only its
 * own ds), then its {@code _manifest.json}. The old partition goes first, manifest first, and the
 * manifest is written last, so a partition with a manifest is complete.
 */
public final class PartitionSink {
  /** Version of the table layouts seqml writes; bump when a declared schema changes. */
  public static final int SCHEMA_VERSION = 2; // 2: the ticks window phase writes steps, not windows
  public static final String MANIFEST = "_manifest.json";

  private PartitionSink() {}

  /** Writes {@code data} as partition ds of {@code table}, then its manifest; returns the rows written. */
  public static long write(PartitionTarget run, String table, Dataset<Row> data, RowCounts counts, String modelId,
      ObjectNode extra) {
    long written = writeData(run, table, data);
    writeManifest(run, table, data.schema(), counts, modelId, extra, written);
    return written;
  }

  /**
   * The first half of {@link #write}: the data without a manifest (so the partition does not count
   * as complete yet); returns the rows written. For a stage that takes its counts and provenance from
   * what it wrote ({@link #readWritten}) rather than computing its input twice.
   */
  public static long writeData(PartitionTarget run, String table, Dataset<Row> data) {
    String partition = run.layout().partition(table, run.ds());
    SparkSession spark = run.spark();
    // The old manifest goes first: while the data is being swapped no manifest vouches for it. The old
    // data goes too (unreadable without its manifest). No emptiness check up front: it would run the
    // whole plan (shuffles included) once more before the write runs it again.
    remove(spark, partition);
    // Into the partition's own directory, not partitionBy("ds") on the table: Spark's dynamic partition
    // writer projects every row twice more (its ds value, the row without ds): 1.2-1.3x the time of a
    // 10 M-row write of three columns (docs/BENCHMARKS.md, tuning table). Readers find ds either way.
    data.write().mode(SaveMode.Overwrite).parquet(partition);
    if (!exists(spark, partition)) {
      data.limit(0).write().mode(SaveMode.Overwrite).parquet(partition); // an empty file that carries the schema
    }
    long written = spark.read().parquet(partition).count();
    return written;
  }

  /** The second half of {@link #write}: the manifest that makes a written partition complete. */
  public static void writeManifest(PartitionTarget run, String table, StructType schema, RowCounts counts,
      String modelId, ObjectNode extra, long written) {
    String manifestPath = run.layout().partition(table, run.ds()) + "/" + MANIFEST;
    Manifest manifest = new Manifest(table, run.pipeline(), run.ds(), run.runId(), run.configHash(),
        run.codeVersion(), modelId, counts, written, SCHEMA_VERSION, schema.toDDL(), Instant.now().toString(), extra);
    Json.write(manifestPath, manifest.toJson(), run.hadoop());
  }

  /**
   * Removes partition ds of {@code table}, manifest first, if it is there; returns whether it was. For
   * a table a pipeline no longer writes (schema version 1's ticks windows), so that no stale copy of
   * it stays readable beside what replaced it.
   */
  public static boolean removeRetired(PartitionTarget run, String table) {
    String partition = run.layout().partition(table, run.ds());
    boolean present = exists(run.spark(), partition);
    remove(run.spark(), partition);
    return present;
  }

  /** A partition's manifest first, so that no manifest ever vouches for data half gone, then its data. */
  private static void remove(SparkSession spark, String partition) {
    deleteIfExists(spark, partition + "/" + MANIFEST);
    deleteIfExists(spark, partition);
  }

  /** The manifest of a written partition, typed; fails with the path when the partition is absent. */
  public static Manifest manifestOf(PartitionTarget run, String table) {
    return Manifest.fromJson(manifest(run, table));
  }

  /** The manifest of a written partition as JSON; fails with the path when the partition is absent. */
  public static JsonNode manifest(PartitionTarget run, String table) {
    String path = run.layout().partition(table, run.ds()) + "/" + MANIFEST;
    if (!Json.exists(path, run.spark().sparkContext().hadoopConfiguration())) {
      throw new IllegalStateException(
          "no complete " + table + " partition for ds=" + run.ds() + " (missing " + path
              + "): run the phase that writes it first");
    }
    return Json.read(path, run.spark().sparkContext().hadoopConfiguration());
  }

  /** Whether partition ds of {@code table} is complete (has its manifest). */
  public static boolean exists(PartitionTarget run, String table) {
    return Json.exists(run.layout().partition(table, run.ds()) + "/" + MANIFEST, run.hadoop());
  }

  /** Reads a complete partition (one with a manifest), without the ds column. */
  public static Dataset<Row> read(PartitionTarget run, String table) {
    manifest(run, table);
    return run.spark().read().parquet(run.layout().partition(table, run.ds()));
  }

  /** A partition just written by {@link #writeData}, before its manifest exists. */
  public static Dataset<Row> readWritten(PartitionTarget run, String table) {
    return run.spark().read().parquet(run.layout().partition(table, run.ds()));
  }

  private static boolean exists(SparkSession spark, String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void deleteIfExists(SparkSession spark, String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(p)) {
        fs.delete(p, true);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

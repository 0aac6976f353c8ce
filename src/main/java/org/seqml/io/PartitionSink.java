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
 * Writes one ds partition of a Parquet table (a rerun replaces only its own ds) atomically: the data goes
 * to a hidden staging folder beside the partition ({@code .ds=<ds>.staging}, which Spark and pyarrow skip,
 * as they skip every name starting with a dot), then its {@code _manifest.json}, and only then is it swapped
 * in: the live partition moved aside, the staging folder renamed into its place, the old one removed.
 * Readers see the previous complete partition or the new one, never half of one; a run that fails or is
 * killed while writing leaves the previous partition as it was. If a process dies between the two renames,
 * the next write puts the moved-aside partition back first ({@link #recover}).
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
    String staging = staging(partition);
    SparkSession spark = run.spark();
    recover(spark, partition);
    deleteIfExists(spark, staging); // a failed run's leftovers (one run per pipeline and ds holds the lock)
    // Into the partition's own directory, not partitionBy("ds") on the table: Spark's dynamic partition
    // writer projects every row twice more (its ds value, the row without ds): 1.2-1.3x the time of a
    // 10 M-row write of three columns (docs/BENCHMARKS.md, tuning table). Readers find ds either way.
    data.write().mode(SaveMode.Overwrite).parquet(staging);
    if (!exists(spark, staging)) {
      data.limit(0).write().mode(SaveMode.Overwrite).parquet(staging); // an empty file that carries the schema
    }
    return spark.read().parquet(staging).count();
  }

  /**
   * The second half of {@link #write}: the manifest that makes a written partition complete, then the swap
   * that publishes it (a partition written in place, without {@link #writeData}, just gets its manifest).
   */
  public static void writeManifest(PartitionTarget run, String table, StructType schema, RowCounts counts,
      String modelId, ObjectNode extra, long written) {
    String partition = run.layout().partition(table, run.ds());
    String staging = staging(partition);
    boolean staged = exists(run.spark(), staging);
    Manifest manifest = new Manifest(table, run.pipeline(), run.ds(), run.runId(), run.configHash(),
        run.codeVersion(), modelId, counts, written, SCHEMA_VERSION, schema.toDDL(), Instant.now().toString(), extra);
    Json.write((staged ? staging : partition) + "/" + MANIFEST, manifest.toJson(), run.hadoop());
    if (staged) {
      swapIn(run.spark(), staging, partition);
    }
  }

  /** The hidden folder a partition is written to before it is swapped in. */
  static String staging(String partition) {
    int slash = partition.lastIndexOf('/');
    return partition.substring(0, slash + 1) + "." + partition.substring(slash + 1) + ".staging";
  }

  /** Where the live partition waits while the staged one is renamed into its place. */
  static String movedAside(String partition) {
    int slash = partition.lastIndexOf('/');
    return partition.substring(0, slash + 1) + "." + partition.substring(slash + 1) + ".previous";
  }

  private static void swapIn(SparkSession spark, String staging, String partition) {
    try {
      org.apache.hadoop.fs.Path live = new org.apache.hadoop.fs.Path(partition);
      org.apache.hadoop.fs.Path aside = new org.apache.hadoop.fs.Path(movedAside(partition));
      org.apache.hadoop.fs.FileSystem fs = live.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(aside)) {
        fs.delete(aside, true);
      }
      if (fs.exists(live) && !fs.rename(live, aside)) {
        throw new java.io.IOException("cannot move " + live + " aside to " + aside);
      }
      if (!fs.rename(new org.apache.hadoop.fs.Path(staging), live)) {
        throw new java.io.IOException("cannot rename " + staging + " to " + live);
      }
      fs.delete(aside, true);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot publish partition " + partition, e);
    }
  }

  /**
   * Puts a partition moved aside back in place when the process that moved it died before renaming its
   * replacement in (the partition itself absent): the previous complete partition is the one to keep.
   */
  static void recover(SparkSession spark, String partition) {
    try {
      org.apache.hadoop.fs.Path live = new org.apache.hadoop.fs.Path(partition);
      org.apache.hadoop.fs.Path aside = new org.apache.hadoop.fs.Path(movedAside(partition));
      org.apache.hadoop.fs.FileSystem fs = live.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(live) && fs.exists(aside) && !fs.rename(aside, live)) {
        throw new java.io.IOException("cannot move " + aside + " back to " + live);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot recover partition " + partition, e);
    }
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
    deleteIfExists(run.spark(), staging(partition));
    deleteIfExists(run.spark(), movedAside(partition));
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
      throw new org.seqml.util.Refusal(
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

  /** A partition just written by {@link #writeData}, before its manifest exists (still staged). */
  public static Dataset<Row> readWritten(PartitionTarget run, String table) {
    return run.spark().read().parquet(writtenDir(run, table));
  }

  /** The folder {@link #writeData} wrote to: the staging folder until the manifest swaps it in. */
  public static String writtenDir(PartitionTarget run, String table) {
    String partition = run.layout().partition(table, run.ds());
    String staging = staging(partition);
    return exists(run.spark(), staging) ? staging : partition;
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

package org.seqml.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Dependency;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.FilePartition;
import org.apache.spark.sql.execution.datasources.FileScanRDD;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.CollectionAccumulator;
import scala.collection.JavaConverters;

/**
 * Whether a written partition holds each key's rows in one file, together and in (ts, seq) order. A
 * reader that gets every file whole can then stream its keys without a shuffle and a sort: the one step
 * of the ticks window phase a plain Parquet copy does not have (docs/BENCHMARKS.md).
 *
 * <p>Never declared, always observed: {@link Watch} checks the rows while they are written and
 * {@link Watch#verdict} records the outcome and the files in the manifest ("clustering"). A reader trusts
 * it only while the partition still holds exactly those files ({@link #trusted}), reads each file whole
 * ({@link #wholeFiles}), and still checks the order as it streams ({@link #guarded}): a file changed in
 * place fails the read with a clear error instead of giving wrong features.
 */
public final class KeyClustering {
  private KeyClustering() {}

  /**
   * What one write task saw: whether each key's rows came together and in order, and its keys as runs
   * of ascending keys, flattened [first, last, first, last, ...]. A task that read several sorted files
   * one after another sees one run per file; a key in two runs makes two runs' ranges overlap.
   */
  record PartitionSeen(int partition, boolean ordered, long rows, long keys, List<String> runs)
      implements Serializable {}

  /** More runs than this in one task is not a clustered partition (and would bloat the driver's tally). */
  static final int MAX_RUNS = 10_000;

  /** Starts watching a write; wrap the data with {@link Watch#wrap} and ask {@link Watch#verdict} after it. */
  public static Watch watch(SparkSession spark) {
    return new Watch(spark.sparkContext().collectionAccumulator("seqml-key-clustering"));
  }

  /** One write's observation of its rows' clustering. */
  public static final class Watch {
    private final CollectionAccumulator<PartitionSeen> seen;
    private int partitions = -1;
    private String key;

    private Watch(CollectionAccumulator<PartitionSeen> seen) {
      this.seen = seen;
    }

    /**
     * The same rows (as Spark's internal rows, no conversion), observed per partition on their way to
     * the writer: each key's rows must come together, in strictly ascending (ts, seq), and the keys in
     * runs of ascending keys. The columns must be a string key, a timestamp and a long.
     */
    public Dataset<Row> wrap(Dataset<Row> data, String keyColumn, String tsColumn, String seqColumn) {
      int k = data.schema().fieldIndex(keyColumn);
      int t = data.schema().fieldIndex(tsColumn);
      int s = data.schema().fieldIndex(seqColumn);
      JavaRDD<InternalRow> rows = data.queryExecution().toRdd().toJavaRDD();
      this.partitions = rows.getNumPartitions();
      this.key = keyColumn;
      CollectionAccumulator<PartitionSeen> acc = seen;
      JavaRDD<InternalRow> watched = rows.mapPartitions(it -> new Observer(it, k, t, s, acc));
      // internalCreateDataFrame is private[sql] in Scala, public in bytecode (as BatchScorer uses it).
      return data.sparkSession().internalCreateDataFrame(watched.rdd(), data.schema(), false);
    }

    /**
     * The manifest's "clustering" entry for the partition just written to {@code dir}: clustered, with
     * the key, the order and every data file's size, when every write task saw its rows in order, no two
     * tasks' key ranges overlap and each task wrote one file; otherwise not, with the reason.
     */
    public ObjectNode verdict(SparkSession spark, String dir) {
      TreeMap<Integer, PartitionSeen> byPartition = new TreeMap<>();
      for (PartitionSeen p : seen.value()) {
        byPartition.put(p.partition(), p); // a re-run task reports again; its rows are the same
      }
      Map<String, Long> files = dataFiles(spark, dir);
      String reason = reasonNotClustered(partitions, new ArrayList<>(byPartition.values()), files.size());
      ObjectNode node = Json.object();
      node.put("clustered", reason == null);
      if (reason != null) {
        node.put("reason", reason);
        return node;
      }
      node.put("key", key);
      node.putArray("order").add("ts").add("seq");
      // No key in two tasks, none twice in one: the distinct keys are the tasks' key changes added up.
      node.put("keys", byPartition.values().stream().mapToLong(PartitionSeen::keys).sum());
      ObjectNode sizes = node.putObject("files");
      files.forEach(sizes::put);
      return node;
    }
  }

  /** Why tasks' observations do not make a clustered partition, or null when they do. */
  static String reasonNotClustered(int partitions, List<PartitionSeen> seen, int files) {
    if (seen.size() != partitions) {
      return seen.size() + " of " + partitions + " write tasks reported";
    }
    List<String[]> runs = new ArrayList<>();
    int nonEmpty = 0;
    for (PartitionSeen p : seen) {
      if (!p.ordered()) {
        return "write task " + p.partition() + " had a key's rows apart or out of (ts, seq) order, or over "
            + MAX_RUNS + " runs of keys";
      }
      if (p.rows() > 0) {
        nonEmpty++;
      }
      for (int i = 0; i < p.runs().size(); i += 2) {
        runs.add(new String[] {p.runs().get(i), p.runs().get(i + 1), Integer.toString(p.partition())});
      }
    }
    if (nonEmpty == 0) {
      return "no rows";
    }
    runs.sort(Comparator.comparing((String[] r) -> r[0], KeyClustering::compareUtf8));
    for (int i = 1; i < runs.size(); i++) {
      if (compareUtf8(runs.get(i - 1)[1], runs.get(i)[0]) >= 0) {
        return "write tasks " + runs.get(i - 1)[2] + " and " + runs.get(i)[2] + " may both hold keys from "
            + runs.get(i)[0] + " to " + runs.get(i - 1)[1];
      }
    }
    if (files != nonEmpty) {
      return files + " data files from " + nonEmpty + " write tasks with rows";
    }
    return null;
  }

  /** Keys compare as Spark orders strings (by UTF-8 bytes), as the write tasks compared them. */
  private static int compareUtf8(String a, String b) {
    return UTF8String.fromString(a).compareTo(UTF8String.fromString(b));
  }

  /** Checks one write task's rows as they pass and reports what it saw when they are all through. */
  private static final class Observer implements Iterator<InternalRow> {
    private final Iterator<InternalRow> rows;
    private final int k;
    private final int t;
    private final int s;
    private final CollectionAccumulator<PartitionSeen> acc;
    private final List<String> runs = new ArrayList<>();
    private UTF8String runFirst;
    private UTF8String last; // a copy: the rows' memory is reused
    private long lastTs;
    private long lastSeq;
    private long count;
    private long keys;
    private boolean ordered = true;
    private boolean reported;

    Observer(Iterator<InternalRow> rows, int k, int t, int s, CollectionAccumulator<PartitionSeen> acc) {
      this.rows = rows;
      this.k = k;
      this.t = t;
      this.s = s;
      this.acc = acc;
    }

    @Override
    public boolean hasNext() {
      boolean more = rows.hasNext();
      if (!more && !reported) {
        reported = true;
        endRun();
        acc.add(new PartitionSeen(TaskContext.getPartitionId(), ordered, count, keys, ordered ? runs : List.of()));
      }
      return more;
    }

    @Override
    public InternalRow next() {
      InternalRow r = rows.next();
      count++;
      if (ordered) {
        observe(r);
      }
      return r;
    }

    private void observe(InternalRow r) {
      if (r.isNullAt(k) || r.isNullAt(t) || r.isNullAt(s)) {
        ordered = false;
        return;
      }
      UTF8String key = r.getUTF8String(k);
      long ts = r.getLong(t);
      long seq = r.getLong(s);
      int c = last == null ? 1 : key.compareTo(last);
      if (c == 0) {
        if (ts < lastTs || (ts == lastTs && seq <= lastSeq)) {
          ordered = false;
        }
      } else {
        if (c < 0) { // a new run; a key seen in an earlier one shows as overlapping runs in the verdict
          endRun();
          if (runs.size() / 2 >= MAX_RUNS) {
            ordered = false;
            return;
          }
        }
        last = key.clone();
        keys++;
        if (runFirst == null) {
          runFirst = last;
        }
      }
      lastTs = ts;
      lastSeq = seq;
    }

    private void endRun() {
      if (runFirst != null) {
        runs.add(runFirst.toString());
        runs.add(last.toString());
        runFirst = null;
      }
    }
  }

  /**
   * Whether the manifest's clustering entry holds for the partition in {@code dir} now: clustered, and
   * exactly the files it lists are there, at their sizes (a file added, removed or rewritten voids it).
   */
  public static boolean trusted(SparkSession spark, JsonNode clustering, String dir) {
    if (clustering == null || !clustering.path("clustered").asBoolean(false) || !clustering.has("files")) {
      return false;
    }
    Map<String, Long> expected = new TreeMap<>();
    clustering.get("files").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asLong()));
    return expected.equals(dataFiles(spark, dir));
  }

  /** The data files of a partition directory and their sizes (Spark's and Hadoop's _ and . files left out). */
  static Map<String, Long> dataFiles(SparkSession spark, String dir) {
    Map<String, Long> files = new TreeMap<>();
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        return files;
      }
      for (FileStatus f : fs.listStatus(p)) {
        String name = f.getPath().getName();
        if (f.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
          files.put(name, f.getLen());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /**
   * Plans {@code query} (a read of a clustered partition and narrow steps after it) with files never
   * split. Spark splits files into pieces of at most min(spark.sql.files.maxPartitionBytes, all bytes /
   * spark.sql.files.minPartitionNum (the default parallelism)), which would cut a key in two; both
   * settings are lifted for the planning of this one query and put back. Returns null when the planned
   * read still splits a file, or when the plan reads no files through narrow steps. With the split size
   * at the largest file, Spark packs no two files of similar size together: about one task per file.
   */
  public static RDD<InternalRow> wholeFiles(Dataset<Row> query, long largestFile) {
    org.apache.spark.sql.RuntimeConfig conf = query.sparkSession().conf();
    Map<String, String> lifted = Map.of(
        "spark.sql.files.maxPartitionBytes", Long.toString(Math.max(largestFile, 1)),
        "spark.sql.files.minPartitionNum", "1");
    Map<String, String> before = new TreeMap<>();
    lifted.keySet().forEach(k -> before.put(k, conf.contains(k) ? conf.get(k) : null));
    RDD<InternalRow> rdd;
    try {
      lifted.forEach(conf::set);
      rdd = query.queryExecution().toRdd(); // plans the file pieces now, with the settings lifted
    } finally {
      before.forEach((k, v) -> {
        if (v == null) {
          conf.unset(k);
        } else {
          conf.set(k, v);
        }
      });
    }
    FileScanRDD scan = fileScan(rdd);
    if (scan == null) {
      return null;
    }
    for (FilePartition partition : JavaConverters.seqAsJavaList(scan.filePartitions())) {
      for (PartitionedFile file : partition.files()) {
        if (file.start() != 0 || file.length() != file.fileSize()) {
          return null;
        }
      }
    }
    return rdd;
  }

  /** The largest file a trusted clustering entry lists. */
  public static long largestFile(JsonNode clustering) {
    long largest = 0;
    for (Iterator<JsonNode> it = clustering.get("files").elements(); it.hasNext(); ) {
      largest = Math.max(largest, it.next().asLong());
    }
    return largest;
  }

  private static FileScanRDD fileScan(RDD<?> rdd) {
    if (rdd instanceof FileScanRDD scan) {
      return scan;
    }
    for (Dependency<?> d : JavaConverters.seqAsJavaList(rdd.dependencies())) {
      if (!(d instanceof org.apache.spark.NarrowDependency)) {
        return null; // a shuffle would not keep the files' order anyway
      }
      FileScanRDD scan = fileScan(d.rdd());
      if (scan != null) {
        return scan;
      }
    }
    return null;
  }

  /**
   * A read partition's rows (whole files of a clustered partition, one after another), checked as they
   * stream: a key that comes back after another, or rows of a key out of (ts, seq) order, fail the task
   * with {@code what} in the message. The key, ts and seq columns are at the given ordinals.
   */
  public static Iterator<InternalRow> guarded(Iterator<InternalRow> rows, int k, int t, int s, String what) {
    return new Iterator<>() {
      private final Set<UTF8String> done = new HashSet<>();
      private UTF8String key;
      private long lastTs;
      private long lastSeq;

      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public InternalRow next() {
        if (!rows.hasNext()) {
          throw new NoSuchElementException();
        }
        InternalRow r = rows.next();
        if (r.isNullAt(k) || r.isNullAt(t) || r.isNullAt(s)) {
          return r; // the consumer names the missing value
        }
        UTF8String k2 = r.getUTF8String(k);
        long ts = r.getLong(t);
        long seq = r.getLong(s);
        if (!k2.equals(key)) {
          if (key != null) {
            done.add(key);
          }
          if (done.contains(k2)) {
            throw notAsDeclared(what, "key " + k2 + " comes back after other keys");
          }
          key = k2.clone();
        } else if (ts < lastTs || (ts == lastTs && seq <= lastSeq)) {
          throw notAsDeclared(what, "key " + k2 + " has rows out of (ts, seq) order");
        }
        lastTs = ts;
        lastSeq = seq;
        return r;
      }
    };
  }

  private static IllegalStateException notAsDeclared(String what, String detail) {
    return new IllegalStateException(what + " is not in the order its manifest declares (" + detail
        + "): its files were changed after they were written; re-run the phase that wrote it");
  }
}

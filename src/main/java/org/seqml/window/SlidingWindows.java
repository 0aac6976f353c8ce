package org.seqml.window;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.KeyClustering;

/**
 * Sliding windows per key, computed in Spark without collecting: rows are shuffled by key and
 * ordered by (ts, seq), so a window never mixes keys and partition or file boundaries of the
 * input do not matter. A window ending at position e (0-based) covers inputs e-W+1..e and targets
 * e+1..e+H of the first feature column; ends are W-1, W-1+S, ... up to the key's last row, so a
 * key with n rows has floor((n-W)/S)+1 windows. Windows near the end know fewer than H targets
 * (n_known &lt; H, unknown targets are NaN): they can be scored but not trained or evaluated on.
 *
 * <p>Split by time, the same for every key: c1 and c2 are the event-time quantiles split.train and
 * split.train + split.validation of all rows. A window is train when all its rows (inputs and
 * targets) lie before c1, validation when they lie in [c1, c2), test when they start at or after
 * c2, and gap otherwise. So no split sees a moment another split holds, across keys too (correlated
 * symbols cannot leak into each other's test period). With split.by = targets, validation and test
 * go by the targets alone (the first at or after the cut): the inputs may reach back into the split
 * before, which a forecast made at that moment reads too; no training window reads a later moment.
 */
public final class SlidingWindows {
  public static final StructType SCHEMA = new StructType()
      .add("key", DataTypes.StringType, false)
      .add("window_start_ts", DataTypes.TimestampType, false)
      .add("window_end_ts", DataTypes.TimestampType, false)
      .add("end_pos", DataTypes.LongType, false)
      // W x F floats, time-major: step t, feature f at index t*F + f
      .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      // H floats of the first feature after the window; NaN where not yet known
      .add("target", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("n_known", DataTypes.IntegerType, false)
      // time of the last known target (window_end_ts when none is known)
      .add("target_end_ts", DataTypes.TimestampType, false)
      .add("split", DataTypes.StringType, false)
      // the times of the n_known known targets
      .add("target_times", DataTypes.createArrayType(DataTypes.TimestampType, false), false);

  public static final String TRAIN = "train";
  public static final String VALIDATION = "validation";
  public static final String TEST = "test";
  public static final String GAP = "gap";

  private SlidingWindows() {}

  /**
   * Rank error of the cuts, as a fraction of the rows: a cut lies within 0.1 % of the rows of the exact
   * quantile. Each task sends the driver a quantile summary of about its rows' count or 1 / error
   * entries, whichever is smaller; at 1e-5 the driver held nearly every timestamp while merging them
   * (175,000 summary entries and 17 MiB more heap at 200,000 ticks than at 20,000: docs/BENCHMARKS.md).
   */
  static final double CUT_RELATIVE_ERROR = 1e-3;

  /** The event-time cuts between train and validation and between validation and test. */
  public static java.sql.Timestamp[] cuts(Dataset<Row> rows, SeqmlConfig.Split split) {
    double[] q = rows.select(org.apache.spark.sql.functions.unix_micros(col("ts")).cast("double").as("t"))
        .stat().approxQuantile("t", new double[] {split.train(), split.train() + split.validation()},
            CUT_RELATIVE_ERROR);
    if (q.length < 2) {
      return new java.sql.Timestamp[] {new java.sql.Timestamp(0), new java.sql.Timestamp(0)}; // no rows
    }
    return new java.sql.Timestamp[] {micros((long) q[0]), micros((long) q[1])};
  }

  static java.sql.Timestamp micros(long micros) {
    return java.sql.Timestamp.from(java.time.Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS));
  }

  public static StructType outputSchema(StructType input, List<String> columns) {
    for (String c : columns) {
      input.apply(c); // throws IllegalArgumentException naming a missing column
    }
    input.apply("key");
    input.apply("ts");
    input.apply("seq");
    return SCHEMA;
  }

  public static Dataset<Row> apply(Dataset<Row> rows, List<String> columns, SeqmlConfig.Window window,
      SeqmlConfig.Split split) {
    return of(rows, columns, window, cuts(rows, split), split.byTargets());
  }

  /**
   * Windows of rows in any order and partitioning, split at the given {@code cuts} (as {@link #cuts}).
   * One shuffle by key and one sort; each key's rows then stream past a ring buffer of W + H steps.
   * (Window frames with collect_list built a W + H list for every row, not just every S-th, and
   * Spark's window operator buffered each key's whole partition.) Every action on the result, and on
   * what is derived from it, shares the one shuffle: Spark skips a shuffle stage it has already run.
   * With adaptive execution the shuffle runs when this is called (toRdd() plans the query), so a phase
   * calls it once and derives what it needs from the result.
   * Rows go in and windows come out as Spark's internal rows: an external Row would box every float
   * of every window on its way in and out (W x F of them).
   */
  public static Dataset<Row> of(Dataset<Row> rows, List<String> columns, SeqmlConfig.Window window,
      java.sql.Timestamp[] cuts) {
    return of(rows, columns, window, cuts, false);
  }

  /** As {@link #of(Dataset, List, SeqmlConfig.Window, java.sql.Timestamp[])}, split by the targets alone if asked. */
  public static Dataset<Row> of(Dataset<Row> rows, List<String> columns, SeqmlConfig.Window window,
      java.sql.Timestamp[] cuts, boolean byTargets) {
    outputSchema(rows.schema(), columns);
    List<Column> selected = new ArrayList<>(List.of(col("key"), col("ts")));
    columns.forEach(c -> selected.add(col(c).cast(DataTypes.DoubleType)));
    Dataset<Row> ordered = rows.repartition(col("key"))
        .sortWithinPartitions(col("key"), col("ts"), col("seq"))
        .select(selected.toArray(Column[]::new));
    Emitter emitter = new Emitter(columns.toArray(String[]::new), window.size(), window.stride(), window.horizon(),
        micros(cuts[0]), micros(cuts[1]), byTargets);
    JavaRDD<InternalRow> windows = ordered.queryExecution().toRdd().toJavaRDD().mapPartitions(emitter::windows);
    // internalCreateDataFrame is private[sql] in Scala, public in bytecode (as BatchScorer uses it).
    return rows.sparkSession().internalCreateDataFrame(windows.rdd(), SCHEMA, false);
  }

  /**
   * {@link #of} for steps read from a partition whose clustering is trusted ({@code KeyClustering.trusted}):
   * each file read whole holds its keys' steps together and in order, so windows are cut as the files
   * stream, without the shuffle and the sort; the rows are still checked as they pass. A read Spark would
   * split a file for takes the shuffle.
   */
  public static Dataset<Row> ofClustered(Dataset<Row> rows, List<String> columns, SeqmlConfig.Window window,
      java.sql.Timestamp[] cuts, long largestFile, boolean byTargets) {
    outputSchema(rows.schema(), columns);
    List<Column> selected = new ArrayList<>(List.of(col("key"), col("ts")));
    columns.forEach(c -> selected.add(col(c).cast(DataTypes.DoubleType)));
    selected.add(col("seq"));
    org.apache.spark.rdd.RDD<InternalRow> whole =
        KeyClustering.wholeFiles(rows.select(selected.toArray(Column[]::new)), largestFile);
    if (whole == null) {
      return of(rows, columns, window, cuts, byTargets);
    }
    Emitter emitter = new Emitter(columns.toArray(String[]::new), window.size(), window.stride(), window.horizon(),
        micros(cuts[0]), micros(cuts[1]), byTargets);
    int seq = 2 + columns.size();
    JavaRDD<InternalRow> windows = whole.toJavaRDD()
        .mapPartitions(it -> emitter.windows(KeyClustering.guarded(it, 0, 1, seq, "the steps partition")));
    return rows.sparkSession().internalCreateDataFrame(windows.rdd(), SCHEMA, false);
  }

  static long micros(java.sql.Timestamp ts) {
    return Math.floorDiv(ts.getTime(), 1000) * 1_000_000L + ts.getNanos() / 1000;
  }

  /**
   * Turns a partition's internal rows (key, ts, F doubles), sorted by key then order, into windows
   * (SCHEMA, internal rows), lazily. A row without a key, time or value (a steps table read back from
   * Parquet has nullable columns) is an error that names it: an internal row reads a null as 0.
   */
  static final class Emitter implements java.io.Serializable {
    private static final UTF8String[] SPLITS = {UTF8String.fromString(TRAIN), UTF8String.fromString(VALIDATION),
        UTF8String.fromString(TEST), UTF8String.fromString(GAP)};
    private final String[] names;
    private final int f;
    private final int w;
    private final int s;
    private final int h;
    private final long c1;
    private final long c2;
    private final boolean byTargets;

    Emitter(String[] names, int w, int s, int h, long c1Micros, long c2Micros, boolean byTargets) {
      this.byTargets = byTargets;
      this.names = names;
      this.f = names.length;
      this.w = w;
      this.s = s;
      this.h = h;
      this.c1 = c1Micros;
      this.c2 = c2Micros;
    }

    Iterator<InternalRow> windows(Iterator<InternalRow> rows) {
      return new Iterator<>() {
        private final int size = w + h;
        private final float[][] steps = new float[size][f];
        private final long[] times = new long[size];
        private final ArrayDeque<InternalRow> ready = new ArrayDeque<>();
        private UTF8String key; // a copy: the sorter reuses its rows' memory
        private long n; // rows of the current key seen so far

        @Override
        public boolean hasNext() {
          while (ready.isEmpty() && (rows.hasNext() || key != null)) {
            InternalRow r = rows.hasNext() ? rows.next() : null;
            if (r != null && r.isNullAt(0)) {
              throw new IllegalArgumentException("a step without a key (after key " + key + ", position " + n + ")");
            }
            if (r == null || !r.getUTF8String(0).equals(key)) {
              flushKey();
              if (r == null) {
                key = null;
                break;
              }
              key = r.getUTF8String(0).clone();
              n = 0;
            }
            add(r);
          }
          return !ready.isEmpty();
        }

        @Override
        public InternalRow next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          return ready.poll();
        }

        private void add(InternalRow r) {
          int slot = (int) (n % size);
          float[] step = steps[slot];
          for (int k = 0; k < f; k++) {
            if (r.isNullAt(2 + k)) {
              throw new IllegalArgumentException("step " + key + "/" + n + " has no " + names[k]);
            }
            step[k] = (float) r.getDouble(2 + k);
          }
          if (r.isNullAt(1)) {
            throw new IllegalArgumentException("step " + key + "/" + n + " has no ts");
          }
          times[slot] = r.getLong(1);
          n++;
          long end = n - 1 - h; // its H targets are now all known
          if (qualifies(end)) {
            ready.add(emit(end, n - 1));
          }
        }

        /** The key's last windows, whose targets run past its last row. */
        private void flushKey() {
          if (key == null) {
            return;
          }
          for (long end = Math.max(n - h, 0); end < n; end++) {
            if (qualifies(end)) {
              ready.add(emit(end, n - 1));
            }
          }
        }

        private boolean qualifies(long end) {
          return end >= w - 1 && (end - (w - 1)) % s == 0;
        }

        private InternalRow emit(long end, long last) {
          float[] features = new float[w * f];
          for (int t = 0; t < w; t++) {
            System.arraycopy(steps[(int) ((end - w + 1 + t) % size)], 0, features, t * f, f);
          }
          float[] target = new float[h];
          int known = (int) Math.min(h, last - end);
          for (int i = 1; i <= h; i++) {
            target[i - 1] = i <= known ? steps[(int) ((end + i) % size)][0] : Float.NaN;
          }
          long first = times[(int) ((end - w + 1) % size)];
          long targetEnd = times[(int) ((end + known) % size)];
          // where the split looks from: the window's first row, or (by targets) its first target
          long from = !byTargets ? first : known > 0 ? times[(int) ((end + 1) % size)] : times[(int) (end % size)];
          int split = targetEnd < c1 ? 0 : from >= c1 && targetEnd < c2 ? 1 : from >= c2 ? 2 : 3;
          long[] targetTimes = new long[known];
          for (int i = 1; i <= known; i++) {
            targetTimes[i - 1] = times[(int) ((end + i) % size)];
          }
          return new GenericInternalRow(new Object[] {key, first, times[(int) (end % size)], end,
              UnsafeArrayData.fromPrimitiveArray(features), UnsafeArrayData.fromPrimitiveArray(target), known,
              targetEnd, SPLITS[split], UnsafeArrayData.fromPrimitiveArray(targetTimes)});
        }
      };
    }
  }
}

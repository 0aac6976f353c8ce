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
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;

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
 * symbols cannot leak into each other's test period).
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
      .add("split", DataTypes.StringType, false);

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

  private static java.sql.Timestamp micros(long micros) {
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
    return of(rows, columns, window, cuts(rows, split));
  }

  /**
   * Windows of rows in any order and partitioning, split at the given {@code cuts} (as {@link #cuts}).
   * One shuffle by key and one sort; each key's rows then stream past a ring buffer of W + H steps.
   * (Window frames with collect_list built a W + H list for every row, not just every S-th, and
   * Spark's window operator buffered each key's whole partition.) Every action on the result, and on
   * what is derived from it, shares the one shuffle: Spark skips a shuffle stage it has already run.
   */
  public static Dataset<Row> of(Dataset<Row> rows, List<String> columns, SeqmlConfig.Window window,
      java.sql.Timestamp[] cuts) {
    outputSchema(rows.schema(), columns);
    List<Column> selected = new ArrayList<>(List.of(col("key"), col("ts")));
    columns.forEach(c -> selected.add(col(c)));
    Dataset<Row> ordered = rows.repartition(col("key"))
        .sortWithinPartitions(col("key"), col("ts"), col("seq"))
        .select(selected.toArray(Column[]::new));
    return ofOrdered(rows.sparkSession(), ordered.javaRDD(), ordered.schema(), columns, window, cuts);
  }

  /**
   * Windows of rows that are already grouped and ordered: each key's rows together in one partition,
   * in (ts, seq) order, with at least the columns key, ts and {@code columns} (numbers) of
   * {@code schema}. For a stage that shuffles and sorts by key anyway (tick features), so that the
   * rows are not shuffled and sorted twice. {@code cuts} as {@link #cuts}.
   */
  public static Dataset<Row> ofOrdered(SparkSession spark, JavaRDD<Row> ordered, StructType schema,
      List<String> columns, SeqmlConfig.Window window, java.sql.Timestamp[] cuts) {
    int[] at = columns.stream().mapToInt(schema::fieldIndex).toArray();
    Emitter emitter = new Emitter(schema.fieldIndex("key"), schema.fieldIndex("ts"), at, window.size(),
        window.stride(), window.horizon(), cuts[0], cuts[1]);
    return spark.createDataFrame(ordered.mapPartitions(emitter::windows), SCHEMA);
  }

  /** Turns a partition's rows (key, ts, F numbers at the given positions), sorted by key then order, into windows, lazily. */
  static final class Emitter implements java.io.Serializable {
    private final int keyAt;
    private final int tsAt;
    private final int[] featureAt;
    private final int f;
    private final int w;
    private final int s;
    private final int h;
    private final java.sql.Timestamp c1;
    private final java.sql.Timestamp c2;

    Emitter(int keyAt, int tsAt, int[] featureAt, int w, int s, int h, java.sql.Timestamp c1,
        java.sql.Timestamp c2) {
      this.keyAt = keyAt;
      this.tsAt = tsAt;
      this.featureAt = featureAt;
      this.f = featureAt.length;
      this.w = w;
      this.s = s;
      this.h = h;
      this.c1 = c1;
      this.c2 = c2;
    }

    Iterator<Row> windows(Iterator<Row> rows) {
      return new Iterator<>() {
        private final int size = w + h;
        private final float[][] steps = new float[size][];
        private final java.sql.Timestamp[] times = new java.sql.Timestamp[size];
        private final ArrayDeque<Row> ready = new ArrayDeque<>();
        private String key;
        private long n; // rows of the current key seen so far

        @Override
        public boolean hasNext() {
          while (ready.isEmpty() && (rows.hasNext() || key != null)) {
            Row r = rows.hasNext() ? rows.next() : null;
            if (r == null || !r.getString(keyAt).equals(key)) {
              flushKey();
              if (r == null) {
                key = null;
                break;
              }
              key = r.getString(keyAt);
              n = 0;
            }
            add(r);
          }
          return !ready.isEmpty();
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          return ready.poll();
        }

        private void add(Row r) {
          int slot = (int) (n % size);
          float[] step = new float[f];
          for (int k = 0; k < f; k++) {
            step[k] = ((Number) r.get(featureAt[k])).floatValue();
          }
          steps[slot] = step;
          times[slot] = r.getTimestamp(tsAt);
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

        private Row emit(long end, long last) {
          float[] features = new float[w * f];
          for (int t = 0; t < w; t++) {
            System.arraycopy(steps[(int) ((end - w + 1 + t) % size)], 0, features, t * f, f);
          }
          float[] target = new float[h];
          int known = (int) Math.min(h, last - end);
          for (int i = 1; i <= h; i++) {
            target[i - 1] = i <= known ? steps[(int) ((end + i) % size)][0] : Float.NaN;
          }
          java.sql.Timestamp first = times[(int) ((end - w + 1) % size)];
          java.sql.Timestamp targetEnd = times[(int) ((end + known) % size)];
          String split = targetEnd.before(c1) ? TRAIN
              : !first.before(c1) && targetEnd.before(c2) ? VALIDATION
              : !first.before(c2) ? TEST : GAP;
          return RowFactory.create(key, first, times[(int) (end % size)], end, features, target, known, targetEnd,
              split);
        }
      };
    }
  }
}

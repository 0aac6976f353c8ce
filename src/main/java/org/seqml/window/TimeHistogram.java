package org.seqml.window;

import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.util.AccumulatorV2;
import org.seqml.config.SeqmlConfig;

/**
 * The split's cuts from a histogram of the steps' times, counted while the steps are written: the
 * quantiles would otherwise take a pass of their own over the ticks (2.3 s of a 10 M-tick window phase,
 * docs/BENCHMARKS.md). BUCKETS equal buckets span the times the ingest observed; a cut is interpolated
 * within the bucket where its rank falls, so it is off by at most that bucket's rows. When that is more
 * than {@link SlidingWindows#CUT_RELATIVE_ERROR} of all rows (times bunched in one bucket), {@link #cuts}
 * returns null and the caller takes Spark's approximate quantiles, with the same bound.
 */
public final class TimeHistogram extends AccumulatorV2<Long, long[]> {
  /** 2^16 buckets: 512 KiB per task result, whatever the data (the driver's memory stays flat). */
  static final int BUCKETS = 1 << 16;

  private final long lo;
  private final long hi;
  private long[] counts; // null until a time is counted: a task's copy ships empty

  /** A histogram of times (epoch microseconds) from lo to hi, both included; others go to the end buckets. */
  TimeHistogram(long loMicros, long hiMicros) {
    this.lo = loMicros;
    this.hi = Math.max(hiMicros, loMicros);
  }

  /** Registers a histogram over [lo, hi] with Spark, for one write. */
  public static TimeHistogram register(SparkSession spark, long loMicros, long hiMicros) {
    TimeHistogram h = new TimeHistogram(loMicros, hiMicros);
    spark.sparkContext().register(h, "seqml-step-times");
    return h;
  }

  /** The same rows (internal rows, no conversion), each one's time counted on its way past. */
  public Dataset<Row> wrap(Dataset<Row> data, String tsColumn) {
    int t = data.schema().fieldIndex(tsColumn);
    TimeHistogram acc = this;
    JavaRDD<InternalRow> rows = data.queryExecution().toRdd().toJavaRDD()
        .mapPartitions(it -> new Iterator<InternalRow>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public InternalRow next() {
            InternalRow r = it.next();
            if (!r.isNullAt(t)) {
              acc.addMicros(r.getLong(t));
            }
            return r;
          }
        });
    // internalCreateDataFrame is private[sql] in Scala, public in bytecode (as BatchScorer uses it).
    return data.sparkSession().internalCreateDataFrame(rows.rdd(), data.schema(), false);
  }

  void addMicros(long micros) {
    if (counts == null) {
      counts = new long[BUCKETS];
    }
    counts[bucket(micros)]++;
  }

  private int bucket(long micros) {
    if (micros <= lo) {
      return 0;
    }
    if (micros >= hi) {
      return BUCKETS - 1;
    }
    return (int) Math.min(BUCKETS - 1, (long) ((micros - lo) * (BUCKETS / ((double) hi - lo + 1))));
  }

  /**
   * The cuts between train and validation and between validation and test ({@link SlidingWindows#cuts}'s
   * meaning), or null when a cut's bucket holds more than CUT_RELATIVE_ERROR of the rows, or there are none.
   */
  public java.sql.Timestamp[] cuts(SeqmlConfig.Split split) {
    long n = counts == null ? 0 : Arrays.stream(counts).sum();
    if (n == 0) {
      return null;
    }
    double[] q = {split.train(), split.train() + split.validation()};
    java.sql.Timestamp[] out = new java.sql.Timestamp[2];
    double width = ((double) hi - lo + 1) / BUCKETS;
    for (int i = 0; i < 2; i++) {
      double rank = q[i] * n; // rows before the cut
      long below = 0;
      int b = 0;
      while (b < BUCKETS - 1 && below + counts[b] <= rank) {
        below += counts[b++];
      }
      if (counts[b] > SlidingWindows.CUT_RELATIVE_ERROR * n || b == 0 || b == BUCKETS - 1) {
        return null; // too coarse here, or in an end bucket that also holds times outside the range
      }
      double within = counts[b] == 0 ? 0 : (rank - below) / counts[b];
      out[i] = SlidingWindows.micros(lo + (long) Math.floor((b + within) * width));
    }
    return out;
  }

  @Override
  public boolean isZero() {
    return counts == null || Arrays.stream(counts).allMatch(c -> c == 0);
  }

  @Override
  public TimeHistogram copy() {
    TimeHistogram c = new TimeHistogram(lo, hi);
    c.counts = counts == null ? null : counts.clone();
    return c;
  }

  @Override
  public void reset() {
    counts = null;
  }

  @Override
  public void add(Long micros) {
    addMicros(micros);
  }

  @Override
  public void merge(AccumulatorV2<Long, long[]> other) {
    long[] o = ((TimeHistogram) other).counts;
    if (o == null) {
      return;
    }
    if (counts == null) {
      counts = new long[BUCKETS];
    }
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += o[i];
    }
  }

  @Override
  public long[] value() {
    return counts == null ? new long[BUCKETS] : counts;
  }
}

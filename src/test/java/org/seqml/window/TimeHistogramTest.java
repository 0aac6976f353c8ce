package org.seqml.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.config.SeqmlConfig;

class TimeHistogramTest {
  static final SeqmlConfig.Split SPLIT = new SeqmlConfig.Split(0.7, 0.15);
  static final long LO = 1_700_000_000_000_000L;

  /** The share of times before the cut. */
  static double rank(long[] times, Timestamp cut) {
    long c = SlidingWindows.micros(cut);
    return Arrays.stream(times).filter(t -> t < c).count() / (double) times.length;
  }

  @Test
  void cutsFallAtTheSplitsRanksOfUnevenTimes() {
    // Times bunched towards the start (squared uniforms) over an hour, sparse at the end.
    SplittableRandom rng = new SplittableRandom(7);
    long span = 3_600_000_000L;
    long[] times = new long[200_000];
    for (int i = 0; i < times.length; i++) {
      double u = rng.nextDouble();
      times[i] = LO + (long) (u * u * span);
    }
    TimeHistogram h = new TimeHistogram(LO, LO + span);
    Arrays.stream(times).forEach(h::addMicros);
    Timestamp[] cuts = h.cuts(SPLIT);
    assertNotNull(cuts);
    assertEquals(0.70, rank(times, cuts[0]), 1e-4);
    assertEquals(0.85, rank(times, cuts[1]), 1e-4);
  }

  @Test
  void timesBunchedInACutsBucketLeaveTheCutsToSparksQuantiles() {
    long[] times = new long[10_000];
    for (int i = 0; i < times.length; i++) {
      times[i] = i < 5_000 ? LO + i : LO + 1_000_000_000L + i % 3; // the second half within 3 us
    }
    TimeHistogram h = new TimeHistogram(LO, LO + 2_000_000_000L);
    Arrays.stream(times).forEach(h::addMicros);
    assertNull(h.cuts(SPLIT), "a cut's bucket holds a third of the rows: too coarse");
    assertNull(new TimeHistogram(LO, LO + 10).cuts(SPLIT), "no rows");
  }

  @Test
  void tasksCountsAddUpOnTheDriverAsOneHistogramWould() {
    SparkSession spark = SparkTestSession.get();
    SplittableRandom rng = new SplittableRandom(11);
    long span = 86_400_000_000L;
    List<Row> rows = new ArrayList<>();
    TimeHistogram local = new TimeHistogram(LO, LO + span);
    for (int i = 0; i < 50_000; i++) {
      long t = LO + (long) (rng.nextDouble() * span);
      local.addMicros(t);
      rows.add(RowFactory.create(SlidingWindows.micros(t), (double) i));
    }
    StructType schema = new StructType().add("ts", DataTypes.TimestampType).add("v", DataTypes.DoubleType);
    Dataset<Row> data = spark.createDataFrame(rows, schema).repartition(5);
    TimeHistogram h = TimeHistogram.register(spark, LO, LO + span);
    assertEquals(50_000, h.wrap(data, "ts").count());
    assertEquals(Arrays.stream(local.value()).boxed().toList(), Arrays.stream(h.value()).boxed().toList());
    assertEquals(Arrays.asList(local.cuts(SPLIT)), Arrays.asList(h.cuts(SPLIT)));
  }
}

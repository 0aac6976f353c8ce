package org.seqml.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.ticks.TickFeatures;
import org.seqml.util.Schemas;

/**
 * Windows over data shuffled across many partitions (and two "files" per key): every feature value
 * encodes (key, position), so a window that mixes keys, skips or repeats an event is visible.
 */
class SlidingWindowsTest {
  static final int W = 5;
  static final int S = 3;
  static final int H = 2;
  static final Map<String, Integer> SIZES = Map.of("A", 50, "B", 7, "C", 101, "D", 4, "E", 5);
  static final List<String> COLUMNS = List.of("ret", "spread");
  static List<Row> windows;

  @BeforeAll
  static void windowShuffledData() {
    SparkSession spark = SparkTestSession.get();
    List<Row> first = new ArrayList<>();
    List<Row> second = new ArrayList<>();
    List<String> keys = new ArrayList<>(SIZES.keySet());
    Collections.sort(keys);
    for (int k = 0; k < keys.size(); k++) {
      for (int pos = 0; pos < SIZES.get(keys.get(k)); pos++) {
        // Same timestamp for pairs of rows: order must fall back to seq.
        Timestamp ts = new Timestamp(1_700_000_000_000L + (pos / 2) * 1000L);
        Row row = RowFactory.create(keys.get(k), ts, (long) pos, code(k, pos), -code(k, pos), 0.0, 0.0);
        (pos % 2 == 1 ? first : second).add(row); // later events in the earlier "file"
      }
    }
    Collections.shuffle(first, new Random(1));
    Collections.shuffle(second, new Random(2));
    Dataset<Row> rows = spark.createDataFrame(first, TickFeatures.SCHEMA).repartition(7)
        .union(spark.createDataFrame(second, TickFeatures.SCHEMA).repartition(6));
    assertEquals(13, rows.rdd().getNumPartitions());
    windows = SlidingWindows.apply(rows, COLUMNS, new SeqmlConfig.Window(W, S, H),
        new SeqmlConfig.Split(0.6, 0.2)).collectAsList();
  }

  static double code(int key, int pos) {
    return key * 1000 + pos;
  }

  /** Steps read back from Parquet are nullable: a step without a value is named, not read as 0. */
  @Test
  void aStepWithoutAValueIsAClearError() {
    org.apache.spark.sql.types.StructType nullable = Schemas.nullable(TickFeatures.SCHEMA);
    List<Row> rows = new ArrayList<>();
    for (int pos = 0; pos < 8; pos++) {
      rows.add(RowFactory.create("Z", new Timestamp(1_700_000_000_000L + pos * 1000L), (long) pos,
          pos == 5 ? null : 1.0, 2.0, 0.0, 0.0));
    }
    Dataset<Row> steps = SparkTestSession.get().createDataFrame(rows, nullable);
    org.apache.spark.SparkException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.apache.spark.SparkException.class, () -> SlidingWindows.apply(steps, COLUMNS,
            new SeqmlConfig.Window(W, S, H), new SeqmlConfig.Split(0.6, 0.2)).collectAsList());
    assertTrue(String.valueOf(e.getMessage()).contains("step Z/5 has no ret"), e.getMessage());
  }

  /**
   * One step per second, cuts at steps 60 and 80: by targets, a window's split is where its targets lie,
   * its inputs may precede it; by window, where all its rows lie.
   */
  @Test
  void byTargetsAWindowBelongsWhereItsTargetsLie() {
    List<Row> rows = new ArrayList<>();
    for (int pos = 0; pos < 100; pos++) {
      rows.add(RowFactory.create("K", new Timestamp(1_700_000_000_000L + pos * 1000L), (long) pos, 1.0, 2.0, 0.0,
          0.0));
    }
    Dataset<Row> steps = SparkTestSession.get().createDataFrame(rows, TickFeatures.SCHEMA);
    Timestamp[] cuts = {new Timestamp(1_700_000_000_000L + 60_000L), new Timestamp(1_700_000_000_000L + 80_000L)};
    SeqmlConfig.Window window = new SeqmlConfig.Window(W, 1, H);
    for (boolean byTargets : new boolean[] {false, true}) {
      for (Row w : SlidingWindows.of(steps, COLUMNS, window, cuts, byTargets).collectAsList()) {
        long end = w.getLong(3);
        long last = Math.min(end + H, 99);
        long from = byTargets ? Math.min(end + 1, last) : end - W + 1;
        String expected = last < 60 ? "train" : from >= 60 && last < 80 ? "validation" : from >= 80 ? "test" : "gap";
        assertEquals(expected, w.getString(8), "window ending at " + end + (byTargets ? " by targets" : ""));
        List<Timestamp> targetTimes = new ArrayList<>();
        for (long step = end + 1; step <= last; step++) {
          targetTimes.add(new Timestamp(1_700_000_000_000L + step * 1000L));
        }
        assertEquals(targetTimes, w.getList(9), "the known targets' times");
      }
    }
  }

  @Test
  void schemaIsTheDeclaredOne() {
    Dataset<Row> empty = SparkTestSession.get().createDataFrame(List.of(), TickFeatures.SCHEMA);
    Dataset<Row> out = SlidingWindows.apply(empty, COLUMNS, new SeqmlConfig.Window(W, S, H),
        new SeqmlConfig.Split(0.6, 0.2));
    assertEquals(Schemas.shape(SlidingWindows.SCHEMA), Schemas.shape(out.schema()));
  }

  @Test
  void exactCountPerKey() {
    Map<String, Integer> counts = new HashMap<>();
    windows.forEach(w -> counts.merge(w.getString(0), 1, Integer::sum));
    SIZES.forEach((key, n) -> {
      int expected = n < W ? 0 : (n - W) / S + 1;
      assertEquals(expected, counts.getOrDefault(key, 0), "windows of key " + key + " with " + n + " rows");
    });
  }

  @Test
  void eachWindowIsOneKeyConsecutiveAndStridesExactly() {
    Map<String, List<Long>> ends = new HashMap<>();
    List<String> keys = new ArrayList<>(SIZES.keySet());
    Collections.sort(keys);
    for (Row w : windows) {
      String key = w.getString(0);
      int k = keys.indexOf(key);
      long end = w.getLong(3);
      List<Float> x = w.getList(4);
      assertEquals(W * COLUMNS.size(), x.size());
      for (int t = 0; t < W; t++) {
        long pos = end - (W - 1) + t;
        assertEquals((float) code(k, (int) pos), x.get(t * 2), "key " + key + " end " + end + " step " + t);
        assertEquals((float) -code(k, (int) pos), x.get(t * 2 + 1), "second feature follows the first");
      }
      List<Float> y = w.getList(5);
      int n = SIZES.get(key);
      int known = 0;
      for (int h = 1; h <= H; h++) {
        if (end + h < n) {
          assertEquals((float) code(k, (int) (end + h)), y.get(h - 1));
          known++;
        } else {
          assertTrue(Float.isNaN(y.get(h - 1)), "target beyond the data is NaN");
        }
      }
      assertEquals(known, w.getInt(6));
      ends.computeIfAbsent(key, x2 -> new ArrayList<>()).add(end);
    }
    ends.forEach((key, list) -> {
      Collections.sort(list);
      assertEquals(W - 1, list.get(0), "first window of " + key + " ends at W-1");
      for (int i = 1; i < list.size(); i++) {
        assertEquals(S, list.get(i) - list.get(i - 1), "stride between windows of " + key);
      }
      assertTrue(list.get(list.size() - 1) + S > SIZES.get(key) - 1, "no window left out at the end of " + key);
    });
  }

  @Test
  void splitsAreTimeOrderedAcrossKeysAndNeverLeak() {
    java.util.Map<String, long[]> span = new java.util.HashMap<>(); // split -> {earliest start, latest end}
    for (Row w : windows) {
      String split = w.getString(w.fieldIndex("split"));
      long start = w.getTimestamp(w.fieldIndex("window_start_ts")).getTime();
      long end = w.getTimestamp(w.fieldIndex("target_end_ts")).getTime();
      assertTrue(end >= w.getTimestamp(w.fieldIndex("window_end_ts")).getTime());
      span.merge(split, new long[] {start, end}, (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    assertTrue(span.get("train")[1] < span.get("validation")[0], "train ends before validation starts, all keys");
    assertTrue(span.get("validation")[1] < span.get("test")[0], "validation ends before test starts, all keys");
    assertTrue(span.containsKey("gap"), "windows straddling a cut are set aside");
  }
}

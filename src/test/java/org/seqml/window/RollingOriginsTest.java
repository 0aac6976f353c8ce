package org.seqml.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.ticks.TickFeatures;

/** Rolling-origin folds over hourly windows of two keys of different lengths. */
class RollingOriginsTest {
  static final int H = 3;
  static final long HOUR = 3_600_000L;
  static Dataset<Row> windows;
  static RollingOrigins origins;

  @BeforeAll
  static void fold() {
    List<Row> rows = new ArrayList<>();
    for (String key : List.of("a", "b")) {
      int n = key.equals("a") ? 200 : 150;
      for (int pos = 0; pos < n; pos++) {
        Timestamp ts = new Timestamp(1_700_000_000_000L + (pos + (key.equals("b") ? 50 : 0)) * HOUR);
        rows.add(RowFactory.create(key, ts, (long) pos, (double) pos, 0.0, 0.0, 0.0));
      }
    }
    windows = SlidingWindows.apply(SparkTestSession.get().createDataFrame(rows, TickFeatures.SCHEMA).repartition(3),
        List.of("ret"), new SeqmlConfig.Window(8, 1, H), new SeqmlConfig.Split(0.6, 0.2)).cache();
    origins = RollingOrigins.of(windows, 4, H);
  }

  @Test
  void noFoldTrainsOrValidatesOnAnythingAtOrAfterItsOrigin() {
    for (int i = 0; i < origins.folds(); i++) {
      Dataset<Row> fold = origins.fold(windows, i);
      long late = fold.filter("split IN ('train', 'validation')")
          .filter(fold.col("target_end_ts").geq(org.apache.spark.sql.functions.lit(origins.origin(i)))).count();
      assertEquals(0, late, "fold " + i);
      // training windows end before the validation span, whose windows lie wholly in it
      Column validationStart = org.apache.spark.sql.functions.lit(origins.validationStart(i));
      assertEquals(0, fold.filter("split = 'train'").filter(fold.col("target_end_ts").geq(validationStart)).count());
      assertEquals(0, fold.filter("split = 'validation'").filter(fold.col("window_start_ts").lt(validationStart))
          .count());
      assertTrue(fold.filter("split = 'train'").count() > 0, "fold " + i + " has training windows");
      assertTrue(fold.filter("split = 'validation'").count() > 0, "fold " + i + " has validation windows");
      // later folds train on more
      if (i > 0) {
        assertTrue(fold.filter("split = 'train'").count() > origins.fold(windows, i - 1).filter("split = 'train'")
            .count());
      }
    }
  }

  @Test
  void theFoldsTestEveryCompleteWindowOfTheTestPeriodOnceInTimeOrder() {
    long complete = windows.filter("n_known = " + H).filter(windows.col("window_end_ts")
        .geq(org.apache.spark.sql.functions.lit(origins.origin(0)))).count();
    long tested = 0;
    for (int i = 0; i < origins.folds(); i++) {
      assertTrue(origins.origin(i).before(origins.until(i)));
      Dataset<Row> test = origins.fold(windows, i).filter("split = 'test'");
      assertEquals(0, test.filter(test.col("window_end_ts").lt(org.apache.spark.sql.functions.lit(origins.origin(i)))
          .or(test.col("window_end_ts").geq(org.apache.spark.sql.functions.lit(origins.until(i))))).count());
      assertEquals(0, test.filter("n_known < " + H).count(), "incomplete windows are never tested");
      tested += test.count();
    }
    assertEquals(complete, tested);
    // the first origin is where the run's own test forecasts start
    Row first = windows.filter("split = 'test'").agg(org.apache.spark.sql.functions.min("window_end_ts")).first();
    assertEquals(first.getTimestamp(0), origins.origin(0));
  }

  @Test
  void aSetWithoutTestWindowsIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RollingOrigins.of(windows.filter("split <> 'test'"), 2, H));
    assertFalse(e.getMessage().isBlank());
  }
}

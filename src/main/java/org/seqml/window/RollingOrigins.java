package org.seqml.window;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Rolling-origin folds over forecasting windows (SlidingWindows.SCHEMA). An origin is the moment a forecast
 * is made from: a window's end. The origins step forward evenly from the first test window's end to the
 * last complete window's; fold i re-splits the same windows: test = the windows whose end lies in
 * [origin i, origin i+1), validation = those lying wholly in the validation span (as long as the run's
 * own) before origin i, train = those whose targets all lie before that span, gap = the rest. So a fold's model never sees a value at or after its
 * origin, while its forecasts read the history up to each window's end as a forecast made then would.
 */
public record RollingOrigins(Timestamp[] bounds, long validationMicros) {

  /**
   * The folds of {@code windows} as split by the run (its test forecasts start at the first test window's end;
   * the validation span is as long as the run's, from the first validation window's end to it):
   * {@code folds} origins, and the last complete window's end as the closing bound.
   */
  public static RollingOrigins of(Dataset<Row> windows, int folds, int horizon) {
    Row r = windows.agg(
        functions.min(when(col("split").equalTo(SlidingWindows.VALIDATION), col("window_end_ts"))),
        functions.min(when(col("split").equalTo(SlidingWindows.TEST), col("window_end_ts"))),
        functions.max(when(col("n_known").equalTo(horizon), col("window_end_ts")))).first();
    if (r.isNullAt(1) || r.isNullAt(2) || !r.getTimestamp(2).after(r.getTimestamp(1))) {
      throw new org.seqml.util.Refusal("no complete test windows to backtest on: a smaller window.size or "
          + "window.horizon, or a larger test share (1 - split.train - split.validation), is needed");
    }
    long start = SlidingWindows.micros(r.getTimestamp(1));
    long end = SlidingWindows.micros(r.getTimestamp(2));
    long validation = r.isNullAt(0) ? 0 : start - SlidingWindows.micros(r.getTimestamp(0));
    Timestamp[] bounds = new Timestamp[folds + 1];
    for (int i = 0; i < folds; i++) {
      bounds[i] = SlidingWindows.micros(start + Math.round((end - start) * (double) i / folds));
    }
    bounds[folds] = SlidingWindows.micros(end + 1); // the last window's end is inside the last fold
    return new RollingOrigins(bounds, validation);
  }

  public int folds() {
    return bounds.length - 1;
  }

  /** Fold i's origin (0-based): the earliest moment its forecasts are made from. */
  public Timestamp origin(int fold) {
    return bounds[fold];
  }

  /** Where fold i's forecasts end: the next fold's origin (exclusive). */
  public Timestamp until(int fold) {
    return bounds[fold + 1];
  }

  /** Where fold i's validation span starts: windows wholly in [this, origin) validate its model. */
  public Timestamp validationStart(int fold) {
    return SlidingWindows.micros(SlidingWindows.micros(origin(fold)) - validationMicros);
  }

  /** The windows re-split for fold i (0-based): the split column says train, validation, test or gap. */
  public Dataset<Row> fold(Dataset<Row> windows, int fold) {
    Column origin = lit(origin(fold));
    Column validationStart = lit(validationStart(fold));
    Column split = when(col("window_end_ts").geq(origin).and(col("window_end_ts").lt(lit(until(fold)))),
        lit(SlidingWindows.TEST))
        .when(col("target_end_ts").lt(validationStart), lit(SlidingWindows.TRAIN))
        .when(col("window_start_ts").geq(validationStart).and(col("target_end_ts").lt(origin)),
            lit(SlidingWindows.VALIDATION))
        .otherwise(lit(SlidingWindows.GAP));
    return windows.withColumn("split", split);
  }
}

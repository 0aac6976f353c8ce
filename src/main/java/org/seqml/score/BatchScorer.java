package org.seqml.score;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.seqml.model.Networks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqml.model.ModelArtifact;
import org.seqml.window.WindowTensors;
import org.seqml.util.Batches;
import org.seqml.window.Scaler;

/**
 * Scores windows in batches inside mapPartitions. Output: one row per window and horizon step,
 * prediction and actual in the target's unit (actual null when not yet known). A quantile head's
 * levels are sorted per step before they are written (so they never cross: the rearrangement of
 * Chernozhukov et al., which never worsens the pinball loss) into {@code quantiles}, keyed by level;
 * its median is the prediction.
 */
public final class BatchScorer implements Serializable {
  public static final StructType SCHEMA = new StructType()
      .add("key", DataTypes.StringType, false)
      .add("window_end_ts", DataTypes.TimestampType, false)
      // the window's last position in its key's order: unique per key even when timestamps repeat
      .add("end_pos", DataTypes.LongType, false)
      .add("horizon_step", DataTypes.IntegerType, false)
      .add("prediction", DataTypes.DoubleType, false)
      .add("actual", DataTypes.DoubleType, true)
      .add("split", DataTypes.StringType, false)
      .add("model_id", DataTypes.StringType, false)
      // level ("0.1", "0.5", ...) to forecast; null without a quantile head
      .add("quantiles", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), true)
      // the time of the step forecast; null when it is not in the data yet
      .add("target_ts", DataTypes.TimestampType, true);

  private static final String[] INPUT = {"key", "window_end_ts", "end_pos", "features", "target", "split",
      "target_times"};

  private final Broadcast<byte[]> model;
  private final Scaler scaler;
  private final String modelId;
  private final int features;
  private final int window;
  private final int horizon;
  private final int batchSize;
  private final double[] levels;

  private BatchScorer(Broadcast<byte[]> model, Scaler scaler, String modelId, int features, int window,
      int horizon, int batchSize, double[] levels) {
    this.model = model;
    this.scaler = scaler;
    this.modelId = modelId;
    this.features = features;
    this.window = window;
    this.horizon = horizon;
    this.batchSize = batchSize;
    this.levels = levels.clone();
  }

  /** A scorer for a network in memory (e.g. during training) or an artifact. */
  public static BatchScorer of(JavaSparkContext jsc, byte[] modelZip, Scaler scaler, String modelId,
      int features, int window, int horizon, int batchSize) {
    return of(jsc, modelZip, scaler, modelId, features, window, horizon, batchSize, new double[0]);
  }

  /** With a quantile head of {@code levels} (ascending, with 0.5; empty = a point forecast). */
  public static BatchScorer of(JavaSparkContext jsc, byte[] modelZip, Scaler scaler, String modelId,
      int features, int window, int horizon, int batchSize, double[] levels) {
    return new BatchScorer(jsc.broadcast(modelZip), scaler, modelId, features, window, horizon, batchSize, levels);
  }

  public static BatchScorer of(JavaSparkContext jsc, ModelArtifact artifact, int features, int window,
      int horizon, int batchSize) {
    return of(jsc, artifact, features, window, horizon, batchSize, new double[0]);
  }

  /** For an artifact with a quantile head of {@code levels} (ascending, with 0.5; empty = a point forecast). */
  public static BatchScorer of(JavaSparkContext jsc, ModelArtifact artifact, int features, int window,
      int horizon, int batchSize, double[] levels) {
    return of(jsc, artifact.modelZip(), Scaler.fromJson(artifact.metadata().get("scaler")), artifact.modelId(),
        features, window, horizon, batchSize, levels);
  }

  /** A level as the quantiles map names it: 0.1 -> "0.1". */
  public static String levelName(double level) {
    return java.math.BigDecimal.valueOf(level).stripTrailingZeros().toPlainString();
  }

  /**
   * Windows (SlidingWindows.SCHEMA) to score rows (SCHEMA). Through Spark's internal rows both ways: a
   * window's arrays come out as float[] in one copy each (an external Row boxes every one of the W x F
   * values) and the scores go in without the Row encoder. The bench's scoring ratio at 20,000 windows went
   * from 0.735 to 0.76-0.82; at 100,000 no change was measurable (docs/BENCHMARKS.md).
   * {@code internalCreateDataFrame} is Spark's private[sql] entry for internal rows (public in the
   * bytecode); Spark is pinned to 3.5 here.
   */
  public Dataset<Row> score(Dataset<Row> windows) {
    Dataset<Row> input = windows.select(INPUT[0], java.util.Arrays.copyOfRange(INPUT, 1, INPUT.length));
    JavaRDD<InternalRow> scored = input.queryExecution().toRdd().toJavaRDD().mapPartitions(this::scorePartition);
    return windows.sparkSession().internalCreateDataFrame(scored.rdd(), SCHEMA, false);
  }

  public void release() {
    model.destroy();
  }

  /** Lazy: restores the network once per partition and holds one batch of output at a time. */
  private Iterator<InternalRow> scorePartition(Iterator<InternalRow> rows) {
    if (!rows.hasNext()) {
      return java.util.Collections.emptyIterator();
    }
    ComputationGraph net = Networks.restoreForTask(model.value());
    WindowTensors tensors = new WindowTensors(scaler, features, window, horizon, Math.max(1, levels.length));
    UTF8String id = UTF8String.fromString(modelId);
    Iterator<Window> windows = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Window next() {
        Window w = Window.of(rows.next());
        if (w.target().length != horizon) {
          throw new IllegalArgumentException("window " + w.key() + "/" + w.endPos() + " has " + w.target().length
              + " targets, expected horizon " + horizon);
        }
        return w;
      }
    };
    return Batches.flatMap(windows, batchSize, batch -> Networks.withOutput(net,
        tensors.features(batch.stream().map(Window::features).toList()), predictions -> toScores(batch, predictions, id)));
  }

  /**
   * The columns of one window that scoring reads, copied out of Spark's row (the scan reuses it):
   * the end time in microseconds, as Spark keeps timestamps.
   */
  private record Window(UTF8String key, long endMicros, long endPos, float[] features, float[] target,
      UTF8String split, long[] targetTimes) {
    static Window of(InternalRow r) {
      for (int i = 0; i < INPUT.length; i++) {
        if (r.isNullAt(i)) { // a windows table read from Parquet has nullable columns
          throw new IllegalArgumentException("window " + (r.isNullAt(0) ? "?" : r.getUTF8String(0)) + "/"
              + (r.isNullAt(2) ? "?" : r.getLong(2)) + " has no " + INPUT[i]);
        }
      }
      return new Window(r.getUTF8String(0).clone(), r.getLong(1), r.getLong(2), r.getArray(3).toFloatArray(),
          r.getArray(4).toFloatArray(), r.getUTF8String(5).clone(), r.getArray(6).toLongArray());
    }
  }

  private List<InternalRow> toScores(List<Window> batch, INDArray predictions, UTF8String id) {
    float[] scaled = predictions.reshape(predictions.length()).toFloatVector(); // [batch, H x Q], row-major
    int q = Math.max(1, levels.length);
    int median = java.util.Arrays.binarySearch(levels, 0.5);
    org.apache.spark.sql.catalyst.util.ArrayData names = levelNames();
    List<InternalRow> out = new ArrayList<>(batch.size() * horizon);
    for (int i = 0; i < batch.size(); i++) {
      Window w = batch.get(i);
      for (int k = 0; k < horizon; k++) {
        float actual = w.target()[k];
        double prediction;
        Object quantiles = null;
        if (levels.length == 0) {
          prediction = scaler.unscaleTarget(scaled[i * horizon + k]);
        } else {
          double[] values = new double[q];
          for (int j = 0; j < q; j++) {
            values[j] = scaler.unscaleTarget(scaled[(i * horizon + k) * q + j]);
          }
          java.util.Arrays.sort(values); // non-crossing
          prediction = values[median];
          quantiles = new org.apache.spark.sql.catalyst.util.ArrayBasedMapData(names,
              org.apache.spark.sql.catalyst.expressions.UnsafeArrayData.fromPrimitiveArray(values));
        }
        out.add(new GenericInternalRow(new Object[] {w.key(), w.endMicros(), w.endPos(), k + 1, prediction,
            Float.isNaN(actual) ? null : (double) actual, w.split(), id, quantiles,
            k < w.targetTimes().length ? w.targetTimes()[k] : null}));
      }
    }
    return out;
  }

  private org.apache.spark.sql.catalyst.util.ArrayData levelNames() {
    Object[] names = new Object[levels.length];
    for (int j = 0; j < levels.length; j++) {
      names[j] = UTF8String.fromString(levelName(levels[j]));
    }
    return new org.apache.spark.sql.catalyst.util.GenericArrayData(names);
  }
}

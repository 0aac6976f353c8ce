package org.seqml.score;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.seqml.model.Networks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqml.model.ModelArtifact;
import org.seqml.model.WindowTensors;
import org.seqml.util.Batches;
import org.seqml.window.Scaler;

/**
 * Scores windows in batches inside mapPartitions. Output: one row per window and horizon step,
 * prediction and actual in the target's unit (actual null when not yet known).
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
      .add("model_id", DataTypes.StringType, false);

  private final Broadcast<byte[]> model;
  private final Scaler scaler;
  private final String modelId;
  private final int features;
  private final int window;
  private final int horizon;
  private final int batchSize;

  private BatchScorer(Broadcast<byte[]> model, Scaler scaler, String modelId, int features, int window,
      int horizon, int batchSize) {
    this.model = model;
    this.scaler = scaler;
    this.modelId = modelId;
    this.features = features;
    this.window = window;
    this.horizon = horizon;
    this.batchSize = batchSize;
  }

  /** A scorer for a network in memory (e.g. during training) or an artifact. */
  public static BatchScorer of(JavaSparkContext jsc, byte[] modelZip, Scaler scaler, String modelId,
      int features, int window, int horizon, int batchSize) {
    return new BatchScorer(jsc.broadcast(modelZip), scaler, modelId, features, window, horizon, batchSize);
  }

  public static BatchScorer of(JavaSparkContext jsc, ModelArtifact artifact, int features, int window,
      int horizon, int batchSize) {
    return of(jsc, artifact.modelZip(), artifact.scaler(), artifact.modelId(), features, window, horizon,
        batchSize);
  }

  /** Windows (SlidingWindows.SCHEMA) to score rows (SCHEMA). */
  public Dataset<Row> score(Dataset<Row> windows) {
    Dataset<Row> input = windows.select("key", "window_end_ts", "end_pos", "features", "target", "split");
    return windows.sparkSession().createDataFrame(input.javaRDD().mapPartitions(this::scorePartition), SCHEMA);
  }

  public void release() {
    model.destroy();
  }

  /** Lazy: restores the network once per partition and holds one batch of output at a time. */
  private Iterator<Row> scorePartition(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return rows;
    }
    ComputationGraph net = Networks.restoreForTask(model.value());
    WindowTensors tensors = new WindowTensors(scaler, features, window, horizon);
    return Batches.flatMap(rows, batchSize,
        batch -> Networks.withOutput(net, tensors.features(batch, 3), predictions -> toScores(batch, predictions)));
  }

  private List<Row> toScores(List<Row> batch, INDArray predictions) {
    List<Row> out = new ArrayList<>(batch.size() * horizon);
    for (int i = 0; i < batch.size(); i++) {
      Row r = batch.get(i);
      List<Float> target = r.getList(4);
      for (int k = 0; k < horizon; k++) {
        double prediction = scaler.unscaleTarget(predictions.getDouble(i, k));
        float actual = target.get(k);
        out.add(RowFactory.create(r.getString(0), r.getTimestamp(1), r.getLong(2), k + 1, prediction,
            Float.isNaN(actual) ? null : (double) actual, r.getString(5), modelId));
      }
    }
    return out;
  }
}

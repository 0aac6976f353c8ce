package org.seqml.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.seqml.model.Networks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqml.window.EventTensors;
import org.seqml.model.ModelArtifact;
import org.seqml.util.Batches;
import org.seqml.util.Schemas;
import org.seqml.window.Vocabulary;

/**
 * Session anomaly scoring after DeepLog (Du et al., CCS 2017), broadcast-free: an event is a miss
 * when it was never seen in training, or (from the second event on) when it is not among the
 * model's top-g predictions given the h events before it. A session is anomalous when it has a miss;
 * its score is the largest negative log-likelihood of its events (from the second on).
 */
public final class NextEventScorer implements Serializable {
  public static final StructType EVENT_SCORES = new StructType()
      .add("session_id", DataTypes.StringType, false)
      .add("pos", DataTypes.IntegerType, false)
      .add("unknown", DataTypes.BooleanType, false)
      .add("rank", DataTypes.IntegerType, true)
      .add("nll", DataTypes.DoubleType, true)
      .add("miss", DataTypes.BooleanType, false)
      .add("split", DataTypes.StringType, false);

  public static final StructType SESSION_SCORES = new StructType()
      .add("session_id", DataTypes.StringType, false)
      .add("n_events", DataTypes.IntegerType, false)
      .add("n_misses", DataTypes.IntegerType, false)
      .add("n_unseen", DataTypes.IntegerType, false)
      .add("first_anomaly_pos", DataTypes.IntegerType, true)
      .add("anomaly_score", DataTypes.DoubleType, false)
      .add("is_anomaly", DataTypes.BooleanType, false)
      .add("split", DataTypes.StringType, false)
      .add("model_id", DataTypes.StringType, false);

  private final Broadcast<byte[]> model;
  private final Vocabulary vocabulary;
  private final String modelId;
  private final int history;
  private final int topG;
  private final int batchSize;

  public NextEventScorer(JavaSparkContext jsc, ModelArtifact artifact, Vocabulary vocabulary, int history, int topG,
      int batchSize) {
    this.model = jsc.broadcast(artifact.modelZip());
    this.vocabulary = vocabulary;
    this.modelId = artifact.modelId();
    this.history = history;
    this.topG = topG;
    this.batchSize = batchSize;
  }

  /** Windows (SessionWindows.WINDOWS) to one row per event (EVENT_SCORES). */
  public Dataset<Row> scoreEvents(Dataset<Row> windows) {
    Dataset<Row> input = windows.select("session_id", "pos", "history", "next", "predict", "split");
    return windows.sparkSession().createDataFrame(input.javaRDD().mapPartitions(this::scorePartition), EVENT_SCORES);
  }

  /**
   * Event scores to one row per session (SESSION_SCORES). With a {@code threshold} (not null) a
   * session is anomalous when it has an unseen event or its anomaly score exceeds the threshold;
   * without, when it has a miss (DeepLog's top-g rule).
   */
  public Dataset<Row> scoreSessions(Dataset<Row> eventScores, Double threshold) {
    Dataset<Row> sessions = eventScores.groupBy("session_id", "split").agg(
            functions.count(lit(1)).cast("int").as("n_events"),
            functions.sum(when(col("miss"), 1).otherwise(0)).cast("int").as("n_misses"),
            functions.sum(when(col("unknown"), 1).otherwise(0)).cast("int").as("n_unseen"),
            functions.min(when(col("miss"), col("pos"))).as("first_anomaly_pos"),
            functions.coalesce(functions.max("nll"), lit(0.0)).as("anomaly_score"));
    Dataset<Row> out = (threshold == null
        ? sessions.withColumn("is_anomaly", col("n_misses").gt(0))
        : sessions.withColumn("is_anomaly", col("n_unseen").gt(0).or(col("anomaly_score").gt(threshold))))
        .withColumn("model_id", lit(modelId));
    return Schemas.conform(out, SESSION_SCORES);
  }

  /**
   * The anomaly-score threshold that flags about {@code targetFpr} of the normal sessions in
   * {@code sessionScores} (fit it on validation sessions, never on test).
   */
  public static double fitThreshold(Dataset<Row> sessionScores, double targetFpr) {
    double[] q = sessionScores.stat().approxQuantile("anomaly_score", new double[] {1 - targetFpr}, 1e-4);
    if (q.length == 0) {
      throw new IllegalStateException("no normal validation sessions to fit detect.rule = threshold on");
    }
    return q[0];
  }

  public void release() {
    model.destroy();
  }

  private Iterator<Row> scorePartition(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return rows;
    }
    ComputationGraph net = Networks.restoreForTask(model.value());
    EventTensors tensors = new EventTensors(vocabulary, history);
    return Batches.flatMap(rows, batchSize,
        batch -> Networks.withOutput(net, tensors.features(batch, 2), probabilities -> score(batch, probabilities)));
  }

  private List<Row> score(List<Row> batch, INDArray probabilities) {
    List<Row> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Row r = batch.get(i);
      Verdict v = verdict(probabilities.getRow(i).toDoubleVector(), vocabulary, r.getString(3), r.getBoolean(4), topG);
      out.add(RowFactory.create(r.getString(0), r.getInt(1), v.unknown(), v.rank(), v.nll(), v.miss(),
          r.getString(5)));
    }
    return out;
  }

  /** How one event fares: never seen in training, its rank among the predictions, its NLL, and a miss. */
  public record Verdict(boolean unknown, Integer rank, Double nll, boolean miss) {}

  /**
   * The DeepLog rule for one event: with {@code predicted} = false (the first event of a session)
   * only an unseen event is a miss; otherwise a miss is an unseen event or one that more than
   * {@code topG - 1} other classes outrank.
   */
  public static Verdict verdict(double[] probabilities, Vocabulary vocabulary, String next, boolean predicted,
      int topG) {
    boolean unknown = !vocabulary.known(next);
    if (!predicted) {
      return new Verdict(unknown, null, null, unknown);
    }
    int actual = vocabulary.indexOf(next);
    double p = probabilities[actual];
    int higher = 0;
    for (int c = 0; c < probabilities.length; c++) {
      if (c != actual && probabilities[c] > p) {
        higher++;
      }
    }
    return new Verdict(unknown, higher, -Math.log(Math.max(p, 1e-12)), unknown || higher >= topG);
  }
}

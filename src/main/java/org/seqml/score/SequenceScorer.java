package org.seqml.score;

import static org.apache.spark.sql.functions.col;

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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.seqml.model.ModelArtifact;
import org.seqml.model.Networks;
import org.seqml.window.SequenceTensors;
import org.seqml.util.Batches;
import scala.Tuple2;

/**
 * Scores sequence windows with the published model (broadcast as bytes, restored once per
 * partition), then aggregates them per sequence. Classify: the class probabilities of a sequence
 * are the mean over its windows; the per-window ones are kept in WINDOW_SCORES. Next-token: each
 * window's negative log-likelihood of its token, summed per sequence into bits per token and
 * perplexity.
 */
public final class SequenceScorer implements java.io.Serializable {
  public static final StructType WINDOW_SCORES = new StructType()
      .add("sequence_id", DataTypes.StringType, false)
      .add("window", DataTypes.IntegerType, false)
      .add("start", DataTypes.IntegerType, false)
      .add("tokens", DataTypes.IntegerType, false)
      .add("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false), true)
      .add("nll", DataTypes.DoubleType, true)
      .add("split", DataTypes.StringType, false)
      .add("model_id", DataTypes.StringType, false);

  public static final StructType CLASS_SCORES = new StructType()
      .add("sequence_id", DataTypes.StringType, false)
      .add("length", DataTypes.IntegerType, false)
      .add("label", DataTypes.StringType, true)
      .add("predicted", DataTypes.StringType, false)
      .add("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("windows", DataTypes.IntegerType, false)
      .add("split", DataTypes.StringType, false)
      .add("model_id", DataTypes.StringType, false);

  public static final StructType TOKEN_SCORES = new StructType()
      .add("sequence_id", DataTypes.StringType, false)
      .add("length", DataTypes.IntegerType, false)
      .add("tokens", DataTypes.IntegerType, false)
      .add("nll", DataTypes.DoubleType, false)
      .add("bits_per_token", DataTypes.DoubleType, false)
      .add("perplexity", DataTypes.DoubleType, false)
      .add("split", DataTypes.StringType, false)
      .add("model_id", DataTypes.StringType, false);

  private final Broadcast<byte[]> model;
  private final String modelId;
  private final SequenceTensors tensors;
  private final boolean nextToken;
  private final List<String> classes;
  private final int batchSize;

  public SequenceScorer(JavaSparkContext jsc, ModelArtifact artifact, SequenceTensors tensors, boolean nextToken,
      List<String> classes, int batchSize) {
    this.model = jsc.broadcast(artifact.modelZip());
    this.modelId = artifact.modelId();
    this.tensors = tensors;
    this.nextToken = nextToken;
    this.classes = List.copyOf(classes);
    this.batchSize = batchSize;
  }

  public void release() {
    model.destroy();
  }

  /** SequenceWindows rows to WINDOW_SCORES. */
  public Dataset<Row> scoreWindows(Dataset<Row> windows) {
    Dataset<Row> w = windows.select("sequence_id", "window", "start", "tokens", "segment", "label", "split");
    return w.sparkSession().createDataFrame(w.javaRDD().mapPartitions(this::scorePartition), WINDOW_SCORES);
  }

  private Iterator<Row> scorePartition(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return rows;
    }
    ComputationGraph net = Networks.restoreForTask(model.value());
    return Batches.flatMap(rows, batchSize, batch -> {
      DataSet ds = tensors.dataSet(batch, 4, 5);
      INDArray out = Networks.output(net, ds);
      List<Row> scored = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        Row r = batch.get(i);
        float[] p = out.getRow(i).toFloatVector();
        Double nll = null;
        if (nextToken) {
          double likelihood = out.getRow(i).mul(ds.getLabels().getRow(i)).sumNumber().doubleValue();
          nll = -Math.log(Math.max(likelihood, 1e-12));
          p = null; // a softmax over every token per window is not worth storing
        }
        scored.add(RowFactory.create(r.getString(0), r.getInt(1), r.getInt(2), r.getInt(3), p, nll, r.getString(6),
            modelId));
      }
      Networks.close(ds);
      Networks.close(out);
      return scored;
    });
  }

  /** WINDOW_SCORES to CLASS_SCORES or TOKEN_SCORES, one row per sequence of {@code sequences}. */
  public Dataset<Row> perSequence(Dataset<Row> windowScores, Dataset<Row> sequences) {
    Dataset<Row> meta = sequences.select("sequence_id", "length", "label", "split");
    var byId = meta.javaRDD().mapToPair(r -> new Tuple2<>(r.getString(0), r));
    if (nextToken) {
      var sums = windowScores.select("sequence_id", "nll").javaRDD()
          .mapToPair(r -> new Tuple2<>(r.getString(0), new double[] {r.getDouble(1), 1}))
          .reduceByKey((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
      String id = modelId;
      return windowScores.sparkSession().createDataFrame(sums.join(byId).map(t -> {
        double nll = t._2()._1()[0];
        int tokens = (int) t._2()._1()[1];
        Row s = t._2()._2();
        double bits = nll / tokens / Math.log(2);
        return RowFactory.create(t._1(), s.getInt(1), tokens, nll, bits, Math.pow(2, bits), s.getString(3), id);
      }), TOKEN_SCORES);
    }
    var sums = windowScores.select("sequence_id", "probabilities").javaRDD()
        .mapToPair(r -> {
          List<Float> p = r.getList(1);
          double[] acc = new double[p.size() + 1];
          for (int c = 0; c < p.size(); c++) {
            acc[c] = p.get(c);
          }
          acc[p.size()] = 1;
          return new Tuple2<>(r.getString(0), acc);
        })
        .reduceByKey((a, b) -> {
          double[] s = a.clone();
          for (int i = 0; i < s.length; i++) {
            s[i] += b[i];
          }
          return s;
        });
    List<String> names = classes;
    String id = modelId;
    return windowScores.sparkSession().createDataFrame(sums.join(byId).map(t -> {
      double[] acc = t._2()._1();
      int windows = (int) acc[acc.length - 1];
      float[] p = new float[acc.length - 1];
      int best = 0;
      for (int c = 0; c < p.length; c++) {
        p[c] = (float) (acc[c] / windows);
        if (p[c] > p[best]) {
          best = c;
        }
      }
      Row s = t._2()._2();
      return RowFactory.create(t._1(), s.getInt(1), s.getString(2), names.get(best), p, windows, s.getString(3), id);
    }), CLASS_SCORES);
  }

  /** Test rows only, for evaluation. */
  public static Dataset<Row> test(Dataset<Row> scores) {
    return scores.filter(col("split").equalTo("test"));
  }
}

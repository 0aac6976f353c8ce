package org.seqml.eval;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.functions;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.seqml.io.Json;
import scala.Tuple2;

/**
 * Test-split metrics of sequence classification beside two baselines: the training majority class,
 * and logistic regression on k-mer counts of the whole sequence (Spark MLlib). Binary tasks also
 * get sensitivity (recall of the positive class), specificity and ROC AUC of the positive class's
 * probability. MCC is Matthews' correlation (Gorodkin's R_K for more than two classes), the
 * "correlation coefficient" of the promoter literature.
 */
public final class ClassificationEvaluator {
  private ClassificationEvaluator() {}

  /**
   * @param scores SequenceScorer.CLASS_SCORES rows of the test split
   * @param sequences the sequences with their split (for the baselines)
   */
  public static ObjectNode evaluate(Dataset<Row> scores, Dataset<Row> sequences, List<String> classes, String positive,
      int baselineK) {
    ObjectNode out = Json.object();
    out.put("sequences", scores.count());
    out.putArray("classes").addAll(classes.stream().map(c -> Json.MAPPER.getNodeFactory().textNode(c)).toList());
    if (positive != null) {
      out.put("positive_class", positive);
    }
    int positiveIndex = positive == null ? -1 : classes.indexOf(positive);
    long[][] confusion = confusion(scores.select("label", "predicted"), classes);
    ObjectNode model = summary(confusion, positiveIndex);
    if (positiveIndex >= 0) {
      model.put("roc_auc", new BinaryClassificationMetrics(DecisionThreshold.scored(scores, positive, positiveIndex)
          .rdd()).areaUnderROC());
    }
    out.set("model", model);

    ObjectNode baselines = out.putObject("baselines");
    Dataset<Row> train = sequences.filter(col("split").equalTo("train"));
    Dataset<Row> test = sequences.filter(col("split").equalTo("test"));
    Row top = train.groupBy("label").count().orderBy(col("count").desc(), col("label")).first();
    String majority = top.getString(0);
    ObjectNode majorityNode = summary(confusion(test.select(col("label"),
        org.apache.spark.sql.functions.lit(majority).as("predicted")), classes), positiveIndex);
    majorityNode.put("predicts", majority);
    if (positiveIndex >= 0) {
      majorityNode.put("roc_auc", 0.5);
    }
    baselines.set("majority_class", majorityNode);
    baselines.set("kmer_logistic_regression", kmerLogistic(train, test, classes, positive, positiveIndex, baselineK));
    return out;
  }

  private static ObjectNode kmerLogistic(Dataset<Row> train, Dataset<Row> test, List<String> classes, String positive,
      int positiveIndex, int k) {
    org.apache.spark.sql.Column split = org.seqml.window.SequenceWindows.kmers("sequence", k);
    Dataset<Row> trainK = train.withColumn("kmers", split);
    Dataset<Row> testK = test.withColumn("kmers", split);
    StringIndexer labels = new StringIndexer().setInputCol("label").setOutputCol("y")
        .setStringOrderType("alphabetAsc").setHandleInvalid("keep");
    CountVectorizer counts = new CountVectorizer().setInputCol("kmers").setOutputCol("counts");
    LogisticRegression lr = new LogisticRegression().setFeaturesCol("counts").setLabelCol("y")
        .setMaxIter(100).setRegParam(0.01).setElasticNetParam(0.0).setFamily("multinomial");
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {labels, counts, lr}).fit(trainK);
    String[] fittedLabels = ((org.apache.spark.ml.feature.StringIndexerModel) fitted.stages()[0]).labelsArray()[0];
    Dataset<Row> predicted = fitted.transform(testK)
        .withColumn("probs", functions.vector_to_array(col("probability"), "float64"))
        .select(col("label"), col("prediction"), col("probs")).cache();
    Map<Integer, String> byIndex = new HashMap<>();
    for (int i = 0; i < fittedLabels.length; i++) {
      byIndex.put(i, fittedLabels[i]);
    }
    List<Row> rows = predicted.collectAsList();
    long[][] confusion = new long[classes.size()][classes.size()];
    List<Tuple2<Object, Object>> scored = new ArrayList<>();
    int fittedPositive = positive == null ? -1 : java.util.Arrays.asList(fittedLabels).indexOf(positive);
    for (Row r : rows) {
      int actual = classes.indexOf(r.getString(0));
      int guess = classes.indexOf(byIndex.get((int) r.getDouble(1)));
      if (actual >= 0 && guess >= 0) {
        confusion[actual][guess]++;
      }
      if (fittedPositive >= 0) {
        scored.add(new Tuple2<>(r.<Double>getList(2).get(fittedPositive), positive.equals(r.getString(0)) ? 1.0 : 0.0));
      }
    }
    predicted.unpersist();
    ObjectNode node = summary(confusion, positiveIndex);
    node.put("k", k);
    if (positiveIndex >= 0) {
      var jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(train.sparkSession().sparkContext());
      node.put("roc_auc", new BinaryClassificationMetrics(jsc.parallelize(scored).rdd()).areaUnderROC());
    }
    return node;
  }

  /** Rows (label, predicted) to a confusion matrix [actual][predicted] over {@code classes}. */
  static long[][] confusion(Dataset<Row> labelled, List<String> classes) {
    long[][] m = new long[classes.size()][classes.size()];
    for (Row r : labelled.groupBy("label", "predicted").count().collectAsList()) {
      int a = classes.indexOf(r.getString(0));
      int p = classes.indexOf(r.getString(1));
      if (a >= 0 && p >= 0) {
        m[a][p] += r.getLong(2);
      }
    }
    return m;
  }

  /** Accuracy, MCC (R_K) and the matrix; with a positive class also sensitivity and specificity. */
  public static ObjectNode summary(long[][] confusion, int positive) {
    int k = confusion.length;
    double n = 0;
    double correct = 0;
    double[] actual = new double[k];
    double[] predicted = new double[k];
    for (int a = 0; a < k; a++) {
      for (int p = 0; p < k; p++) {
        n += confusion[a][p];
        actual[a] += confusion[a][p];
        predicted[p] += confusion[a][p];
      }
      correct += confusion[a][a];
    }
    double cov = correct * n;
    double sa = n * n;
    double sp = n * n;
    for (int c = 0; c < k; c++) {
      cov -= actual[c] * predicted[c];
      sa -= actual[c] * actual[c];
      sp -= predicted[c] * predicted[c];
    }
    ObjectNode out = Json.object();
    out.put("accuracy", n == 0 ? Double.NaN : correct / n);
    out.put("mcc", sa == 0 || sp == 0 ? 0.0 : cov / Math.sqrt(sa * sp));
    // the whole matrix, rows actual and columns predicted in the order of "classes", for the report
    com.fasterxml.jackson.databind.node.ArrayNode matrix = out.putArray("confusion");
    for (long[] row : confusion) {
      com.fasterxml.jackson.databind.node.ArrayNode r = matrix.addArray();
      for (long v : row) {
        r.add(v);
      }
    }
    if (positive >= 0) {
      double tp = confusion[positive][positive];
      double fn = actual[positive] - tp;
      double fp = predicted[positive] - tp;
      double tn = n - tp - fn - fp;
      out.put("sensitivity", tp + fn == 0 ? Double.NaN : tp / (tp + fn));
      out.put("specificity", tn + fp == 0 ? Double.NaN : tn / (tn + fp));
      out.put("tp", (long) tp);
      out.put("fp", (long) fp);
      out.put("tn", (long) tn);
      out.put("fn", (long) fn);
    }
    return out;
  }
}

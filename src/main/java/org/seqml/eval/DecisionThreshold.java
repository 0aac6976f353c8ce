package org.seqml.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * A binary decision threshold on the positive class's probability, fitted on the validation scores
 * (never the test ones) to maximise MCC or Youden's J (sensitivity + specificity - 1), then applied to
 * the test split beside the argmax decision. Promoter and splice-site papers report at such a tuned
 * cut-off; with unequal classes 0.5 is rarely the best one.
 */
public final class DecisionThreshold {
  public static final List<String> RULES = List.of("mcc", "youden");
  /** Candidate thresholds: Spark's binned curve, so a large validation split is not collected. */
  private static final int BINS = 2000;

  /** The fitted threshold and its figure on the split it was fitted on. */
  public record Fitted(String rule, double threshold, double value) {}

  private DecisionThreshold() {}

  /** (probability of the positive class, 1.0 when positive else 0.0) pairs. */
  public static JavaRDD<Tuple2<Object, Object>> scored(Dataset<Row> scores, String positive, int positiveIndex) {
    return scores.select("probabilities", "label").javaRDD()
        .map(r -> new Tuple2<>((Object) (double) r.<Float>getList(0).get(positiveIndex),
            (Object) (positive.equals(r.getString(1)) ? 1.0 : 0.0)));
  }

  /** The threshold that maximises {@code rule} over {@code scored}; null when a class is missing. */
  public static Fitted fit(JavaRDD<Tuple2<Object, Object>> scored, String rule) {
    long positives = scored.filter(t -> (double) t._2() == 1.0).count();
    long negatives = scored.count() - positives;
    if (positives == 0 || negatives == 0) {
      return null;
    }
    BinaryClassificationMetrics metrics = new BinaryClassificationMetrics(scored.rdd(), BINS);
    List<Tuple2<Object, Object>> recall = metrics.recallByThreshold().toJavaRDD().collect();
    List<Tuple2<Object, Object>> precision = metrics.precisionByThreshold().toJavaRDD().collect();
    metrics.unpersist();
    Fitted best = null;
    for (int i = 0; i < recall.size(); i++) {
      double threshold = (double) recall.get(i)._1();
      double tp = (double) recall.get(i)._2() * positives;
      double p = (double) precision.get(i)._2();
      double fp = p == 0 ? 0 : tp / p - tp;
      double value = value(rule, tp, fp, negatives - fp, positives - tp);
      if (best == null || value > best.value()) {
        best = new Fitted(rule, threshold, value);
      }
    }
    return best;
  }

  static double value(String rule, double tp, double fp, double tn, double fn) {
    if (rule.equals("youden")) {
      return tp / (tp + fn) + tn / (tn + fp) - 1;
    }
    double d = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
    return d == 0 ? 0 : (tp * tn - fp * fn) / d;
  }

  /** Test-split figures (as {@link ClassificationEvaluator#summary}) deciding positive at p >= threshold. */
  public static ObjectNode apply(Dataset<Row> test, List<String> classes, String positive, Fitted fitted) {
    int positiveIndex = classes.indexOf(positive);
    String negative = classes.get(1 - positiveIndex);
    Dataset<Row> decided = test.select(col("label"),
        when(col("probabilities").getItem(positiveIndex).geq(lit(fitted.threshold())), lit(positive))
            .otherwise(lit(negative)).as("predicted"));
    ObjectNode out = ClassificationEvaluator.summary(ClassificationEvaluator.confusion(decided, classes),
        positiveIndex);
    out.put("threshold", fitted.threshold());
    out.put("rule", fitted.rule());
    out.put("fitted_on", "validation");
    out.put("validation_" + fitted.rule(), fitted.value());
    return out;
  }
}

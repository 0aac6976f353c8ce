package org.seqml.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.seqml.io.Json;
import org.seqml.window.SlidingWindows;
import org.seqml.window.Vocabulary;

/**
 * Session-level anomaly metrics on labelled test sessions: precision, recall, F1 and false-positive
 * rate of the model, beside two naive detectors on the same sessions: "an event never seen in
 * training => anomaly" and "session length outside the training range => anomaly".
 */
public final class AnomalyEvaluator {
  private AnomalyEvaluator() {}

  /**
   * @param scores session scores (NextEventScorer.SESSION_SCORES)
   * @param sessions sessions with label and split (SessionWindows.SESSIONS)
   */
  public static ObjectNode evaluate(Dataset<Row> scores, Dataset<Row> sessions, Vocabulary vocabulary) {
    Row range = sessions.filter(col("split").equalTo(SlidingWindows.TRAIN))
        .agg(functions.min("n_events"), functions.max("n_events")).first();
    int shortest = range.getInt(0);
    int longest = range.getInt(1);
    String known = vocabulary.events().stream().map(e -> "'" + e.replace("'", "\\'") + "'")
        .reduce((a, b) -> a + "," + b).orElse("");
    Dataset<Row> test = sessions.filter(col("split").equalTo(SlidingWindows.TEST).and(col("label").isNotNull()))
        .select(col("session_id"), col("label"), col("n_events"),
            expr("exists(events, e -> NOT array_contains(array(" + known + "), e))").as("has_unseen"))
        .join(scores.select("session_id", "is_anomaly"), "session_id")
        .withColumn("too_short_or_long", col("n_events").lt(shortest).or(col("n_events").gt(longest)))
        .cache();
    ObjectNode out = Json.object();
    out.put("split", SlidingWindows.TEST);
    out.put("sessions", test.count());
    out.put("abnormal_sessions", test.filter(col("label").equalTo(1)).count());
    out.put("train_length_min", shortest);
    out.put("train_length_max", longest);
    out.set("model", metrics(test, col("is_anomaly")));
    ObjectNode baselines = out.putObject("baselines");
    baselines.set("unseen_event", metrics(test, col("has_unseen")));
    baselines.set("length_outside_training_range", metrics(test, col("too_short_or_long")));
    test.unpersist();
    return out;
  }

  static ObjectNode metrics(Dataset<Row> test, Column predicted) {
    Column actual = col("label").equalTo(1);
    Row r = test.agg(
        functions.sum(when(predicted.and(actual), 1).otherwise(0)),
        functions.sum(when(predicted.and(functions.not(actual)), 1).otherwise(0)),
        functions.sum(when(functions.not(predicted).and(actual), 1).otherwise(0)),
        functions.sum(when(functions.not(predicted).and(functions.not(actual)), 1).otherwise(0))).first();
    long tp = r.isNullAt(0) ? 0 : r.getLong(0);
    long fp = r.isNullAt(1) ? 0 : r.getLong(1);
    long fn = r.isNullAt(2) ? 0 : r.getLong(2);
    long tn = r.isNullAt(3) ? 0 : r.getLong(3);
    ObjectNode m = Json.object();
    m.put("tp", tp);
    m.put("fp", fp);
    m.put("fn", fn);
    m.put("tn", tn);
    putRatio(m, "precision", tp, tp + fp);
    putRatio(m, "recall", tp, tp + fn);
    putRatio(m, "false_positive_rate", fp, fp + tn);
    double p = tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
    double rc = tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
    if (Double.isNaN(p) || Double.isNaN(rc) || p + rc == 0) {
      m.putNull("f1");
    } else {
      m.put("f1", 2 * p * rc / (p + rc));
    }
    return m;
  }

  private static void putRatio(ObjectNode m, String name, long numerator, long denominator) {
    if (denominator == 0) {
      m.putNull(name);
    } else {
      m.put(name, (double) numerator / denominator);
    }
  }

}

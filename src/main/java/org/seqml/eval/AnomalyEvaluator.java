package org.seqml.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
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
  public static ObjectNode evaluate(Dataset<Row> scores, Dataset<Row> sessions, Vocabulary vocabulary,
      double statedRatio) {
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
    Population population = Population.of(sessions, statedRatio);
    out.set("population", population.toJson());
    out.set("model", population.add(metrics(test, col("is_anomaly"))));
    ObjectNode baselines = out.putObject("baselines");
    baselines.set("unseen_event", population.add(metrics(test, col("has_unseen"))));
    baselines.set("length_outside_training_range", population.add(metrics(test, col("too_short_or_long"))));
    test.unpersist();
    return out;
  }

  /**
   * The ratio of normal to abnormal sessions the figures are restated at (a test mix is often far richer in
   * anomalies than production, which inflates precision): the one stated in config, else the labelled
   * input's own; and normal sessions per day of the input's time span, for expected false alarms per day.
   */
  public record Population(double normalPerAbnormal, String from, Double normalPerDay) {
    public static Population of(Dataset<Row> sessions, double stated) {
      Row r = sessions.filter(col("label").isNotNull()).agg(
          functions.sum(when(col("label").equalTo(0), 1).otherwise(0)),
          functions.sum(when(col("label").equalTo(1), 1).otherwise(0)),
          functions.min("first_ts"), functions.max("first_ts")).first();
      long normal = r.isNullAt(0) ? 0 : r.getLong(0);
      long abnormal = r.isNullAt(1) ? 0 : r.getLong(1);
      Double perDay = null;
      if (!r.isNullAt(2) && !r.isNullAt(3)) {
        double days = (r.getTimestamp(3).getTime() - r.getTimestamp(2).getTime()) / 86_400_000.0;
        perDay = days >= 1.0 / 24 ? normal / days : null; // under an hour of data says nothing per day
      }
      if (stated > 0) {
        return new Population(stated, "detect.population-ratio", perDay);
      }
      return new Population(abnormal == 0 ? Double.NaN : (double) normal / abnormal, "input", perDay);
    }

    ObjectNode toJson() {
      ObjectNode node = Json.object();
      node.put("normal_per_abnormal", normalPerAbnormal);
      node.put("from", from);
      if (normalPerDay != null) {
        node.put("normal_sessions_per_day", normalPerDay);
      }
      return node;
    }

    /** {@code m} with precision and F1 restated at this ratio (recall and false-positive rate do not move). */
    ObjectNode add(ObjectNode m) {
      double tp = m.get("tp").asDouble();
      double fp = m.get("fp").asDouble();
      double recall = tp / (tp + m.get("fn").asDouble());
      double fpr = fp / (fp + m.get("tn").asDouble());
      ObjectNode at = m.putObject("at_population_ratio");
      at.put("normal_per_abnormal", normalPerAbnormal);
      double precision = recall / (recall + normalPerAbnormal * fpr);
      putFinite(at, "precision", precision);
      putFinite(at, "f1", 2 * precision * recall / (precision + recall));
      if (normalPerDay != null) {
        putFinite(at, "false_alarms_per_day", fpr * normalPerDay);
      }
      return m;
    }

    private static void putFinite(ObjectNode node, String name, double value) {
      if (Double.isFinite(value)) {
        node.put(name, value);
      } else {
        node.putNull(name);
      }
    }
  }

  /**
   * Precision, recall, F1 and false-positive rate for every top-g from 1 to {@code maxG}, from the
   * per-event ranks: a session is flagged at g when it has an unseen event or an event ranked g or
   * worse. Lets a user pick g for a target false-positive rate without rescoring.
   */
  public static com.fasterxml.jackson.databind.node.ArrayNode byTopG(Dataset<Row> eventScores, Dataset<Row> sessions,
      int maxG) {
    return byTopG(eventScores, sessions, maxG, null);
  }

  /** As {@link #byTopG(Dataset, Dataset, int)}, each point also restated at {@code population}'s ratio. */
  public static com.fasterxml.jackson.databind.node.ArrayNode byTopG(Dataset<Row> eventScores, Dataset<Row> sessions,
      int maxG, Population population) {
    Dataset<Row> perSession = eventScores.filter(col("split").equalTo(SlidingWindows.TEST))
        .groupBy("session_id")
        .agg(functions.max(when(col("unknown"), 1).otherwise(0)).as("unseen"),
            functions.coalesce(functions.max("rank"), lit(-1)).as("worst_rank"))
        .join(sessions.filter(col("label").isNotNull()).select("session_id", "label"), "session_id");
    List<Row> counts = perSession.groupBy("label", "unseen", "worst_rank").count().collectAsList();
    com.fasterxml.jackson.databind.node.ArrayNode curve = Json.MAPPER.createArrayNode();
    for (int g = 1; g <= maxG; g++) {
      long tp = 0;
      long fp = 0;
      long fn = 0;
      long tn = 0;
      for (Row r : counts) {
        boolean flagged = r.getInt(1) == 1 || r.getInt(2) >= g;
        boolean abnormal = r.getInt(0) == 1;
        long n = r.getLong(3);
        if (flagged && abnormal) {
          tp += n;
        } else if (flagged) {
          fp += n;
        } else if (abnormal) {
          fn += n;
        } else {
          tn += n;
        }
      }
      ObjectNode point = fromCounts(tp, fp, fn, tn);
      point.put("top_g", g);
      if (population != null) {
        population.add(point);
      }
      curve.add(point);
    }
    return curve;
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
    return fromCounts(tp, fp, fn, tn);
  }

  static ObjectNode fromCounts(long tp, long fp, long fn, long tn) {
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

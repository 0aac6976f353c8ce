package org.seqml.report;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.seqml.io.AtomicPublish;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.model.ModelArtifact;
import org.seqml.run.RunContext;

/**
 * Writes {@code out/<pipeline>/report/index.html}: the model's loss curves per epoch, its metrics
 * beside the baselines, and the picture a user of the task would look at (forecast against actual
 * for ticks, anomaly-score distributions of normal and abnormal sessions for logs). Self-contained:
 * charts are embedded PNGs and the page loads nothing.
 */
public final class RunReport {
  private RunReport() {}

  public static String write(RunContext run) {
    Configuration hadoop = run.spark().sparkContext().hadoopConfiguration();
    String backtest = run.layout().root() + "/backtest/metrics.json";
    boolean evaluated = Json.exists(run.layout().metrics(), hadoop);
    if (!evaluated && !Json.exists(backtest, hadoop)) {
      throw new org.seqml.util.Refusal("nothing to report for " + run.config().pipeline() + ": run the pipeline (or "
          + "its evaluate phase, or a backtest) first");
    }
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>seqml ").append(esc(run.config().pipeline()))
        .append(" report</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}"
            + "th:first-child,td:first-child{text-align:left}img{max-width:100%}.meta{color:#666}.warning{color:#a40}</style></head><body>");
    if (evaluated) {
      evaluation(run, hadoop, html);
    }
    if (Json.exists(backtest, hadoop)) {
      JsonNode folds = Json.read(backtest, hadoop);
      if (!evaluated) {
        html.append("<h1>").append(esc(run.config().pipeline())).append(" ds=").append(esc(folds.path("ds").asText()))
            .append("</h1>");
      }
      html.append("<h2>Rolling-origin backtest</h2><p class=\"meta\">run ")
          .append(esc(folds.path("run_id").asText())).append(", ").append(folds.path("folds").asInt())
          .append(" folds, a model every ").append(folds.path("retrain_every").asInt()).append(" fold(s)</p>")
          .append(img(ForecastCharts.folds(folds))).append(forecastTable(folds.get("overall")));
    }
    html.append("</body></html>\n");
    String path = run.layout().root() + "/report/index.html";
    writeAtomically(path, html.toString(), hadoop);
    return path;
  }

  /** The published model's training and its evaluation. */
  private static void evaluation(RunContext run, Configuration hadoop, StringBuilder html) {
    ModelArtifact artifact = ModelArtifact.load(run.layout().model(), hadoop);
    JsonNode metrics = Json.read(run.layout().metrics(), hadoop);
    html.append("<h1>").append(esc(run.config().pipeline())).append(" ds=").append(esc(metrics.path("ds").asText()))
        .append("</h1><p class=\"meta\">model ").append(esc(artifact.modelId())).append(" &middot; run ")
        .append(esc(metrics.path("run_id").asText())).append(" &middot; code ")
        .append(esc(metrics.path("code_version").asText())).append(" &middot; config ")
        .append(esc(metrics.path("config_hash").asText().substring(0, 12))).append("</p>");
    html.append(dataSection(run));
    html.append("<h2>Training</h2>").append(img(lossCurves(artifact.metadata().get("training"))));
    html.append(trainingTable(artifact.metadata().get("training")));
    if (run.config().task().equals("forecast")) {
      html.append("<h2>Test metrics beside baselines</h2>").append(forecastTable(metrics.get("overall")));
      if (metrics.has("quantiles")) {
        html.append("<h2>Quantile forecast</h2>").append(quantileTable(metrics.get("quantiles")));
      }
      String byStep = horizonErrors(metrics.get("by_horizon_step"));
      if (byStep != null) {
        html.append("<h2>Error by horizon step</h2>").append(img(byStep));
      }
      html.append("<h2>Forecast against actual</h2>").append(img(forecastPicture(run)));
      Dataset<Row> scores = PartitionSink.read(run, Layout.SCORES);
      String target = metrics.path("target").asText("target");
      for (String fan : ForecastCharts.fans(scores, target)) {
        html.append(img(fan));
      }
    } else if (run.config().task().equals("classify")) {
      html.append("<h2>Test metrics beside baselines</h2>").append(classTable(metrics));
      html.append(confusion(metrics.get("model"), metrics.get("classes")));
      if (metrics.has("positive_class")) {
        html.append("<h2>ROC of the model on test sequences</h2>").append(img(rocCurve(run,
            metrics.get("positive_class").asText(), metrics.get("classes"))));
      }
    } else if (run.config().task().equals("next-token")) {
      html.append("<h2>Test bits per token beside baselines</h2>").append(tokenTable(metrics));
    } else {
      html.append("<h2>Test metrics beside baselines</h2>").append(anomalyTable(metrics));
      html.append("<h2>Anomaly scores of normal and abnormal sessions</h2>").append(img(scoreDistribution(run)));
      html.append("<h2>ROC and precision-recall of the anomaly score</h2>").append(anomalyCurves(run));
      html.append("<h2>Recall and false-positive rate by top-g</h2>").append(img(topGCurve(metrics.get("by_top_g"))));
    }
  }

  private static String lossCurves(JsonNode training) {
    List<Double> epochs = new ArrayList<>();
    List<Double> train = new ArrayList<>();
    List<Double> validation = new ArrayList<>();
    for (JsonNode e : training.get("epochs")) {
      epochs.add(e.get("epoch").asDouble());
      train.add(e.get("train_loss").asDouble());
      validation.add(e.get("validation_loss").asDouble());
    }
    int published = training.get("published_epoch").asInt();
    XYChart chart = Charts.lines("Loss per epoch (published: epoch " + published + ")", "epoch", "loss");
    chart.addSeries("train", epochs, train);
    chart.addSeries("validation", epochs, validation);
    // A log scale when the losses span more than a decade: the first epoch's loss would flatten the rest.
    double lo = java.util.stream.Stream.concat(train.stream(), validation.stream()).filter(v -> v > 0)
        .mapToDouble(Double::doubleValue).min().orElse(1);
    double hi = java.util.stream.Stream.concat(train.stream(), validation.stream()).mapToDouble(Double::doubleValue)
        .max().orElse(1);
    if (lo > 0 && hi / lo > 10) {
      chart.getStyler().setYAxisLogarithmic(true);
    }
    int at = epochs.indexOf((double) published);
    if (at >= 0) {
      chart.addSeries("published", List.of((double) published), List.of(validation.get(at)))
          .setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter)
          .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.DIAMOND);
    }
    return Charts.dataUri(chart);
  }

  private static String forecastPicture(RunContext run) {
    Dataset<Row> scores = PartitionSink.read(run, Layout.SCORES)
        .filter(col("split").equalTo("test").and(col("horizon_step").equalTo(1)).and(col("actual").isNotNull()));
    String key = scores.columns()[0]; // forecast scores lead with the domain's key column
    Row first = scores.select(key).orderBy(key).first();
    List<Row> rows = scores.filter(col(key).equalTo(first.getString(0))).orderBy("end_pos").limit(300)
        .select("prediction", "actual").collectAsList();
    List<Double> x = new ArrayList<>();
    List<Double> prediction = new ArrayList<>();
    List<Double> actual = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      x.add((double) i);
      prediction.add(rows.get(i).getDouble(0));
      actual.add(rows.get(i).getDouble(1));
    }
    XYChart chart = Charts.lines(first.getString(0) + ": the target one step ahead, first " + rows.size() + " test windows",
        "test window", Json.read(run.layout().metrics(), run.hadoop()).path("target").asText("target"));
    chart.addSeries("actual", x, actual);
    chart.addSeries("forecast", x, prediction);
    return Charts.dataUri(chart);
  }

  private static String scoreDistribution(RunContext run) {
    Dataset<Row> labelled = PartitionSink.read(run, Layout.SCORES).filter(col("split").equalTo("test"))
        .join(PartitionSink.read(run, Layout.SESSIONS).select("session_id", "label"), "session_id")
        .filter(col("label").isNotNull());
    int bins = 20;
    double max = Math.max(1e-9, labelled.agg(org.apache.spark.sql.functions.max("anomaly_score")).first().getDouble(0));
    double[] normal = new double[bins];
    double[] abnormal = new double[bins];
    for (Row r : labelled.selectExpr("label", "LEAST(" + (bins - 1) + ", CAST(FLOOR(anomaly_score / " + max + " * "
        + bins + ") AS INT)) AS bin").groupBy("label", "bin").count().collectAsList()) {
      (r.getInt(0) == 1 ? abnormal : normal)[r.getInt(1)] = r.getLong(2);
    }
    List<String> labels = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      labels.add(String.format("%.1f", (b + 0.5) * max / bins));
    }
    CategoryChart chart = Charts.bars("Sessions by anomaly score (max NLL)", "anomaly score", "sessions");
    chart.getStyler().setOverlapped(true);
    chart.addSeries("normal", labels, Charts.doubles(normal));
    chart.addSeries("abnormal", labels, Charts.doubles(abnormal));
    return Charts.dataUri(chart);
  }

  private static String topGCurve(JsonNode curve) {
    List<Double> g = new ArrayList<>();
    List<Double> recall = new ArrayList<>();
    List<Double> fpr = new ArrayList<>();
    for (JsonNode p : curve) {
      g.add(p.get("top_g").asDouble());
      recall.add(p.path("recall").asDouble(0));
      fpr.add(p.path("false_positive_rate").asDouble(0));
    }
    XYChart chart = Charts.lines("Operating points", "top-g", "rate");
    chart.addSeries("recall", g, recall);
    chart.addSeries("false-positive rate", g, fpr);
    return Charts.dataUri(chart);
  }

  private static String trainingTable(JsonNode training) {
    StringBuilder t = new StringBuilder("<table><tr><th>epoch</th><th>train loss</th><th>validation loss</th>"
        + "<th>samples/s</th><th>seconds</th></tr>");
    for (JsonNode e : training.get("epochs")) {
      t.append(String.format("<tr><td>%d</td><td>%.5f</td><td>%.5f</td><td>%.0f</td><td>%.1f</td></tr>",
          e.get("epoch").asInt(), e.get("train_loss").asDouble(), e.get("validation_loss").asDouble(),
          e.get("samples_per_second").asDouble(), e.get("seconds").asDouble()));
    }
    t.append("</table>");
    JsonNode executors = training.get("executors");
    if (executors != null && executors.isObject() && executors.size() > 0) {
      t.append("<h3>Executors</h3><table><tr><th>executor</th><th>training tasks</th><th>task seconds</th></tr>");
      executors.fields().forEachRemaining(e -> t.append("<tr><td>").append(esc(e.getKey())).append("</td><td>")
          .append(e.getValue().path("tasks").asLong()).append("</td><td>")
          .append(String.format("%.1f", e.getValue().path("task_seconds").asDouble())).append("</td></tr>"));
      t.append("</table>");
    }
    return t.toString();
  }

  /**
   * What came in: rows in, accepted and rejected (by reason), and any warning the ingest gave (one reason
   * taking more than ingest.reject-warn-share of a file), from the ingest's manifests.
   */
  private static String dataSection(RunContext run) {
    String accepted = null;
    for (String table : List.of(Layout.TICKS, Layout.EVENTS, Layout.SEQUENCES, Layout.SERIES)) {
      if (PartitionSink.exists(run, table)) {
        accepted = table;
        break;
      }
    }
    if (accepted == null || !PartitionSink.exists(run, Layout.REJECTS)) {
      return "";
    }
    JsonNode rows = PartitionSink.manifest(run, accepted).get("rows");
    JsonNode rejects = PartitionSink.manifest(run, Layout.REJECTS);
    StringBuilder t = new StringBuilder("<h2>Data</h2><table><tr><th>rows</th><th>count</th><th>share</th></tr>");
    long in = rows.path("in").asLong();
    for (String k : List.of("in", "accepted", "rejected")) {
      long n = rows.path(k).asLong();
      t.append("<tr><td>").append(k).append("</td><td>").append(n).append("</td><td>")
          .append(in == 0 ? "" : String.format("%.2f %%", 100.0 * n / in)).append("</td></tr>");
    }
    t.append("</table>");
    JsonNode byReason = rejects.path("rejected_by_reason");
    if (byReason.size() > 0) {
      t.append("<h3>Rejected by reason</h3><table><tr><th>reason</th><th>rows</th><th>share of input</th></tr>");
      byReason.fields().forEachRemaining(e -> t.append("<tr><td>").append(esc(e.getKey())).append("</td><td>")
          .append(e.getValue().asLong()).append("</td><td>")
          .append(in == 0 ? "" : String.format("%.2f %%", 100.0 * e.getValue().asLong() / in)).append("</td></tr>"));
      t.append("</table>");
    }
    t.append(breakdown(run, accepted));
    for (JsonNode w : rejects.path("warnings")) {
      t.append("<p class=\"warning\">warning: ").append(esc(w.asText())).append("</p>");
    }
    return t.toString();
  }

  /**
   * Accepted rows per key (ticks: symbol, series: key) or per class (logs: events by their session's label, bio: label),
   * the largest first; at most 20 rows, the rest counted in one line.
   */
  private static String breakdown(RunContext run, String accepted) {
    String column = switch (accepted) {
      case Layout.TICKS -> "symbol";
      case Layout.SERIES -> "key";
      default -> "label";
    };
    String by = column.equals("label") ? "class" : "key";
    String value = accepted.equals(Layout.EVENTS) ? "CASE label WHEN 0 THEN 'normal' WHEN 1 THEN 'abnormal' END"
        : "CAST(" + column + " AS STRING)";
    List<Row> counts = PartitionSink.read(run, accepted)
        .selectExpr("COALESCE(" + value + ", '(unlabelled)') AS k").groupBy("k").count()
        .orderBy(col("count").desc(), col("k")).limit(21).collectAsList();
    if (counts.size() < 2 && by.equals("class")) {
      return ""; // one class (or none labelled): nothing a table would add
    }
    long total = PartitionSink.manifest(run, accepted).get("rows").path("accepted").asLong();
    StringBuilder t = new StringBuilder("<h3>Accepted rows by " + by + "</h3><table><tr><th>" + by
        + "</th><th>rows</th><th>share of accepted</th></tr>");
    long shown = 0;
    for (Row r : counts.subList(0, Math.min(20, counts.size()))) {
      shown += r.getLong(1);
      t.append("<tr><td>").append(esc(r.getString(0))).append("</td><td>").append(r.getLong(1)).append("</td><td>")
          .append(total == 0 ? "" : String.format("%.2f %%", 100.0 * r.getLong(1) / total)).append("</td></tr>");
    }
    if (counts.size() > 20) {
      t.append("<tr><td>(other ").append(by).append("s)</td><td>").append(total - shown).append("</td><td>")
          .append(total == 0 ? "" : String.format("%.2f %%", 100.0 * (total - shown) / total)).append("</td></tr>");
    }
    return t.append("</table>").toString();
  }

  /** Every predictor (the model first, then the baselines) with every metric the evaluation gave it. */
  private static String forecastTable(JsonNode overall) {
    List<String> metrics = new ArrayList<>();
    overall.get("model").fieldNames().forEachRemaining(metrics::add);
    StringBuilder t = new StringBuilder("<table><tr><th></th>");
    metrics.forEach(m -> t.append("<th>").append(esc(m.replace('_', ' '))).append("</th>"));
    t.append("</tr>");
    List<String> predictors = new ArrayList<>(List.of("model"));
    overall.fieldNames().forEachRemaining(who -> {
      if (!who.equals("model")) {
        predictors.add(who);
      }
    });
    predictors.forEach(who -> {
      t.append("<tr><td>").append(esc(who)).append("</td>");
      metrics.forEach(m -> t.append("<td>").append(num(overall.get(who).get(m))).append("</td>"));
      t.append("</tr>");
    });
    return t.append("</table>").toString();
  }

  /** Pinball loss and the coverage of each level and of the outer interval. */
  private static String quantileTable(JsonNode q) {
    StringBuilder t = new StringBuilder("<table><tr><th>pinball</th><th>pinball standardised</th><th>interval</th>"
        + "<th>nominal</th><th>coverage</th>");
    q.get("coverage").fieldNames().forEachRemaining(level -> t.append("<th>share at or below ").append(esc(level))
        .append("</th>"));
    t.append("</tr><tr><td>").append(num(q.get("pinball"))).append("</td><td>").append(num(q.path(
        "pinball_standardised"))).append("</td><td>").append(num(q.at("/interval/lower"))).append(" to ")
        .append(num(q.at("/interval/upper"))).append("</td><td>").append(num(q.at("/interval/nominal")))
        .append("</td><td>").append(num(q.at("/interval/coverage"))).append("</td>");
    q.get("coverage").forEach(c -> t.append("<td>").append(num(c)).append("</td>"));
    return t.append("</tr></table>").toString();
  }

  private static String classTable(JsonNode metrics) {
    StringBuilder t = new StringBuilder("<table><tr><th></th><th>accuracy</th><th>sensitivity</th>"
        + "<th>specificity</th><th>MCC</th><th>ROC AUC</th></tr>");
    Map<String, JsonNode> rows = new java.util.LinkedHashMap<>();
    rows.put("model", metrics.get("model"));
    metrics.get("baselines").fields().forEachRemaining(e -> rows.put(e.getKey(), e.getValue()));
    rows.forEach((who, m) -> t.append("<tr><td>").append(esc(who)).append("</td><td>").append(num(m.get("accuracy")))
        .append("</td><td>").append(num(m.get("sensitivity"))).append("</td><td>").append(num(m.get("specificity")))
        .append("</td><td>").append(num(m.get("mcc"))).append("</td><td>").append(num(m.get("roc_auc")))
        .append("</td></tr>"));
    return t.append("</table>").toString();
  }

  /** RMSE per horizon step of every predictor that has one (the model and the baselines), or null. */
  private static String horizonErrors(JsonNode steps) {
    if (steps == null || steps.size() < 2) {
      return null;
    }
    Map<String, List<Double>> rmse = new java.util.LinkedHashMap<>();
    List<Double> x = new ArrayList<>();
    for (JsonNode step : steps) {
      x.add(step.path("horizon_step").asDouble());
      step.fields().forEachRemaining(e -> {
        if (e.getValue().path("rmse").isNumber()) {
          rmse.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().get("rmse").asDouble());
        }
      });
    }
    if (rmse.isEmpty()) {
      return null;
    }
    XYChart chart = Charts.lines("Test RMSE by horizon step", "horizon step", "RMSE");
    rmse.forEach((who, values) -> {
      if (values.size() == x.size()) {
        chart.addSeries(who, x, values);
      }
    });
    return Charts.dataUri(chart);
  }

  /**
   * The model's confusion matrix on test sequences, any number of classes: rows the actual class,
   * columns the predicted one, each cell with its share of the row (the recall of the diagonal).
   */
  private static String confusion(JsonNode model, JsonNode classes) {
    JsonNode matrix = model == null ? null : model.get("confusion");
    if (matrix == null || classes == null || matrix.size() != classes.size()) {
      return "";
    }
    StringBuilder t = new StringBuilder("<h3>Confusion of the model (test; rows actual, columns predicted)</h3>"
        + "<table><tr><th>actual \\ predicted</th>");
    classes.forEach(c -> t.append("<th>").append(esc(c.asText())).append("</th>"));
    t.append("</tr>");
    for (int a = 0; a < matrix.size(); a++) {
      long total = 0;
      for (JsonNode v : matrix.get(a)) {
        total += v.asLong();
      }
      t.append("<tr><td>").append(esc(classes.get(a).asText())).append("</td>");
      for (int p = 0; p < matrix.get(a).size(); p++) {
        long n = matrix.get(a).get(p).asLong();
        // shade each cell by its share of the row, diagonal in green, errors in red
        double share = total == 0 ? 0 : (double) n / total;
        String color = a == p ? "rgba(40,160,60," : "rgba(200,50,40,";
        t.append("<td style=\"background:").append(color).append(String.format("%.2f", 0.6 * share)).append(")\">")
            .append(n).append(total == 0 ? "" : String.format(" <small>(%.0f %%)</small>", 100 * share))
            .append("</td>");
      }
      t.append("</tr>");
    }
    return t.append("</table>").toString();
  }

  private static String tokenTable(JsonNode metrics) {
    StringBuilder t = new StringBuilder("<table><tr><th></th><th>bits per token</th><th>perplexity</th></tr>");
    Map<String, JsonNode> rows = new java.util.LinkedHashMap<>();
    rows.put("model", metrics.get("model"));
    metrics.get("baselines").fields().forEachRemaining(e -> rows.put(e.getKey(), e.getValue()));
    rows.forEach((who, m) -> t.append("<tr><td>").append(esc(who)).append("</td><td>")
        .append(num(m.get("bits_per_token"))).append("</td><td>").append(num(m.get("perplexity"))).append("</td></tr>"));
    return t.append("</table>").toString();
  }

  /** ROC points of the positive class's probability on test sequences (at most 200 thresholds). */
  private static String rocCurve(RunContext run, String positive, JsonNode classes) {
    int index = 0;
    for (int i = 0; i < classes.size(); i++) {
      if (classes.get(i).asText().equals(positive)) {
        index = i;
      }
    }
    List<double[]> scored = new ArrayList<>();
    for (Row r : PartitionSink.read(run, Layout.SCORES).filter(col("split").equalTo("test"))
        .selectExpr("probabilities[" + index + "]", "label").collectAsList()) {
      scored.add(new double[] {r.getFloat(0), positive.equals(r.getString(1)) ? 1 : 0});
    }
    return curves(scored, "positive class " + positive, false);
  }

  /**
   * The ROC curve of (score, 1 = positive) pairs, and with {@code withPrecision} beside it the
   * precision-recall curve, as one or two embedded charts.
   */
  private static String curves(List<double[]> scored, String what, boolean withPrecision) {
    scored.sort((a, b) -> Double.compare(b[0], a[0]));
    double positives = scored.stream().filter(x -> x[1] == 1).count();
    double negatives = scored.size() - positives;
    List<Double> fpr = new ArrayList<>(List.of(0.0));
    List<Double> tpr = new ArrayList<>(List.of(0.0));
    List<Double> precision = new ArrayList<>();
    List<Double> recall = new ArrayList<>();
    double tp = 0;
    double fp = 0;
    int step = Math.max(1, scored.size() / 200);
    for (int i = 0; i < scored.size(); i++) {
      if (scored.get(i)[1] == 1) {
        tp++;
      } else {
        fp++;
      }
      if (i % step == 0 || i == scored.size() - 1) {
        fpr.add(negatives == 0 ? 0 : fp / negatives);
        tpr.add(positives == 0 ? 0 : tp / positives);
        recall.add(positives == 0 ? 0 : tp / positives);
        precision.add(tp / (tp + fp));
      }
    }
    XYChart chart = Charts.lines("ROC, " + what, "false-positive rate", "true-positive rate");
    chart.addSeries("model", fpr, tpr);
    chart.addSeries("chance", List.of(0.0, 1.0), List.of(0.0, 1.0));
    String roc = Charts.dataUri(chart);
    if (!withPrecision) {
      return roc;
    }
    XYChart pr = Charts.lines("Precision and recall, " + what, "recall", "precision");
    pr.addSeries("model", recall, precision);
    double base = scored.isEmpty() ? 0 : positives / scored.size();
    pr.addSeries("share of positives", List.of(0.0, 1.0), List.of(base, base));
    return roc + "\n" + Charts.dataUri(pr);
  }

  /** ROC and precision-recall of the sessions' anomaly scores against their labels (test split). */
  private static String anomalyCurves(RunContext run) {
    List<double[]> scored = new ArrayList<>();
    for (Row r : PartitionSink.read(run, Layout.SCORES).filter(col("split").equalTo("test"))
        .join(PartitionSink.read(run, Layout.SESSIONS).select("session_id", "label"), "session_id")
        .filter(col("label").isNotNull()).selectExpr("CAST(anomaly_score AS DOUBLE)", "CAST(label AS INT)")
        .collectAsList()) {
      scored.add(new double[] {r.getDouble(0), r.getInt(1)});
    }
    if (scored.isEmpty()) {
      return "";
    }
    String[] two = curves(scored, "abnormal sessions by anomaly score", true).split("\n");
    return img(two[0]) + img(two[1]);
  }

  private static String anomalyTable(JsonNode metrics) {
    StringBuilder t = new StringBuilder("<table><tr><th></th><th>precision</th><th>recall</th><th>F1</th>"
        + "<th>false-positive rate</th></tr>");
    Map<String, JsonNode> rows = new java.util.LinkedHashMap<>();
    rows.put(metrics.has("threshold") ? String.format("model (score > %.2f)", metrics.get("threshold").asDouble())
        : "model (top-" + metrics.path("top_g").asInt() + ")", metrics.get("model"));
    metrics.get("baselines").fields().forEachRemaining(e -> rows.put(e.getKey(), e.getValue()));
    rows.forEach((who, m) -> t.append("<tr><td>").append(esc(who)).append("</td><td>").append(num(m.get("precision")))
        .append("</td><td>").append(num(m.get("recall"))).append("</td><td>").append(num(m.get("f1")))
        .append("</td><td>").append(num(m.get("false_positive_rate"))).append("</td></tr>"));
    return t.append("</table>").toString();
  }

  private static String num(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode() ? "&ndash;" : String.format("%.4f", v.asDouble());
  }

  private static String img(String dataUri) {
    return "<p><img alt=\"chart\" src=\"" + dataUri + "\"></p>";
  }

  private static String esc(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static void writeAtomically(String path, String html, Configuration hadoop) {
    AtomicPublish.file(path, html.getBytes(StandardCharsets.UTF_8), hadoop);
  }
}

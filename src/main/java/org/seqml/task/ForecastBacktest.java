package org.seqml.task;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.model.ModelArtifact;
import org.seqml.run.RunContext;
import org.seqml.util.Elapsed;
import org.seqml.window.RollingOrigins;
import org.seqml.window.SlidingWindows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rolling-origin backtest of the forecast task: the same windows re-split per fold
 * ({@link RollingOrigins}), a model trained at every backtest.retrain-every-th origin on what lies before
 * it, each fold's test windows scored on Spark and evaluated as the evaluate phase does. Every fold keeps
 * its model, scores and metrics under backtest/fold=i; the folds' forecasts go to backtest/forecasts/ds=D
 * and the per-fold and overall figures to backtest/metrics.json.
 */
final class ForecastBacktest {
  private static final Logger LOG = LoggerFactory.getLogger(ForecastBacktest.class);
  /** The forecasts table, under the backtest's folder. */
  static final String FORECASTS = "forecasts";

  private ForecastBacktest() {}

  /** The backtest's own folder: backtest/ under the pipeline's. */
  static Layout layout(RunContext run) {
    return new Layout(run.layout().root() + "/backtest");
  }

  static Layout foldLayout(RunContext run, int fold) {
    return new Layout(layout(run).root() + "/fold=" + (fold + 1));
  }

  static ObjectNode run(ForecastTask task, RunContext run, SequenceSet.Forecast set) {
    long t0 = System.nanoTime();
    SeqmlConfig.Backtest settings = run.config().forecast().backtest();
    Dataset<Row> windows = set.windows().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      RollingOrigins origins = RollingOrigins.of(windows, settings.folds(), run.config().window().horizon());
      ArrayNode folds = Json.MAPPER.createArrayNode();
      List<Dataset<Row>> forecasts = new ArrayList<>();
      Set<String> models = new LinkedHashSet<>();
      ObjectNode trainedAt = null;
      for (int i = 0; i < origins.folds(); i++) {
        run.phase("backtest fold " + (i + 1));
        RunContext foldRun = new RunContext(run.config(), run.spark(), run.ds(), run.runId(), run.codeVersion(),
            foldLayout(run, i));
        SequenceSet.Forecast fold = set.withWindows(origins.fold(windows, i));
        ModelArtifact model;
        if (i % settings.retrainEvery() == 0) {
          model = task.train(foldRun, fold);
          trainedAt = trainedAt(fold.windows(), i);
        } else { // the last model trained, which saw nothing after its own, earlier origin
          model = ModelArtifact.load(foldLayout(run, trainedAt.get("fold").asInt() - 1).model(), run.hadoop());
          model.save(foldRun.layout().model(), run.hadoop());
        }
        models.add(model.modelId());
        task.score(foldRun, fold);
        ObjectNode metrics = task.evaluate(foldRun, fold);
        ObjectNode entry = Json.object();
        entry.put("fold", i + 1);
        entry.put("origin", origins.origin(i).toInstant().toString());
        entry.put("until", origins.until(i).toInstant().toString());
        entry.put("validation_from", origins.validationStart(i).toInstant().toString());
        entry.put("model_id", model.modelId());
        entry.set("trained", trainedAt.deepCopy());
        entry.set("rows", metrics.get("rows"));
        entry.set("overall", metrics.get("overall"));
        if (metrics.has("quantiles")) {
          ObjectNode quantiles = metrics.get("quantiles").deepCopy();
          quantiles.remove("by_horizon_step");
          entry.set("quantiles", quantiles);
        }
        folds.add(entry);
        forecasts.add(PartitionSink.read(foldRun, Layout.SCORES).filter(col("split").equalTo(SlidingWindows.TEST))
            .withColumn("fold", lit(i + 1)).withColumn("fold_origin", lit(origins.origin(i))));
        LOG.info("backtest ds={} fold {}/{} from {}: {} test rows", run.ds(), i + 1, origins.folds(),
            origins.origin(i).toInstant(), metrics.get("rows"));
      }
      RunContext backtest = new RunContext(run.config(), run.spark(), run.ds(), run.runId(), run.codeVersion(),
          layout(run));
      long written = PartitionSink.write(backtest, FORECASTS, forecasts.stream().reduce(Dataset::unionByName).get(),
          set.source().rows(), String.join(",", models), null);
      ObjectNode summary = summary(run, settings, folds);
      Json.write(layout(run).metrics(), summary, run.hadoop());
      LOG.info("backtest ds={} {} folds, {} forecast rows, overall {} ({}s)", run.ds(), origins.folds(), written,
          headline(summary.get("overall")), Elapsed.seconds(t0));
      return summary;
    } finally {
      windows.unpersist();
    }
  }

  /**
   * Which fold trained the model and the latest moment its training and validation windows reach: the
   * backtest's own record that the model saw nothing at or after its origin.
   */
  private static ObjectNode trainedAt(Dataset<Row> foldWindows, int fold) {
    Row r = foldWindows.filter(col("split").isin(SlidingWindows.TRAIN, SlidingWindows.VALIDATION))
        .agg(functions.max("target_end_ts"), functions.count(lit(1))).first();
    ObjectNode node = Json.object();
    node.put("fold", fold + 1);
    node.put("windows", r.getLong(1));
    node.put("data_until", r.isNullAt(0) ? null : ((Timestamp) r.get(0)).toInstant().toString());
    return node;
  }

  /** The first metric of every forecaster, e.g. "mse_standardised model=0.2227 last_value=1.9162". */
  private static String headline(JsonNode overall) {
    String metric = overall.get("model").fieldNames().next();
    StringBuilder line = new StringBuilder(metric);
    overall.fields().forEachRemaining(who -> line.append(' ').append(who.getKey()).append('=')
        .append(String.format("%.4f", who.getValue().get(metric).asDouble())));
    return line.toString();
  }

  /** The per-fold figures, and every metric's mean over the folds weighted by their test rows. */
  static ObjectNode summary(RunContext run, SeqmlConfig.Backtest settings, ArrayNode folds) {
    ObjectNode out = Json.object();
    out.put("pipeline", run.config().pipeline());
    out.put("ds", run.ds());
    out.put("run_id", run.runId());
    out.put("code_version", run.codeVersion());
    out.put("config_hash", run.config().configHash());
    out.put("evaluated_at", Instant.now().toString());
    out.put("folds", folds.size());
    out.put("retrain_every", settings.retrainEvery());
    out.set("fold_metrics", folds);
    out.put("overall_is", "each metric's mean over the folds, weighted by the folds' test rows");
    out.set("overall", weightedMean(folds));
    if (folds.size() > 0 && folds.get(0).has("quantiles")) {
      // the same weighted mean over each fold's quantile figures (pinball, pinball_standardised; the
      // outer interval's coverage as interval_coverage)
      ArrayNode quantiles = Json.MAPPER.createArrayNode();
      for (JsonNode fold : folds) {
        ObjectNode figures = fold.get("quantiles").deepCopy();
        figures.put("interval_coverage", fold.at("/quantiles/interval/coverage").asDouble());
        ObjectNode entry = quantiles.addObject();
        entry.set("rows", fold.get("rows"));
        entry.putObject("overall").set("model", figures);
      }
      out.set("quantiles", weightedMean(quantiles).get("model"));
    }
    return out;
  }

  /** Every numeric metric of every predictor in the folds' {@code overall}, averaged with the folds' rows as weights. */
  static ObjectNode weightedMean(ArrayNode folds) {
    Map<String, Map<String, double[]>> sums = new java.util.LinkedHashMap<>();
    for (JsonNode fold : folds) {
      double rows = fold.get("rows").asDouble();
      for (Iterator<Map.Entry<String, JsonNode>> who = fold.get("overall").fields(); who.hasNext(); ) {
        Map.Entry<String, JsonNode> w = who.next();
        for (Iterator<Map.Entry<String, JsonNode>> m = w.getValue().fields(); m.hasNext(); ) {
          Map.Entry<String, JsonNode> metric = m.next();
          if (metric.getValue().isNumber()) {
            double[] s = sums.computeIfAbsent(w.getKey(), k -> new java.util.LinkedHashMap<>())
                .computeIfAbsent(metric.getKey(), k -> new double[2]);
            s[0] += rows * metric.getValue().asDouble();
            s[1] += rows;
          }
        }
      }
    }
    ObjectNode out = Json.object();
    sums.forEach((who, metrics) -> {
      ObjectNode node = out.putObject(who);
      metrics.forEach((name, s) -> node.put(name, s[1] == 0 ? Double.NaN : s[0] / s[1]));
    });
    return out;
  }
}

package org.seqml.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.seqml.eval.ForecastEvaluator;
import org.seqml.eval.LevelForecastEvaluator;
import org.seqml.eval.QuantileMetrics;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.model.ModelArtifact;
import org.seqml.run.RunContext;
import org.seqml.window.KeyScaling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forecast task's evaluate phase: a change target beside the repeat, zero and majority-direction
 * baselines, a level target beside the last-value, window-mean, linear and seasonal-naive ones, and a
 * quantile head's pinball loss and coverage.
 */
final class ForecastEvaluation {
  private static final Logger LOG = LoggerFactory.getLogger(ForecastEvaluation.class);

  private ForecastEvaluation() {}

  static ObjectNode evaluate(RunContext run, SequenceSet.Forecast set) {
    run.phase("evaluate");
    Dataset<Row> scores = PartitionSink.read(run, Layout.SCORES).withColumnRenamed(set.keyName(), "key");
    // 1-based index of the target feature at the window's last step
    int lastValue = (run.config().window().size() - 1) * set.features().size() + set.targetIndex() + 1;
    ObjectNode figures = Json.object();
    figures.put("target", set.targetDescription());
    if (run.config().forecast().level()) {
      return evaluateLevel(run, set, scores, figures);
    }
    figures.setAll(ForecastEvaluator.evaluate(scores, set.windows(), lastValue));
    quantiles(run, tested(scores), null, figures);
    ObjectNode metrics = Runs.writeMetrics(run, figures);
    JsonNode overall = metrics.get("overall");
    LOG.info("evaluate ds={} test rows={} rmse model={} repeat={} zero={}; directional accuracy model={} majority={}",
        run.ds(), metrics.get("rows"), fmt(overall, "model", "rmse"), fmt(overall, "repeat", "rmse"),
        fmt(overall, "zero", "rmse"), fmt(overall, "model", "directional_accuracy"),
        fmt(overall, "majority_direction", "directional_accuracy"));
    return metrics;
  }

  /** A level target: standardised and original-unit metrics beside the last-value, mean and seasonal baselines. */
  private static ObjectNode evaluateLevel(RunContext run, SequenceSet.Forecast set, Dataset<Row> scores, ObjectNode figures) {
    ModelArtifact artifact = ModelArtifact.load(run.layout().model(), run.hadoop());
    KeyScaling keyScaling = ForecastTask.keyScaling(artifact);
    // standardised on the level's training statistics: per key as the model was scaled, else pooled (the global
    // scaler's may describe changes from the last value, with forecast.reference = last)
    KeyScaling scaling = keyScaling != null ? keyScaling
        : KeyScaling.fit(set.windows(), set.features().size(), Integer.MAX_VALUE);
    Dataset<Row> windows = scaling.apply(set.windows(), set.targetIndex());
    figures.put("scaling", keyScaling != null ? "per-key" : "global");
    figures.setAll(LevelForecastEvaluator.evaluate(scores, windows, scaling, set.features().size(),
        set.targetIndex(), run.config().window().size(), run.config().window().horizon(),
        run.config().forecast().season()));
    quantiles(run, scaling.withStats(tested(scores)).withColumn("_key_std",
        org.apache.spark.sql.functions.expr("_std[" + set.targetIndex() + "]")), "_key_std", figures);
    ObjectNode metrics = Runs.writeMetrics(run, figures);
    JsonNode overall = metrics.get("overall");
    StringBuilder baselines = new StringBuilder();
    overall.fieldNames().forEachRemaining(name -> {
      if (!name.equals("model")) {
        baselines.append(' ').append(name).append('=').append(fmt(overall, name, "mse_standardised"));
      }
    });
    LOG.info("evaluate ds={} test rows={} mse (standardised) model={}{}; mae model={} smape={}", run.ds(),
        metrics.get("rows"), fmt(overall, "model", "mse_standardised"), baselines,
        fmt(overall, "model", "mae"), fmt(overall, "model", "smape"));
    return metrics;
  }

  /** The test scores with a known actual value. */
  private static Dataset<Row> tested(Dataset<Row> scores) {
    return scores.filter("split = 'test' AND actual IS NOT NULL");
  }

  /** A quantile head's figures (pinball loss, coverage), when the model has one; {@code std} standardises. */
  private static void quantiles(RunContext run, Dataset<Row> tested, String std, ObjectNode figures) {
    double[] levels = run.config().forecast().levels();
    if (levels.length > 0) {
      ObjectNode q = QuantileMetrics.evaluate(tested, levels, std);
      figures.set("quantiles", q);
      LOG.info("evaluate ds={} quantiles {}: pinball={} interval [{}, {}] coverage={} (nominal {})", run.ds(),
          run.config().forecast().quantiles(), String.format("%.4f", q.get("pinball").asDouble()), levels[0],
          levels[levels.length - 1], String.format("%.3f", q.at("/interval/coverage").asDouble()),
          String.format("%.2f", q.at("/interval/nominal").asDouble()));
    }
  }

  private static String fmt(JsonNode overall, String who, String metric) {
    return String.format("%.4f", overall.get(who).get(metric).asDouble());
  }
}

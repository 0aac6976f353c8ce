package org.seqml.task;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;
import org.seqml.eval.ForecastEvaluator;
import org.seqml.eval.LevelForecastEvaluator;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.model.ModelArtifact;
import org.seqml.model.ModelFactory;
import org.seqml.model.ModelMetadata;
import org.seqml.run.RunContext;
import org.seqml.run.Stage;
import org.seqml.score.BatchScorer;
import org.seqml.train.Loss;
import org.seqml.train.ParameterAveragingTrainer;
import org.seqml.util.Elapsed;
import org.seqml.util.Schemas;
import org.seqml.window.KeyScaling;
import org.seqml.window.LastValueReference;
import org.seqml.window.Scaler;
import org.seqml.window.SlidingWindows;
import org.seqml.window.WindowTensors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multi-horizon forecasting: windows of W steps of F features to the next H values of the target
 * feature, with a scaler fitted on the training windows; scored against the repeat, zero and
 * majority-direction baselines.
 */
final class ForecastTask implements Task {
  private static final Logger LOG = LoggerFactory.getLogger(ForecastTask.class);
  /** The task's own keys the windows depend on. */
  private static final List<String> KEYS = List.of("window.size", "window.horizon", "forecast.scaling",
      "forecast.reference", "forecast.quantiles");

  @Override
  public String name() {
    return "forecast";
  }

  @Override
  public ModelArtifact train(RunContext run, SequenceSet sequences) {
    run.phase("train");
    SequenceSet.Forecast set = Task.expect(sequences, SequenceSet.Forecast.class, name());
    SeqmlConfig.Window w = run.config().window();
    int f = set.features().size();
    KeyScaling keyScaling = run.config().forecast().perKey()
        ? KeyScaling.fit(set.windows(), f, run.config().forecast().minKeySteps(),
        set.staticIndices()) : null;
    Dataset<Row> windows = keyScaling == null ? set.windows() : keyScaling.apply(set.windows(), set.targetIndex());
    if (run.config().forecast().relativeToLast()) {
      windows = LastValueReference.apply(windows, f, set.targetIndex(), w.size());
    }
    Scaler scaler = Scaler.fit(windows, set.features());
    Dataset<Row> complete = windows.filter(col("n_known").equalTo(w.horizon()))
        .select("features", "target", "split");
    double[] levels = run.config().forecast().levels();
    WindowTensors tensors = new WindowTensors(scaler, f, w.size(), w.horizon(), Math.max(1, levels.length));
    LOG.info("training {} forecaster: window {} x {} features, horizon {}{}", run.config().model().family(),
        w.size(), f, w.horizon(), levels.length == 0 ? "" : ", quantiles " + run.config().forecast().quantiles());
    ParameterAveragingTrainer.Result result = ParameterAveragingTrainer.train(
        ModelFactory.forecaster(run.config().model(), f, w.size(), w.horizon(), levels),
        complete.filter(col("split").equalTo(SlidingWindows.TRAIN)).select("features", "target"),
        complete.filter(col("split").equalTo(SlidingWindows.VALIDATION)).select("features", "target"),
        rows -> tensors.dataSet(rows, 0, 1), levels.length == 0 ? Loss.MSE : Loss.pinball(levels),
        run.config().train(), run.config().model().seed(),
        Runs.checkpoints(run, checkpointContext(scaler, keyScaling)));
    ModelMetadata.WindowSpec window = new ModelMetadata.WindowSpec(w.size(), w.stride(), w.horizon(),
        set.features().get(set.targetIndex()), set.features(), null, null, null, null);
    return Runs.publish(run, result, set.source(), window, new Runs.Context(scaler.toJson(),
        keyScaling == null ? null : keyScaling.toJson(), null, null),
        levels.length == 0 ? "validation_mse_standardised" : "validation_pinball_standardised");
  }

  /** What checkpoints are tied to: the scaler (and the per-key statistics when keys are scaled apart). */
  private static JsonNode checkpointContext(Scaler scaler, KeyScaling keyScaling) {
    if (keyScaling == null) {
      return scaler.toJson();
    }
    ObjectNode context = Json.object();
    context.set("scaler", scaler.toJson());
    context.set("key_scales", keyScaling.toJson());
    return context;
  }

  /** The per-key statistics a model was trained with, or null when it scaled globally. */
  static KeyScaling keyScaling(ModelArtifact artifact) {
    JsonNode node = artifact.metadata().get("key_scales");
    return node == null || node.isNull() ? null : KeyScaling.fromJson(node);
  }

  @Override
  public long score(RunContext run, SequenceSet sequences) {
    run.phase("score");
    long t0 = System.nanoTime();
    SequenceSet.Forecast set = Task.expect(sequences, SequenceSet.Forecast.class, name());
    SeqmlConfig config = run.config();
    ModelArtifact artifact = Runs.publishedModel(run, KEYS, set);
    KeyScaling keyScaling = keyScaling(artifact);
    Dataset<Row> windows = set.windows().filter(col("split").isin(config.score().splits().toArray()));
    if (keyScaling != null) {
      windows = keyScaling.apply(windows, set.targetIndex());
    }
    int f = set.features().size();
    boolean relative = config.forecast().relativeToLast();
    Dataset<Row> lastValues = relative
        ? LastValueReference.lastValues(windows, f, set.targetIndex(), config.window().size()) : null;
    if (relative) {
      windows = LastValueReference.apply(windows, f, set.targetIndex(), config.window().size());
    }
    BatchScorer scorer = BatchScorer.of(JavaSparkContext.fromSparkContext(run.spark().sparkContext()), artifact,
        set.features().size(), config.window().size(), config.window().horizon(), config.score().batchSize(),
        config.forecast().levels());
    try {
      Dataset<Row> scored = scorer.score(windows);
      if (relative) { // from the change back to the level, in the scaled units
        scored = LastValueReference.addBack(scored, lastValues);
      }
      if (keyScaling != null) { // back into each key's own units
        scored = keyScaling.invert(scored, "key", set.targetIndex());
      }
      Dataset<Row> scores = scored.withColumnRenamed("key", set.keyName())
          .withColumn("target", org.apache.spark.sql.functions.lit(set.features().get(set.targetIndex())));
      long written = PartitionSink.write(run, Layout.SCORES, scores, set.source().rows(), artifact.modelId(), null);
      LOG.info("score ds={} rows={} model={} ({}s)", run.ds(), written, artifact.modelId(), Elapsed.seconds(t0));
      return written;
    } finally {
      scorer.release();
    }
  }

  @Override
  public ObjectNode evaluate(RunContext run, SequenceSet sequences) {
    return ForecastEvaluation.evaluate(run, Task.expect(sequences, SequenceSet.Forecast.class, name()));
  }

  @Override
  public boolean backtests() {
    return true;
  }

  @Override
  public ObjectNode backtest(RunContext run, SequenceSet sequences) {
    return ForecastBacktest.run(this, run, Task.expect(sequences, SequenceSet.Forecast.class, name()));
  }

  @Override
  public StructType reads() {
    return Schemas.select(SlidingWindows.SCHEMA, "key", "window_end_ts", "end_pos", "features", "target", "n_known",
        "split", "target_times");
  }

  @Override
  public List<Stage> stages(String keyName) {
    return List.of(new Stage("score", Layout.SCORES, rename(BatchScorer.SCHEMA, "key", keyName)
        .add("target", org.apache.spark.sql.types.DataTypes.StringType, false)));
  }

  static StructType rename(StructType schema, String from, String to) {
    StructType out = new StructType();
    for (var field : schema.fields()) {
      out = out.add(field.name().equals(from) ? field.copy(to, field.dataType(), field.nullable(), field.metadata())
          : field);
    }
    return out;
  }
}

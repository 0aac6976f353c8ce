package org.seqml.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.seqml.config.ConfigLoader;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.Manifest;
import org.seqml.io.PartitionSink;
import org.seqml.model.ModelArtifact;
import org.seqml.model.ModelMetadata;
import org.seqml.model.Runtimes;
import org.seqml.run.RunContext;
import org.seqml.train.Checkpoints;
import org.seqml.train.ParameterAveragingTrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every task does around its own work: checkpoints, model metadata and publishing, metrics.json. */
final class Runs {
  private static final Logger LOG = LoggerFactory.getLogger(Runs.class);

  private Runs() {}

  /** The run's checkpoint store, tied to its config and to the data context (scaler or vocabulary). */
  static Checkpoints checkpoints(RunContext run, JsonNode context) {
    String dir = run.config().train().checkpointDir().isBlank()
        ? run.layout().root() + "/checkpoints" : run.config().train().checkpointDir();
    return new Checkpoints(dir, run.config().train().checkpointKeep(), run.hadoop(), run.config().configHash(),
        context);
  }

  /** The data context a model needs to read windows: a scaler, or a vocabulary and its classes. */
  record Context(JsonNode scaler, JsonNode keyScales, JsonNode vocabulary, List<String> classes) {}

  /** Builds the model's metadata, publishes the artifact to the run's model folder and returns it. */
  static ModelArtifact publish(RunContext run, ParameterAveragingTrainer.Result result, SequenceSet.Source source,
      ModelMetadata.WindowSpec window, Context context, String validationMetric) {
    ModelMetadata.Training training = new ModelMetadata.Training(result.workers(), result.wallSeconds(),
        result.publishedEpoch(), result.executors(), result.epochs().stream()
        .map(e -> new ModelMetadata.Epoch(e.epoch(), e.trainLoss(), e.validationLoss(), e.samplesPerSecond(),
            e.seconds())).toList());
    ModelMetadata meta = new ModelMetadata(null, run.config().pipeline(), run.config().task(),
        Instant.now().toString(), run.runId(), run.ds(), run.codeVersion(), run.config().configHash(),
        json(run.config().resolvedJson()), Runtimes.current(run.config().model()), window, context.scaler(),
        context.keyScales(), context.vocabulary(), context.classes(),
        new ModelMetadata.Data(source.data(), source.rows() == null ? null : source.rows().toJson(),
            result.trainWindows(), result.validationWindows()),
        training, Map.of(validationMetric, result.epochs().get(result.publishedEpoch() - 1).validationLoss()));
    ModelArtifact artifact = ModelArtifact.of(result.network(), meta);
    artifact.save(run.layout().model(), run.hadoop());
    LOG.info("train ds={} published model {} to {}", run.ds(), artifact.modelId(), run.layout().model());
    return artifact;
  }

  /** The published model, refused when the config reads windows other than those it was trained on. */
  static ModelArtifact publishedModel(RunContext run, List<String> taskKeys, SequenceSet set) {
    ModelArtifact artifact = ModelArtifact.load(run.layout().model(), run.hadoop());
    List<String> keys = new java.util.ArrayList<>(taskKeys);
    keys.addAll(set.dependsOn());
    Compatibility.check(artifact, json(run.config().resolvedJson()), json(ConfigLoader.defaultsJson()), keys);
    return artifact;
  }

  /** metrics.json: which run, model and config the figures belong to, then the task's figures. */
  static ObjectNode writeMetrics(RunContext run, ObjectNode figures) {
    Manifest scores = PartitionSink.manifestOf(run, Layout.SCORES);
    ObjectNode metrics = Json.object();
    metrics.put("pipeline", run.config().pipeline());
    metrics.put("ds", run.ds());
    metrics.put("run_id", run.runId());
    metrics.put("model_id", scores.modelId());
    metrics.put("code_version", run.codeVersion());
    metrics.put("config_hash", run.config().configHash());
    metrics.put("evaluated_at", Instant.now().toString());
    metrics.setAll(figures);
    Json.write(run.layout().metrics(), metrics, run.hadoop());
    return metrics;
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

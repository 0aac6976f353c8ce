package org.seqml.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.seqml.io.Json;
import org.seqml.train.ParameterAveragingTrainer;

/** What every model's metadata and every metrics file says about the run that made it. */
final class Provenance {
  private Provenance() {}

  /** Pipeline, task, run, ds, code version and the resolved config with its hash. */
  static ObjectNode header(RunContext run) {
    ObjectNode meta = Json.object();
    meta.put("pipeline", run.config().pipeline());
    meta.put("task", run.config().task());
    meta.put("created_at", Instant.now().toString());
    meta.put("run_id", run.runId());
    meta.put("ds", run.ds());
    meta.put("code_version", run.codeVersion());
    meta.put("config_hash", run.config().configHash());
    meta.set("config", json(run.config().resolvedJson()));
    return meta;
  }

  /** The metrics.json header: which run, model and config the figures belong to. */
  static ObjectNode metricsHeader(RunContext run, JsonNode scoresManifest) {
    ObjectNode metrics = Json.object();
    metrics.put("pipeline", run.config().pipeline());
    metrics.put("ds", run.ds());
    metrics.put("run_id", run.runId());
    metrics.put("model_id", scoresManifest.get("model_id").asText());
    metrics.put("code_version", run.codeVersion());
    metrics.put("config_hash", run.config().configHash());
    metrics.put("evaluated_at", Instant.now().toString());
    return metrics;
  }

  /** Per-epoch losses and speed of a training run. */
  static ObjectNode training(ParameterAveragingTrainer.Result result) {
    ObjectNode training = Json.object();
    training.put("workers", result.workers());
    training.put("wall_seconds", result.wallSeconds());
    training.put("published_epoch", result.publishedEpoch());
    training.set("executors", result.executors());
    ArrayNode epochs = training.putArray("epochs");
    for (ParameterAveragingTrainer.Epoch e : result.epochs()) {
      ObjectNode node = epochs.addObject();
      node.put("epoch", e.epoch());
      node.put("train_loss", e.trainLoss());
      node.put("validation_loss", e.validationLoss());
      node.put("samples_per_second", e.samplesPerSecond());
      node.put("seconds", e.seconds());
    }
    return training;
  }

  /** {"rejected_by_reason": {reason: count}} for a rejects manifest. */
  static ObjectNode rejectedByReason(Dataset<Row> rejects) {
    ObjectNode extra = Json.object();
    ObjectNode byReason = extra.putObject("rejected_by_reason");
    for (Row r : rejects.groupBy("reason").count().orderBy("reason").collectAsList()) {
      byReason.put(r.getString(0), r.getLong(1));
    }
    return extra;
  }

  /** The run's checkpoint store, tied to its config and to the data context (scaler or vocabulary). */
  static org.seqml.train.Checkpoints checkpoints(RunContext run, JsonNode context) {
    String dir = run.config().train().checkpointDir().isBlank()
        ? run.layout().root() + "/checkpoints" : run.config().train().checkpointDir();
    return new org.seqml.train.Checkpoints(dir, run.config().train().checkpointKeep(), hadoop(run),
        run.config().configHash(), context);
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Configuration hadoop(RunContext run) {
    return run.spark().sparkContext().hadoopConfiguration();
  }
}

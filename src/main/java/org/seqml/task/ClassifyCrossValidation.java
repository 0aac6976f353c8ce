package org.seqml.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.model.ModelArtifact;
import org.seqml.run.RunContext;
import org.seqml.util.Elapsed;
import org.seqml.window.CrossValidationFolds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stratified k-fold cross-validation of sequence classification ({@link CrossValidationFolds}): the folds
 * trained in turn on the cluster, each scored and evaluated as the evaluate phase does (baselines and the
 * fitted threshold included). Every fold keeps its model, scores and metrics under cv/fold=i; cv/metrics.json
 * holds the folds' figures and each metric's mean and standard deviation over the folds, the way
 * cross-validated results are published.
 */
final class ClassifyCrossValidation {
  private static final Logger LOG = LoggerFactory.getLogger(ClassifyCrossValidation.class);

  private ClassifyCrossValidation() {}

  static Layout layout(RunContext run) {
    return new Layout(run.layout().root() + "/cv");
  }

  static ObjectNode run(ClassifyTask task, RunContext run, SequenceSet.Tokens set) {
    long t0 = System.nanoTime();
    SeqmlConfig config = run.config();
    int k = config.classify().folds();
    double validationShare = config.split().validation() / (config.split().train() + config.split().validation());
    Dataset<Row> sequences = set.sequences().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> windows = set.windows().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long seed = config.bio() == null ? 17 : config.bio().splitSeed();
      CrossValidationFolds folds = CrossValidationFolds.of(sequences, k, validationShare, seed);
      ArrayNode perFold = Json.MAPPER.createArrayNode();
      for (int f = 0; f < k; f++) {
        run.phase("cv fold " + (f + 1));
        RunContext foldRun = new RunContext(config, run.spark(), run.ds(), run.runId(), run.codeVersion(),
            new Layout(layout(run).root() + "/fold=" + (f + 1)));
        SequenceSet.Tokens fold = new SequenceSet.Tokens(folds.resplit(sequences, f), folds.resplit(windows, f),
            set.tokens(), String.format("stratified %d-fold cross-validation, fold %d tests (bio.split-seed %d)", k,
                f + 1, seed), set.source(), set.dependsOn());
        ModelArtifact model = task.train(foldRun, fold);
        task.score(foldRun, fold);
        ObjectNode metrics = task.evaluate(foldRun, fold);
        ObjectNode entry = Json.object();
        entry.put("fold", f + 1);
        entry.put("model_id", model.modelId());
        for (String field : List.of("sequences", "model", "model_at_fitted_threshold", "baselines")) {
          if (metrics.has(field)) {
            entry.set(field, metrics.get(field));
          }
        }
        perFold.add(entry);
        LOG.info("cv ds={} fold {}/{}: {} test sequences, mcc={}", run.ds(), f + 1, k, metrics.get("sequences"),
            metrics.at("/model/mcc"));
      }
      ObjectNode summary = Json.object();
      summary.put("pipeline", config.pipeline());
      summary.put("ds", run.ds());
      summary.put("run_id", run.runId());
      summary.put("code_version", run.codeVersion());
      summary.put("config_hash", config.configHash());
      summary.put("evaluated_at", Instant.now().toString());
      summary.put("folds", k);
      summary.put("split", String.format("stratified %d-fold by class, sequences ordered by a hash of their id "
          + "(bio.split-seed %d); in each fold %.0f%% of the other folds' sequences validate", k,
          seed, 100 * validationShare));
      summary.set("fold_metrics", perFold);
      summary.put("summary_is", "each metric's mean and standard deviation (n - 1) over the folds");
      summary.set("summary", meanAndSpread(perFold));
      Json.write(layout(run).metrics(), summary, run.hadoop());
      LOG.info("cv ds={} {} folds: model mcc {} ({}s)", run.ds(), k, summary.at("/summary/model/mcc"),
          Elapsed.seconds(t0));
      return summary;
    } finally {
      sequences.unpersist();
      windows.unpersist();
    }
  }

  /** Every numeric figure found in the folds (nested objects by path), as {mean, sd, folds}. */
  static ObjectNode meanAndSpread(ArrayNode folds) {
    Map<String, List<Double>> values = new LinkedHashMap<>();
    for (JsonNode fold : folds) {
      collect("", fold, values);
    }
    ObjectNode out = Json.object();
    values.forEach((path, v) -> {
      if (path.equals("fold") || v.size() != folds.size()) {
        return;
      }
      double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
      ObjectNode node = out;
      String[] parts = path.split("/");
      for (int i = 0; i < parts.length - 1; i++) {
        node = node.has(parts[i]) ? (ObjectNode) node.get(parts[i]) : node.putObject(parts[i]);
      }
      ObjectNode figure = node.putObject(parts[parts.length - 1]);
      figure.put("mean", mean);
      figure.put("sd", v.size() < 2 ? Double.NaN : Math.sqrt(ss / (v.size() - 1)));
    });
    return out;
  }

  private static void collect(String prefix, JsonNode node, Map<String, List<Double>> values) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = prefix.isEmpty() ? e.getKey() : prefix + "/" + e.getKey();
      if (e.getValue().isObject()) {
        collect(path, e.getValue(), values);
      } else if (e.getValue().isNumber()) {
        values.computeIfAbsent(path, p -> new ArrayList<>()).add(e.getValue().asDouble());
      }
    }
  }
}

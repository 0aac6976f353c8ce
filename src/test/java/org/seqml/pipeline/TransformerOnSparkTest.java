package org.seqml.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.model.ModelArtifact;
import org.seqml.run.CodeVersion;
import org.seqml.run.RunContext;

/**
 * The Transformer family end to end on Spark: the logs pipeline (pipelines/logs.conf, ci env) with
 * model.family = transformer, trained by SparkComputationGraph with parameter averaging, published,
 * reloaded for scoring, and judged against the same baselines as the LSTM.
 */
class TransformerOnSparkTest {
  @TempDir static Path out;

  @Test
  void theTransformerDetectsTheInjectedAnomalies() {
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("logs", "ci",
        List.of("output.dir=" + out, "model.family=transformer", "model.transformer.d-model=32",
            "model.transformer.feed-forward=64"));
    RunContext run = new RunContext(config, SparkTestSession.get(), "2024-03-04", "logs-transformer",
        CodeVersion.get(), Layout.of(config.outputDir(), "logs"));
    Phases.run(run);
    JsonNode metrics = Json.read(run.layout().metrics(), SparkTestSession.get().sparkContext().hadoopConfiguration());
    JsonNode model = metrics.get("model");
    assertTrue(model.get("f1").asDouble() > metrics.get("baselines").get("unseen_event").get("f1").asDouble(),
        metrics.toString());
    assertTrue(model.get("f1").asDouble() > metrics.get("baselines").get("length_outside_training_range").get("f1")
        .asDouble(), metrics.toString());
    assertTrue(model.get("recall").asDouble() > 0.7, model.toString());
    ModelArtifact artifact = ModelArtifact.load(run.layout().model(),
        SparkTestSession.get().sparkContext().hadoopConfiguration());
    assertEquals("transformer", artifact.metadata().get("config").get("model").get("family").asText());
    assertTrue(artifact.network().getVertex("block1") != null, "two encoder blocks");
  }
}

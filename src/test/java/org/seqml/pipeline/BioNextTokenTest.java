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
import org.seqml.run.CodeVersion;
import org.seqml.run.RunContext;

/** Next-token modelling of unlabelled DNA (pipelines/bio-next-token.conf, small): bits per token. */
class BioNextTokenTest {
  @TempDir static Path out;

  @Test
  void predictsBasesBetterThanUniformAndReportsTheBaselines() {
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("bio-next-token", "ci", List.of("output.dir=" + out,
        "bio.generator.sequences=100", "train.epochs=2", "train.max-windows=2000", "window.size=16"));
    RunContext run = new RunContext(config, SparkTestSession.get(), "2024-03-04", "bio-next-token",
        CodeVersion.get(), Layout.of(config.outputDir(), "bio-next-token"));
    Phases.run(run);
    JsonNode metrics = Json.read(run.layout().metrics(), SparkTestSession.get().sparkContext().hadoopConfiguration());
    double model = metrics.get("model").get("bits_per_token").asDouble();
    JsonNode baselines = metrics.get("baselines");
    // Generated bases are close to uniform over A C G T (2 bits); the vocabulary also holds N and unknown.
    assertTrue(model < baselines.get("uniform").get("bits_per_token").asDouble(), metrics.toString());
    assertTrue(model < 2.2, metrics.toString());
    assertTrue(baselines.get("unigram").get("bits_per_token").asDouble() < 2.2, metrics.toString());
    assertTrue(baselines.has("markov_order_3"));
    assertEquals(Math.pow(2, model), metrics.get("model").get("perplexity").asDouble(), 1e-9);
    PlanContract.assertEveryStageWroteItsDeclaredSchema(run);
  }
}

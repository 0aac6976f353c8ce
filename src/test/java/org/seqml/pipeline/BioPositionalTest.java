package org.seqml.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.run.CodeVersion;
import org.seqml.run.RunContext;

/**
 * pipelines/bio-positional.conf: three classes told apart only by where the same two boxes sit. The cnn
 * family with flatten pooling separates them; the k-mer logistic regression, which sees counts, cannot.
 */
class BioPositionalTest {
  @TempDir static Path out;
  static JsonNode metrics;

  @BeforeAll
  static void runThePipeline() {
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("bio-positional", "ci",
        List.of("output.dir=" + out, "train.epochs=8"));
    RunContext run = new RunContext(config, SparkTestSession.get(), "2024-03-04", "bio-positional",
        CodeVersion.get(), Layout.of(config.outputDir(), "bio-positional"));
    Phases.run(run);
    metrics = Json.read(run.layout().metrics(), SparkTestSession.get().sparkContext().hadoopConfiguration());
  }

  @Test
  void positionsBeatCounts() {
    assertEquals(3, metrics.get("classes").size(), metrics.toString());
    double model = metrics.at("/model/accuracy").asDouble();
    double counts = metrics.at("/baselines/kmer_logistic_regression/accuracy").asDouble();
    assertTrue(counts < 0.55, "k-mer counts should not tell the classes apart: " + counts);
    assertTrue(model > counts + 0.3, "cnn + flatten " + model + " against k-mer LR " + counts);
    assertTrue(metrics.at("/model/mcc").asDouble() > 0.6, metrics.get("model").toString());
  }
}

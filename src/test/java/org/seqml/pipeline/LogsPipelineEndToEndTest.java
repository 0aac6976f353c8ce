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
import org.seqml.io.PartitionSink;
import org.seqml.model.ModelArtifact;
import org.seqml.run.CodeVersion;
import org.seqml.run.RunContext;

/** The logs pipeline on generated service logs, all phases (pipelines/logs.conf with conf/env/ci.conf). */
class LogsPipelineEndToEndTest {
  @TempDir static Path out;
  static RunContext run;
  static JsonNode metrics;

  @BeforeAll
  static void runThePipeline() {
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("logs", "ci", List.of("output.dir=" + out));
    run = new RunContext(config, SparkTestSession.get(), "2024-03-04", "logs-e2e", CodeVersion.get(),
        Layout.of(config.outputDir(), "logs"));
    Phases.run(run);
    metrics = Json.read(run.layout().metrics(), SparkTestSession.get().sparkContext().hadoopConfiguration());
  }

  @Test
  void findsTheInjectedAnomaliesBetterThanBothBaselines() {
    double model = metrics.get("model").get("f1").asDouble();
    assertTrue(model > metrics.get("baselines").get("unseen_event").get("f1").asDouble(), metrics.toString());
    assertTrue(model > metrics.get("baselines").get("length_outside_training_range").get("f1").asDouble());
    assertTrue(metrics.get("model").get("recall").asDouble() > 0.8, metrics.get("model").toString());
    assertTrue(metrics.get("model").get("false_positive_rate").asDouble() < 0.05, metrics.get("model").toString());
    assertTrue(metrics.get("abnormal_sessions").asLong() > 50);
  }

  @Test
  void everyLineIsAccountedForAndNoiseIsRejectedWithAReason() {
    JsonNode events = PartitionSink.manifest(run, Layout.EVENTS);
    JsonNode rejects = PartitionSink.manifest(run, Layout.REJECTS);
    long rejected = events.get("rows").get("rejected").asLong();
    assertEquals(rejected, rejects.get("rows_written").asLong(), "every rejected line is in the rejects table");
    assertEquals(events.get("rows").get("accepted").asLong(), PartitionSink.read(run, Layout.EVENTS)
        .select("source", "line").distinct().count(), "every accepted line is in the events table");
    assertTrue(rejects.get("rejected_by_reason").path("no_session_id").asLong() > 0, "heartbeats have no request");
    assertTrue(rejects.get("rejected_by_reason").path("format_mismatch").asLong() > 0, "stack-trace lines");
  }

  @Test
  void everyStageWroteTheSchemaItDeclares() {
    PlanContract.assertEveryStageWroteItsDeclaredSchema(run);
  }

  @Test
  void theArtifactCarriesTheVocabularyWithAnExplicitUnknown() {
    ModelArtifact artifact = ModelArtifact.load(run.layout().model(),
        SparkTestSession.get().sparkContext().hadoopConfiguration());
    JsonNode vocabulary = artifact.metadata().get("vocabulary");
    assertTrue(vocabulary.size() >= 10, vocabulary.toString());
    assertEquals(vocabulary.size() + 2, ((org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer) artifact.network().getLayer("embed").conf().getLayer()).getNIn(), "classes = pad + unknown + known");
    assertEquals(metrics.get("model_id").asText(), artifact.modelId());
  }

  @Test
  void theReportIsAnOfflinePageWithCharts() throws java.io.IOException {
    ReportAssertions.assertOfflineReportWithCharts(run, metrics.get("model_id").asText());
    String html = java.nio.file.Files.readString(java.nio.file.Path.of(run.layout().root(), "report", "index.html"));
    int at = html.indexOf("<h2>ROC and precision-recall of the anomaly score</h2>");
    assertTrue(at > 0, "the anomaly score's ROC and precision-recall");
    assertEquals(2, html.substring(at).split("</h2>", 3)[1].split("<img", -1).length - 1, "two charts under it");
  }

}

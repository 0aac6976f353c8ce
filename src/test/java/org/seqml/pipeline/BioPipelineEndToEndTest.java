package org.seqml.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.run.CodeVersion;
import org.seqml.run.RunContext;

/**
 * The bio pipeline on generated DNA (pipelines/bio.conf with conf/env/ci.conf), classified by the
 * LSTM family (the Transformer runs on Spark in TransformerOnSparkTest): FASTA files written, read back, windowed, trained with parameter averaging,
 * scored per window and per sequence, evaluated beside the baselines, reported.
 */
class BioPipelineEndToEndTest {
  @TempDir static Path out;
  static RunContext run;
  static JsonNode metrics;

  @BeforeAll
  static void runThePipeline() {
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("bio", "ci",
        List.of("output.dir=" + out, "train.epochs=8"));
    run = new RunContext(config, SparkTestSession.get(), "2024-03-04", "bio-e2e", CodeVersion.get(),
        Layout.of(config.outputDir(), "bio"));
    Phases.run(run);
    metrics = Json.read(run.layout().metrics(), SparkTestSession.get().sparkContext().hadoopConfiguration());
  }

  /** A positive class the labels do not have is refused before training, naming the key and the classes. */
  @Test
  void aPositiveClassTheLabelsLackIsRefusedBeforeTraining() {
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("bio", "ci",
        List.of("output.dir=" + out, "train.epochs=8", "bio.positive-class=bound"));
    RunContext other = new RunContext(config, SparkTestSession.get(), "2024-03-04", "bio-e2e-positive",
        CodeVersion.get(), Layout.of(config.outputDir(), "bio"));
    org.seqml.util.Refusal e = org.junit.jupiter.api.Assertions.assertThrows(org.seqml.util.Refusal.class,
        () -> Phases.train(other));
    assertTrue(e.getMessage().contains("bio.positive-class is \"bound\"") && e.getMessage().contains("promoter"),
        e.getMessage());
  }

  @Test
  void findsThePromotersBetterThanTheMajorityClass() {
    JsonNode model = metrics.get("model");
    JsonNode majority = metrics.get("baselines").get("majority_class");
    assertTrue(model.get("accuracy").asDouble() > majority.get("accuracy").asDouble() + 0.1, metrics.toString());
    // 1,200 generated sequences and 8 epochs in CI; the full demo reaches MCC 0.56, AUC 0.85.
    assertTrue(model.get("mcc").asDouble() > 0.25, model.toString());
    assertTrue(model.get("roc_auc").asDouble() > 0.65, model.toString());
    assertTrue(metrics.get("baselines").get("kmer_logistic_regression").has("mcc"));
    assertEquals("promoter", metrics.get("positive_class").asText());
  }

  @Test
  void everyRecordIsAccountedForAndBrokenOnesAreRejectedWithAReason() {
    JsonNode sequences = PartitionSink.manifest(run, Layout.SEQUENCES);
    JsonNode rejects = PartitionSink.manifest(run, Layout.REJECTS);
    JsonNode rows = sequences.get("rows");
    assertEquals(rows.get("in").asLong(), rows.get("accepted").asLong() + rows.get("rejected").asLong());
    assertEquals(rows.get("rejected").asLong(), rejects.get("rows_written").asLong());
    assertTrue(rows.get("rejected").asLong() > 0, "the generator breaks some records on purpose");
    assertEquals(rows.get("accepted").asLong(), sequences.get("rows_written").asLong());
  }

  @Test
  void everySequenceIsScoredOnceWithItsWindowsAveraged() {
    long sequences = PartitionSink.read(run, Layout.SEQUENCES).count();
    List<Row> scores = PartitionSink.read(run, Layout.SCORES).collectAsList();
    assertEquals(sequences, scores.size(), "score.splits covers every split in the ci run");
    Row longest = scores.stream().max((a, b) -> Integer.compare(a.getInt(1), b.getInt(1))).orElseThrow();
    assertTrue(longest.getInt(5) > 1, "a sequence longer than the window has several windows");
    assertEquals(longest.getInt(5), PartitionSink.read(run, Layout.WINDOW_SCORES)
        .filter(org.apache.spark.sql.functions.col("sequence_id").equalTo(longest.getString(0))).count());
    for (Row r : scores) {
      List<Float> p = r.getList(4);
      assertEquals(1.0, p.stream().mapToDouble(Float::doubleValue).sum(), 1e-3);
    }
  }

  @Test
  void everyStageWroteTheSchemaItDeclares() {
    PlanContract.assertEveryStageWroteItsDeclaredSchema(run);
  }

  @Test
  void theReportShowsTheClassificationTableAndRoc() throws java.io.IOException {
    String modelId = metrics.get("model_id").asText();
    ReportAssertions.assertOfflineReportWithCharts(run, modelId);
    String html = java.nio.file.Files.readString(Path.of(run.layout().root(), "report", "index.html"));
    assertTrue(html.contains("kmer_logistic_regression") && html.contains("ROC"), "classification table and ROC");
    JsonNode model = metrics.get("model");
    assertTrue(html.contains("<h3>Confusion of the model (test; rows actual, columns predicted)</h3>"), "a confusion matrix");
    // each row of the matrix as metrics.json counts it, in the classes' order
    JsonNode matrix = model.get("confusion");
    String table = html.substring(html.indexOf("<h3>Confusion of the model"));
    for (int a = 0; a < matrix.size(); a++) {
      String row = "<tr><td>" + metrics.get("classes").get(a).asText() + "</td>";
      int at = table.indexOf(row);
      assertTrue(at >= 0, "a row for " + row);
      for (JsonNode n : matrix.get(a)) {
        at = table.indexOf("\">" + n.asLong() + " <small>", at);
        assertTrue(at >= 0, "the model's counts in the row of class " + a + ": " + matrix);
      }
    }
    assertEquals(model.get("tp").asLong() + model.get("fn").asLong() + model.get("fp").asLong()
        + model.get("tn").asLong(), sum(matrix), "the matrix and the two-class counts hold the same sequences");
  }

  private static long sum(JsonNode matrix) {
    long n = 0;
    for (JsonNode row : matrix) {
      for (JsonNode v : row) {
        n += v.asLong();
      }
    }
    return n;
  }
}

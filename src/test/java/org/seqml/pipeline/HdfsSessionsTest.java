package org.seqml.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SharedData;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.run.CodeVersion;
import org.seqml.run.RunContext;

/**
 * pipelines/logs-hdfs.conf on the HDFS sessions of Xu et al. (2 epochs to keep CI short; the note
 * reports the full run). Measured here: precision 0.998, recall 1.000, false-positive rate 0.016 with
 * the validation-fitted threshold; the bounds leave room for floating-point differences between
 * machines and stay far above both baselines (F1 0.53 and 0.54 on this data).
 */
class HdfsSessionsTest {
  @TempDir Path out;

  @Test
  void detectsHdfsAnomaliesBetterThanTheBaselinesAtALowFalsePositiveRate() {
    Path data = SharedData.require("logs/sessions/hdfs_xu");
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("logs-hdfs", "ci",
        List.of("output.dir=" + out, "ingest.path=" + data, "train.epochs=2"));
    RunContext run = new RunContext(config, SparkTestSession.get(), "2024-03-04", "hdfs-1", CodeVersion.get(),
        Layout.of(config.outputDir(), config.pipeline()));
    Phases.run(run);
    JsonNode metrics = Json.read(run.layout().metrics(), SparkTestSession.get().sparkContext().hadoopConfiguration());
    JsonNode model = metrics.get("model");
    assertTrue(metrics.get("abnormal_sessions").asLong() == 16_838, "every abnormal session is tested");
    assertTrue(model.get("false_positive_rate").asDouble() <= 0.03, model.toString());
    assertTrue(model.get("recall").asDouble() >= 0.9, model.toString());
    assertTrue(model.get("precision").asDouble() >= 0.95, model.toString());
    double f1 = model.get("f1").asDouble();
    assertTrue(f1 > metrics.get("baselines").get("unseen_event").get("f1").asDouble() + 0.1, metrics.toString());
    assertTrue(f1 > metrics.get("baselines").get("length_outside_training_range").get("f1").asDouble() + 0.1);
  }
}

package org.seqml.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.seqml.io.PartitionSink;
import org.seqml.run.CodeVersion;
import org.seqml.run.RunContext;

/**
 * pipelines/ticks-lobster.conf on the AMZN sample day, all phases (two epochs to keep CI short).
 * Real data is reported honestly, not asserted to beat the baselines: this checks the pipeline
 * file works end to end and that its accounting and metrics are complete.
 */
class LobsterPipelineTest {
  @TempDir Path out;

  @Test
  void amznDayRunsEndToEnd() {
    Path zip = SharedData.require("ticks/lobster/LOBSTER_SampleFile_AMZN_2012-06-21_1.zip");
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("ticks-lobster", "ci",
        List.of("output.dir=" + out, "ingest.path=" + zip, "train.epochs=2"));
    RunContext run = new RunContext(config, SparkTestSession.get(), "2012-06-21", "lobster-1", CodeVersion.get(),
        Layout.of(config.outputDir(), config.pipeline()));
    Phases.run(run);
    JsonNode rows = PartitionSink.manifest(run, Layout.SCORES).get("rows");
    assertEquals(57_515, rows.get("in").asLong());
    assertEquals(PartitionSink.manifest(run, Layout.TICKS).get("rows_written").asLong(), rows.get("accepted").asLong());
    assertEquals(0, rows.get("rejected").asLong(), "the AMZN sample is clean");
    JsonNode metrics = Json.read(run.layout().metrics(), SparkTestSession.get().sparkContext().hadoopConfiguration());
    assertTrue(metrics.get("rows").asLong() > 1000, "test rows " + metrics.get("rows"));
    for (String who : List.of("model", "repeat", "zero")) {
      assertTrue(Double.isFinite(metrics.get("overall").get(who).get("rmse").asDouble()), who);
    }
  }
}

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

/** The series pipeline on generated hourly series, all phases (pipelines/series.conf with conf/env/ci.conf). */
class SeriesPipelineEndToEndTest {
  @TempDir static Path out;
  static RunContext run;
  static JsonNode metrics;

  @BeforeAll
  static void runThePipeline() {
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("series", "ci", List.of("output.dir=" + out));
    run = new RunContext(config, SparkTestSession.get(), "2024-03-04", "series-e2e", CodeVersion.get(),
        Layout.of(config.outputDir(), "series"));
    Phases.run(run);
    metrics = Json.read(run.layout().metrics(), SparkTestSession.get().sparkContext().hadoopConfiguration());
  }

  @Test
  void forecastsBetterThanTheSeasonalNaiveAndTheOtherBaselines() {
    JsonNode overall = metrics.get("overall");
    double model = overall.get("model").get("mse_standardised").asDouble();
    for (String baseline : List.of("seasonal_naive", "last_value", "window_mean")) {
      assertTrue(model < overall.get(baseline).get("mse_standardised").asDouble(), baseline + ": " + overall);
    }
    assertEquals("per-key", metrics.get("scaling").asText());
  }

  @Test
  void scoresAreInEachSeriesOwnUnits() {
    // levels run from 10 to 1,000 across the generated series: the scores' actual values are the loads read in
    Row range = PartitionSink.read(run, Layout.SCORES).filter("actual IS NOT NULL")
        .groupBy("series").agg(org.apache.spark.sql.functions.avg("actual"), org.apache.spark.sql.functions.avg(
            "prediction")).agg(org.apache.spark.sql.functions.min("avg(actual)"),
            org.apache.spark.sql.functions.max("avg(actual)")).first();
    assertTrue(range.getDouble(1) / range.getDouble(0) > 3, "series keep their own levels: " + range);
    double error = PartitionSink.read(run, Layout.SCORES).filter("actual IS NOT NULL")
        .selectExpr("avg(abs(prediction - actual) / abs(actual))").first().getDouble(0);
    assertTrue(error < 0.2, "predictions in the same units as the actual values: mean relative error " + error);
  }

  @Test
  void quantilesNeverCrossAndTheirIntervalCoversRoughlyItsShare() {
    long rows = PartitionSink.read(run, Layout.SCORES).count();
    long ordered = PartitionSink.read(run, Layout.SCORES).filter("size(quantiles) = 3 AND quantiles['0.1'] <= "
        + "quantiles['0.5'] AND quantiles['0.5'] <= quantiles['0.9'] AND prediction = quantiles['0.5']").count();
    assertEquals(rows, ordered, "every score row has three ordered levels, the median as its prediction");
    JsonNode quantiles = metrics.get("quantiles");
    assertEquals(0, quantiles.get("crossings").asLong());
    double coverage = quantiles.get("interval").get("coverage").asDouble();
    assertTrue(coverage > 0.5 && coverage < 0.98, "the 10-90 % interval covers " + coverage);
    assertTrue(quantiles.get("coverage").get("0.1").asDouble() < quantiles.get("coverage").get("0.9").asDouble());
  }

  @Test
  void theReportShowsTheQuantilesAndAFanPerKey() throws java.io.IOException {
    String html = java.nio.file.Files.readString(Path.of(run.layout().root(), "report", "index.html"));
    assertTrue(html.contains("<h2>Quantile forecast</h2>"), "a quantile table");
    // loss curves, RMSE by horizon step, one step ahead, then a fan for each of the first three series
    assertEquals(6, html.split("<img ", -1).length - 1, "images in the report");
    assertTrue(html.contains("<h2>Error by horizon step</h2><p><img"), "the per-horizon error chart");
    ReportAssertions.assertOfflineReportWithCharts(run, metrics.get("model_id").asText());
  }

  @Test
  void everyRowIsAccountedFor() {
    JsonNode manifest = PartitionSink.manifest(run, Layout.SERIES);
    assertEquals(manifest.get("rows").get("in").asLong(), manifest.get("rows").get("accepted").asLong()
        + manifest.get("rows").get("rejected").asLong());
    assertEquals(manifest.get("rows").get("accepted").asLong(), manifest.get("rows_written").asLong());
  }

  @Test
  void everyStageWroteTheSchemaItDeclares() {
    PlanContract.assertEveryStageWroteItsDeclaredSchema(run);
  }
}

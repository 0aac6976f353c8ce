package org.seqml.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
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
 * A rolling-origin backtest of the series pipeline on generated series: three folds, a model trained at the
 * first and third (backtest.retrain-every = 2), each fold's forecasts scored on Spark.
 */
class SeriesBacktestEndToEndTest {
  @TempDir static Path out;
  static RunContext run;
  static JsonNode metrics;
  static RunContext backtest;

  @BeforeAll
  static void backtestThePipeline() {
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("series", "ci", List.of("output.dir=" + out,
        "backtest.folds=3", "backtest.retrain-every=2"));
    run = new RunContext(config, SparkTestSession.get(), "2024-03-04", "series-backtest", CodeVersion.get(),
        Layout.of(config.outputDir(), "series"));
    Phases.ingest(run);
    Phases.window(run);
    Phases.backtest(run);
    Layout layout = new Layout(run.layout().root() + "/backtest");
    metrics = Json.read(layout.metrics(), run.hadoop());
    backtest = new RunContext(config, run.spark(), run.ds(), run.runId(), run.codeVersion(), layout);
  }

  @Test
  void noFoldsModelSawDataAtOrAfterItsOrigin() {
    JsonNode folds = metrics.get("fold_metrics");
    assertEquals(3, folds.size());
    Instant previous = Instant.MIN;
    for (JsonNode fold : folds) {
      Instant origin = Instant.parse(fold.get("origin").asText());
      assertTrue(origin.isAfter(previous), "origins step forward: " + folds);
      previous = origin;
      Instant seen = Instant.parse(fold.get("trained").get("data_until").asText());
      assertTrue(seen.isBefore(origin), "fold " + fold.get("fold") + " trained on data until " + seen
          + ", its origin is " + origin);
    }
    // retrain-every = 2: the second fold reuses the first's model, the third trains on more
    assertEquals(folds.get(0).get("model_id"), folds.get(1).get("model_id"));
    assertEquals(1, folds.get(1).get("trained").get("fold").asInt());
    assertNotEquals(folds.get(0).get("model_id"), folds.get(2).get("model_id"));
    assertTrue(folds.get(2).get("trained").get("windows").asLong() > folds.get(0).get("trained").get("windows")
        .asLong());
  }

  @Test
  void everyFoldsForecastsAreInTheTableFromItsOwnOrigins() {
    Dataset<Row> forecasts = PartitionSink.read(backtest, "forecasts");
    long rows = 0;
    for (JsonNode fold : metrics.get("fold_metrics")) {
      rows += fold.get("rows").asLong();
      Dataset<Row> own = forecasts.filter("fold = " + fold.get("fold").asInt());
      assertTrue(own.count() > 0);
      long outside = own.filter(org.apache.spark.sql.functions.col("window_end_ts")
          .lt(org.apache.spark.sql.functions.lit(java.sql.Timestamp.from(Instant.parse(fold.get("origin").asText()))))
          .or(org.apache.spark.sql.functions.col("window_end_ts").geq(org.apache.spark.sql.functions.lit(
              java.sql.Timestamp.from(Instant.parse(fold.get("until").asText())))))).count();
      assertEquals(0, outside, "fold " + fold.get("fold") + " forecasts only from its origins");
      assertEquals(1, own.select("model_id").distinct().count());
      assertEquals(fold.get("model_id").asText(), own.first().getAs("model_id"));
    }
    assertEquals(rows, forecasts.filter("actual IS NOT NULL").count(), "every evaluated forecast is in the table");
  }

  @Test
  void theReportShowsTheFolds() throws java.io.IOException {
    Phases.report(run);
    String html = java.nio.file.Files.readString(java.nio.file.Path.of(run.layout().root(), "report", "index.html"));
    assertTrue(html.contains("<h2>Rolling-origin backtest</h2>"), "a backtest section");
  }

  @Test
  void theModelBeatsTheSeasonalNaiveOverTheFolds() {
    JsonNode overall = metrics.get("overall");
    double model = overall.get("model").get("mse_standardised").asDouble();
    assertTrue(model < overall.get("seasonal_naive").get("mse_standardised").asDouble(), overall.toString());
    double coverage = metrics.get("quantiles").get("interval_coverage").asDouble();
    assertTrue(coverage > 0.5 && coverage < 1, "the folds' 10-90 % interval covers " + coverage);
  }
}

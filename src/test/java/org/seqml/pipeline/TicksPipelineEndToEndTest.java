package org.seqml.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.ticks.TickFeatures;
import org.seqml.io.Json;
import org.seqml.io.KeyClustering;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.model.ModelArtifact;
import org.seqml.run.CodeVersion;
import org.seqml.run.RunContext;
import org.seqml.score.BatchScorer;
import org.seqml.window.SlidingWindows;

/** The ticks pipeline on generated data, all phases, as a user runs it (conf/env/ci.conf sizes). */
class TicksPipelineEndToEndTest {
  static final String DS = "2024-03-04";
  @TempDir static Path out;
  static SeqmlConfig config;
  static RunContext run;
  static JsonNode metrics;
  static SparkSession spark;

  @BeforeAll
  static void runThePipeline() {
    spark = SparkTestSession.get();
    config = new ConfigLoader(Path.of(".")).load("ticks", "ci", List.of("output.dir=" + out));
    run = new RunContext(config, spark, DS, "e2e-1", CodeVersion.get(), Layout.of(config.outputDir(), "ticks"));
    Phases.run(run);
    metrics = Json.read(run.layout().metrics(), hadoop());
  }

  static Configuration hadoop() {
    return spark.sparkContext().hadoopConfiguration();
  }

  @Test
  void modelBeatsTheNaiveBaselinesOnGeneratedTicks() {
    JsonNode overall = metrics.get("overall");
    double model = overall.get("model").get("rmse").asDouble();
    assertTrue(model < overall.get("repeat").get("rmse").asDouble(), "RMSE vs repeat: " + overall);
    assertTrue(model < overall.get("zero").get("rmse").asDouble(), "RMSE vs zero: " + overall);
    assertTrue(overall.get("model").get("mae").asDouble() < overall.get("repeat").get("mae").asDouble());
    assertTrue(overall.get("model").get("directional_accuracy").asDouble()
        > overall.get("majority_direction").get("directional_accuracy").asDouble(), "direction: " + overall);
    assertEquals(config.window().horizon(), metrics.get("by_horizon_step").size());
    assertTrue(metrics.get("rows").asLong() > 1000);
  }

  @Test
  void everyPartitionHasAManifestWhoseCountsAddUp() {
    for (String table : List.of(Layout.TICKS, Layout.REJECTS, Layout.STEPS, Layout.SCORES)) {
      JsonNode m = PartitionSink.manifest(run, table);
      JsonNode rows = m.get("rows");
      assertEquals(3 * 6000, rows.get("in").asLong(), "generator ticks in " + table);
      assertEquals(PartitionSink.manifest(run, Layout.TICKS).get("rows_written").asLong(),
          rows.get("accepted").asLong(), "accepted = the ticks written, in " + table);
      assertEquals(PartitionSink.manifest(run, Layout.REJECTS).get("rows_written").asLong(),
          rows.get("rejected").asLong(), "rejected = the rejects written, in " + table);
      assertEquals(DS, m.get("ds").asText());
      assertEquals(config.configHash(), m.get("config_hash").asText());
      assertEquals(CodeVersion.get(), m.get("code_version").asText());
      assertEquals(PartitionSink.SCHEMA_VERSION, m.get("schema_version").asInt());
      assertEquals(spark.read().parquet(run.layout().partition(table, DS)).count(), m.get("rows_written").asLong());
    }
    assertEquals(metrics.get("model_id").asText(), PartitionSink.manifest(run, Layout.SCORES).get("model_id").asText());
    assertTrue(PartitionSink.manifest(run, Layout.TICKS).get("data").get("content_hash").asText().startsWith("xxhash64"));
  }

  /** The provenance observed while the ticks were written is what a scan of the written ticks finds. */
  @Test
  void theTicksProvenanceIsThatOfTheTicksWritten() {
    Dataset<Row> written = PartitionSink.read(run, Layout.TICKS);
    org.apache.spark.sql.Column[] all = java.util.Arrays.stream(written.drop("ds").columns())
        .map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new);
    Row r = written.agg(org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)),
        org.apache.spark.sql.functions.min("ts"), org.apache.spark.sql.functions.max("ts"),
        org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.xxhash64(all).cast("decimal(38,0)")),
        org.apache.spark.sql.functions.countDistinct(org.apache.spark.sql.functions.col("symbol"))).first();
    JsonNode data = PartitionSink.manifest(run, Layout.TICKS).get("data");
    assertEquals(r.getLong(0), data.get("rows").asLong());
    assertEquals(r.getTimestamp(1).toInstant().toString(), data.get("first_ts").asText());
    assertEquals(r.getTimestamp(2).toInstant().toString(), data.get("last_ts").asText());
    assertEquals("xxhash64-sum:" + r.getDecimal(3).toPlainString(), data.get("content_hash").asText());
    assertEquals(r.getLong(4), data.get("keys").asLong());
  }

  @Test
  void everyStageWroteTheSchemaItDeclares() {
    PlanContract.assertEveryStageWroteItsDeclaredSchema(run);
  }

  @Test
  void parquetUsesMicrosecondTimestamps() throws IOException {
    MessageType scores = footer(Layout.SCORES);
    assertTrue(scores.getType("window_end_ts").toString().contains("TIMESTAMP(MICROS"), scores.toString());
    MessageType steps = footer(Layout.STEPS);
    assertTrue(steps.getType("ts").toString().contains("TIMESTAMP(MICROS"), steps.toString());
    assertFalse(footer(Layout.TICKS).toString().contains("int96"), "no legacy INT96 timestamps");
  }

  /** The window phase writes steps; windows cut from them on read are the windows of the features, one by one. */
  @Test
  void windowsCutOnReadAreTheWindowsOfTheTicksFeatures() {
    Dataset<Row> ticks = PartitionSink.read(run, Layout.TICKS);
    JsonNode split = PartitionSink.manifest(run, Layout.STEPS).get("split");
    java.sql.Timestamp[] cuts = {
        java.sql.Timestamp.from(java.time.Instant.parse(split.get("validation_from").asText())),
        java.sql.Timestamp.from(java.time.Instant.parse(split.get("test_from").asText()))};
    // The cuts are the split's quantiles of the steps' times, within the documented 0.1 % of the rows.
    Dataset<Row> stepTimes = PartitionSink.read(run, Layout.STEPS).select("ts");
    long steps = stepTimes.count();
    double[] quantiles = {config.split().train(), config.split().train() + config.split().validation()};
    for (int i = 0; i < 2; i++) {
      double rank = stepTimes.filter(col("ts").lt(functions.lit(cuts[i]))).count() / (double) steps;
      assertEquals(quantiles[i], rank, 1e-3, "cut " + i + " at " + cuts[i].toInstant());
    }
    Dataset<Row> direct = SlidingWindows.of(TickFeatures.compute(ticks, config.features()),
        config.features().columns(), config.window(), cuts);
    // The generator's ticks and the steps both come out whole symbols per file in order, so the window
    // phase and this read took the path without a shuffle; the windows must be those of the shuffle path.
    for (String table : List.of(Layout.TICKS, Layout.STEPS)) {
      JsonNode clustering = PartitionSink.manifest(run, table).get("clustering");
      assertTrue(KeyClustering.trusted(run.spark(), clustering, run.layout().partition(table, run.ds())),
          table + ": " + clustering);
    }
    Dataset<Row> shuffled = TickFeatures.compute(ticks, config.features());
    Dataset<Row> streamed = PartitionSink.read(run, Layout.STEPS);
    assertEquals(shuffled.count(), streamed.count());
    assertEquals(0, shuffled.except(streamed).count(), "the steps are those of the shuffle path");
    Dataset<Row> cut = Phases.windows(run);
    long n = direct.count();
    assertTrue(n > 1000, "windows: " + n);
    assertEquals(n, cut.count());
    assertEquals(0, direct.except(cut).count(), "every window of the features is cut on read");
    assertEquals(0, cut.except(direct).count(), "and nothing else");
    assertEquals(3, cut.select("split").distinct().filter("split != 'gap'").count(), "train, validation, test");
  }

  @Test
  void windowsOfAnotherSplitThanTheStepsWereCutAtAreRefused() {
    SeqmlConfig other = new ConfigLoader(Path.of(".")).load("ticks", "ci",
        List.of("output.dir=" + out, "split.train=" + (config.split().train() - 0.1)));
    RunContext otherRun = new RunContext(other, spark, DS, "e2e-split", CodeVersion.get(), run.layout());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Phases.windows(otherRun));
    assertTrue(e.getMessage().contains("re-run the window phase"), e.getMessage());
  }

  @Test
  void windowsOfOtherFeaturesThanTheStepsHoldAreRefused() {
    SeqmlConfig other = new ConfigLoader(Path.of(".")).load("ticks", "ci",
        List.of("output.dir=" + out, "features.return-scale=100"));
    RunContext otherRun = new RunContext(other, spark, DS, "e2e-features", CodeVersion.get(), run.layout());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Phases.windows(otherRun));
    assertTrue(e.getMessage().contains("return_scale") && e.getMessage().contains("re-run the window phase"),
        e.getMessage());
  }

  private MessageType footer(String table) throws IOException {
    Path partition = Path.of(run.layout().partition(table, DS));
    Path file;
    try (Stream<Path> files = Files.list(partition)) {
      file = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    try (ParquetFileReader reader = ParquetFileReader.open(
        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), hadoop()))) {
      return reader.getFooter().getFileMetaData().getSchema();
    }
  }

  @Test
  void aRerunOfTheSameDsReplacesOnlyThatPartition() throws IOException {
    RunContext other = new RunContext(config, spark, "2024-03-05", "e2e-2", CodeVersion.get(), run.layout());
    Phases.ingest(other);
    Map<String, Long> before = snapshot(Path.of(run.layout().partition(Layout.TICKS, "2024-03-05")));
    long ticks = spark.read().parquet(run.layout().partition(Layout.TICKS, DS)).count();
    long scores = spark.read().parquet(run.layout().partition(Layout.SCORES, DS)).count();

    RunContext again = new RunContext(config, spark, DS, "e2e-3", CodeVersion.get(), run.layout());
    Path retired = Path.of(run.layout().partition(Layout.WINDOWS, DS)); // as an earlier seqml left it
    Files.createDirectories(retired);
    Files.writeString(retired.resolve(PartitionSink.MANIFEST), "{}");
    Phases.ingest(again);
    Phases.window(again);
    assertFalse(Files.exists(retired), "the window phase removes the ticks windows partition it no longer writes");
    Phases.score(again);

    Dataset<Row> allTicks = spark.read().parquet(run.layout().table(Layout.TICKS));
    assertEquals(ticks, allTicks.filter("ds = '" + DS + "'").count(), "one copy of each tick");
    assertEquals(ticks, allTicks.filter("ds = '" + DS + "'").distinct().count(), "no duplicated rows");
    assertEquals(ticks, allTicks.filter("ds = '2024-03-05'").count(), "the other ds is still there");
    assertEquals(scores, spark.read().parquet(run.layout().partition(Layout.SCORES, DS)).count());
    assertEquals(before, snapshot(Path.of(run.layout().partition(Layout.TICKS, "2024-03-05"))),
        "the other partition's files are untouched");
    assertEquals("e2e-3", PartitionSink.manifest(again, Layout.TICKS).get("run_id").asText());
  }

  private static Map<String, Long> snapshot(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.collect(Collectors.toMap(p -> p.getFileName().toString(), p -> p.toFile().lastModified(),
          (a, b) -> a, TreeMap::new));
    }
  }

  @Test
  void theArtifactCarriesProvenanceAndReloadsToTheSameScores() {
    ModelArtifact artifact = ModelArtifact.load(run.layout().model(), hadoop());
    JsonNode meta = artifact.metadata();
    assertEquals(artifact.modelId(), metrics.get("model_id").asText());
    for (String field : List.of("config", "window", "scaler", "data", "metrics", "code_version", "training")) {
      assertNotNull(meta.get(field), "metadata." + field);
    }
    assertEquals(config.window().size(), meta.get("window").get("size").asInt());
    assertTrue(meta.get("data").get("ingest").get("content_hash").asText().startsWith("xxhash64"));
    assertEquals(config.train().epochs(), meta.get("training").get("epochs").size());

    Dataset<Row> windows = Phases.windows(run).filter("split = 'test'").orderBy("key", "end_pos")
        .limit(50);
    BatchScorer scorer = BatchScorer.of(JavaSparkContext.fromSparkContext(spark.sparkContext()), artifact,
        config.featureCount(), config.window().size(), config.window().horizon(), 7);
    List<Row> again = scorer.score(windows).orderBy("key", "end_pos", "horizon_step").collectAsList();
    Dataset<Row> written = PartitionSink.read(run, Layout.SCORES).withColumnRenamed("symbol", "key");
    List<Row> expected = written.join(windows.select("key", "end_pos"),
            scala.collection.JavaConverters.asScalaBuffer(List.of("key", "end_pos")).toSeq())
        .orderBy("key", "end_pos", "horizon_step").collectAsList();
    assertEquals(150, again.size());
    assertEquals(expected.size(), again.size());
    double[] a = again.stream().mapToDouble(r -> r.getDouble(r.fieldIndex("prediction"))).toArray();
    double[] b = expected.stream().mapToDouble(r -> r.getDouble(r.fieldIndex("prediction"))).toArray();
    assertArrayEquals(b, a, 1e-6, "a reloaded model scores as the published scores (other batch size too)");
  }

  /** Corruption is caught by our SHA-256 sums, and by Hadoop's .crc files where they exist. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void aTamperedArtifactIsRefused(boolean withHadoopCrc, @TempDir Path copy) throws IOException {
    Path source = Path.of(run.layout().model());
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : files.filter(f -> withHadoopCrc || !f.toString().endsWith(".crc")).toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    byte[] zip = Files.readAllBytes(copy.resolve(ModelArtifact.MODEL));
    zip[zip.length / 2] ^= 1;
    Files.write(copy.resolve(ModelArtifact.MODEL), zip);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ModelArtifact.load(copy.toString(), hadoop()));
    assertTrue(e.getMessage().contains("checksum mismatch for " + copy + "/model.zip"), e.getMessage());
  }

  @Test
  void theReportIsAnOfflinePageWithCharts() throws java.io.IOException {
    ReportAssertions.assertOfflineReportWithCharts(run, metrics.get("model_id").asText());
    String html = java.nio.file.Files.readString(Path.of(run.layout().root(), "report", "index.html"));
    assertTrue(html.contains("<h2>Error by horizon step</h2><p><img"), "the per-horizon error chart");
  }

}

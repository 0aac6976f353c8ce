package org.seqml.pipeline;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.seqml.config.SeqmlConfig;
import org.seqml.eval.ForecastEvaluator;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.ticks.TickFeatures;
import org.seqml.ingest.ticks.TicksIngest;
import org.seqml.io.Json;
import org.seqml.io.KeyClustering;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.io.RowCounts;
import org.seqml.model.ModelArtifact;
import org.seqml.model.ModelFactory;
import org.seqml.model.WindowTensors;
import org.seqml.train.Loss;
import org.seqml.score.BatchScorer;
import org.seqml.train.ParameterAveragingTrainer;
import org.seqml.window.Scaler;
import org.seqml.window.SlidingWindows;
import org.seqml.window.TimeHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ticks domain with the forecast task: ticks to windows to a multi-horizon LSTM forecaster. */
final class TicksPipeline implements DomainPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(TicksPipeline.class);

  /** Raw input to ticks and rejects; fails if input != accepted + rejected. */
  @Override
  public RowCounts ingest(RunContext run) {
    run.phase("ingest");
    long t0 = System.nanoTime();
    IngestResult result = TicksIngest.read(run.spark(), run.config().ingest());
    // Each output is computed once, by its write. Counts come from the Parquet written; the ticks'
    // provenance is observed while they are written (a scan of what was written cost a fifth of the
    // phase), and the rows it saw must be the rows the Parquet holds. The input is counted on its own
    // (the generator knows it by construction), so in = accepted + rejected stays a check.
    Observation seen = new Observation("ticks-provenance");
    // Whether the source wrote each symbol's ticks in one file, in order: the window phase then needs no
    // shuffle (the generator does; a table source usually does not).
    KeyClustering.Watch clusteringWatch = KeyClustering.watch(run.spark());
    long acceptedCount;
    long rejectedCount;
    long input;
    try {
      acceptedCount = PartitionSink.writeData(run, Layout.TICKS,
          observeProvenance(clusteringWatch.wrap(result.accepted(), "symbol", "ts", "seq"), seen));
      rejectedCount = PartitionSink.writeData(run, Layout.REJECTS, result.rejects());
      input = result.inputCount();
    } finally {
      result.release(); // a cached input must not outlive a failed write (notebook sessions live long)
    }
    RowCounts counts = new RowCounts(input, acceptedCount, rejectedCount);
    ObjectNode clustering = clusteringWatch.verdict(run.spark(), run.layout().partition(Layout.TICKS, run.ds()));
    ObjectNode ticksExtra = provenance(observed(seen), PartitionSink.readWritten(run, Layout.TICKS), acceptedCount,
        clustering, run.config());
    ticksExtra.set("clustering", clustering);
    PartitionSink.writeManifest(run, Layout.TICKS, result.accepted().schema(), counts, null, ticksExtra,
        acceptedCount);
    PartitionSink.writeManifest(run, Layout.REJECTS, result.rejects().schema(), counts, null,
        Provenance.rejectedByReason(PartitionSink.readWritten(run, Layout.REJECTS)), rejectedCount);
    LOG.info("ingest ds={} in={} accepted={} rejected={} ({}s)", run.ds(), input, acceptedCount, rejectedCount,
        seconds(t0));
    return counts;
  }

  /**
   * Ticks to their features, one row per step (the steps table), and the split's event-time cuts in
   * its manifest. Windows are cut from the steps when a phase reads them ({@link #windows}): a window
   * repeats W / S times the values the steps hold once, and writing those repeats cost more than all
   * the rest of the phase (docs/BENCHMARKS.md).
   */
  @Override
  public long window(RunContext run) {
    run.phase("window");
    long t0 = System.nanoTime();
    SeqmlConfig config = run.config();
    JsonNode ticksManifest = PartitionSink.manifest(run, Layout.TICKS);
    Dataset<Row> ticks = PartitionSink.read(run, Layout.TICKS);
    JsonNode clustering = ticksManifest.get("clustering");
    boolean clustered = KeyClustering.trusted(run.spark(), clustering, run.layout().partition(Layout.TICKS, run.ds()));
    Dataset<Row> steps = clustered
        ? TickFeatures.computeClustered(ticks, config.features(), KeyClustering.largestFile(clustering))
        : TickFeatures.compute(ticks, config.features());
    // The steps come out whole keys per task in (ts, seq) order either way; the watch checks that for
    // the phases that cut windows from them. Their times are counted on the way for the split's cuts.
    KeyClustering.Watch watch = KeyClustering.watch(run.spark());
    TimeHistogram times = stepTimes(run, ticksManifest.get("data"), config.features());
    long written = PartitionSink.writeData(run, Layout.STEPS,
        watch.wrap(times == null ? steps : times.wrap(steps, "ts"), "key", "ts", "seq"));
    java.sql.Timestamp[] cuts = times == null ? null : times.cuts(config.split());
    if (cuts == null) { // times bunched in one bucket, or no time range from the ingest: one more pass
      LOG.info("window ds={}: split cuts from Spark's approximate quantiles of the steps' times", run.ds());
      cuts = SlidingWindows.cuts(PartitionSink.readWritten(run, Layout.STEPS), config.split());
    }
    ObjectNode extra = Json.object();
    extra.set("data", ticksManifest.get("data"));
    extra.set("split", splitJson(config.split(), cuts));
    extra.set("features", featuresJson(config.features()));
    extra.set("clustering", watch.verdict(run.spark(), run.layout().partition(Layout.STEPS, run.ds())));
    PartitionSink.writeManifest(run, Layout.STEPS, steps.schema(), RowCounts.fromJson(ticksManifest.get("rows")),
        null, extra, written);
    if (PartitionSink.removeRetired(run, Layout.WINDOWS)) {
      LOG.info("window ds={} removed the windows partition an earlier seqml wrote: windows are cut from steps now",
          run.ds());
    }
    LOG.info("window ds={} steps={} validation from {} test from {} ({}s)", run.ds(), written,
        cuts[0].toInstant(), cuts[1].toInstant(), seconds(t0));
    return written;
  }

  /**
   * The windows of this run's steps (SlidingWindows.SCHEMA), cut with the config's window and the
   * cuts the window phase stored. A config whose split differs from the one the cuts were taken at,
   * or whose bar or return scale differs from the steps', is refused: the steps would not be its steps.
   */
  @Override
  public Dataset<Row> windows(RunContext run) {
    SeqmlConfig config = run.config();
    JsonNode manifest = PartitionSink.manifest(run, Layout.STEPS);
    JsonNode split = manifest.get("split");
    if (split == null) {
      throw new IllegalStateException("the steps of ds=" + run.ds() + " carry no split cuts: re-run the window phase");
    }
    if (split.get("train").asDouble() != config.split().train()
        || split.get("validation").asDouble() != config.split().validation()) {
      throw new IllegalStateException("the steps of ds=" + run.ds() + " were split at train=" + split.get("train")
          + ", validation=" + split.get("validation") + " but the config asks for " + config.split()
          + ": re-run the window phase with this config");
    }
    JsonNode features = manifest.get("features");
    if (features == null || !features.equals(featuresJson(config.features()))) {
      throw new IllegalStateException("the steps of ds=" + run.ds() + " were computed with features " + features
          + " but the config asks for " + featuresJson(config.features()) + ": re-run the window phase with this config");
    }
    java.sql.Timestamp[] cuts = {
        java.sql.Timestamp.from(java.time.Instant.parse(split.get("validation_from").asText())),
        java.sql.Timestamp.from(java.time.Instant.parse(split.get("test_from").asText()))};
    Dataset<Row> steps = PartitionSink.read(run, Layout.STEPS);
    JsonNode clustering = manifest.get("clustering");
    return KeyClustering.trusted(run.spark(), clustering, run.layout().partition(Layout.STEPS, run.ds()))
        ? SlidingWindows.ofClustered(steps, config.features().columns(), config.window(), cuts,
            KeyClustering.largestFile(clustering))
        : SlidingWindows.of(steps, config.features().columns(), config.window(), cuts);
  }

  /**
   * A histogram over the times the steps can have: from the ingest's first tick to its last (plus a bar,
   * whose step is stamped with its end); null when the ticks' manifest has no time range.
   */
  private static TimeHistogram stepTimes(RunContext run, JsonNode data, SeqmlConfig.Features features) {
    if (data == null || !data.hasNonNull("first_ts") || !data.hasNonNull("last_ts")) {
      return null;
    }
    long first = micros(java.time.Instant.parse(data.get("first_ts").asText()));
    long last = micros(java.time.Instant.parse(data.get("last_ts").asText()));
    long bar = features.resampled() ? features.bar().toNanos() / 1000 : 0;
    return TimeHistogram.register(run.spark(), first, last + bar);
  }

  private static long micros(java.time.Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  /** What the steps' values depend on (the columns are chosen on read). */
  private static ObjectNode featuresJson(SeqmlConfig.Features features) {
    ObjectNode node = Json.object();
    node.put("bar", features.bar().toString());
    node.put("return_scale", features.returnScale());
    return node;
  }

  private static ObjectNode splitJson(SeqmlConfig.Split split, java.sql.Timestamp[] cuts) {
    ObjectNode node = Json.object();
    node.put("train", split.train());
    node.put("validation", split.validation());
    node.put("validation_from", cuts[0].toInstant().toString());
    node.put("test_from", cuts[1].toInstant().toString());
    return node;
  }

  /** Training windows to a published model artifact. */
  @Override
  public ModelArtifact train(RunContext run) {
    run.phase("train");
    SeqmlConfig config = run.config();
    JsonNode stepsManifest = PartitionSink.manifest(run, Layout.STEPS);
    Dataset<Row> windows = windows(run);
    Scaler scaler = Scaler.fit(windows, config.features().columns());
    int h = config.window().horizon();
    Dataset<Row> complete = windows.filter(col("n_known").equalTo(h)).select("features", "target", "split");
    WindowTensors tensors = new WindowTensors(scaler, config.featureCount(), config.window().size(), h);
    LOG.info("training {} forecaster: window {} x {} features, horizon {}", config.model().family(),
        config.window().size(), config.featureCount(), h);
    ParameterAveragingTrainer.Result result = ParameterAveragingTrainer.train(
        ModelFactory.forecaster(config.model(), config.featureCount(), config.window().size(), h),
        complete.filter(col("split").equalTo(SlidingWindows.TRAIN)).select("features", "target"),
        complete.filter(col("split").equalTo(SlidingWindows.VALIDATION)).select("features", "target"),
        rows -> tensors.dataSet(rows, 0, 1), Loss.MSE, config.train(), config.model().seed(),
        Provenance.checkpoints(run, scaler.toJson()));

    ObjectNode meta = Provenance.header(run);
    ObjectNode window = meta.putObject("window");
    window.put("size", config.window().size());
    window.put("stride", config.window().stride());
    window.put("horizon", config.window().horizon());
    window.put("target", config.features().columns().get(0));
    ArrayNode features = window.putArray("features");
    config.features().columns().forEach(features::add);
    meta.set("scaler", scaler.toJson());
    ObjectNode data = meta.putObject("data");
    data.set("ingest", stepsManifest.get("data"));
    data.set("rows", stepsManifest.get("rows"));
    data.put("train_windows", result.trainWindows());
    data.put("validation_windows", result.validationWindows());
    meta.set("training", Provenance.training(result));
    ObjectNode metrics = meta.putObject("metrics");
    metrics.put("validation_mse_standardised",
        result.epochs().get(result.publishedEpoch() - 1).validationLoss());

    ModelArtifact artifact = ModelArtifact.of(config.pipeline(), result.network(), meta);
    artifact.save(run.layout().model(), Provenance.hadoop(run));
    LOG.info("train ds={} published model {} to {}", run.ds(), artifact.modelId(), run.layout().model());
    return artifact;
  }

  /** Windows of the configured splits to scores, with the published model. */
  @Override
  public long score(RunContext run) {
    run.phase("score");
    long t0 = System.nanoTime();
    SeqmlConfig config = run.config();
    ModelArtifact artifact = ModelArtifact.load(run.layout().model(), Provenance.hadoop(run));
    checkCompatible(artifact, config);
    JsonNode stepsManifest = PartitionSink.manifest(run, Layout.STEPS);
    Dataset<Row> windows = windows(run)
        .filter(col("split").isin(config.score().splits().toArray()));
    BatchScorer scorer = BatchScorer.of(JavaSparkContext.fromSparkContext(run.spark().sparkContext()), artifact,
        config.featureCount(), config.window().size(), config.window().horizon(), config.score().batchSize());
    Dataset<Row> scores = Domains.keyed(scorer.score(windows), config);
    long written = PartitionSink.write(run, Layout.SCORES, scores, RowCounts.fromJson(stepsManifest.get("rows")),
        artifact.modelId(), null);
    scorer.release();
    LOG.info("score ds={} rows={} model={} ({}s)", run.ds(), written, artifact.modelId(), seconds(t0));
    return written;
  }

  /** Test-split metrics beside the baselines, to metrics.json. */
  @Override
  public ObjectNode evaluate(RunContext run) {
    run.phase("evaluate");
    SeqmlConfig config = run.config();
    JsonNode scoresManifest = PartitionSink.manifest(run, Layout.SCORES);
    Dataset<Row> scores = Domains.unkeyed(PartitionSink.read(run, Layout.SCORES), config);
    Dataset<Row> windows = windows(run);
    int lastValue = (config.window().size() - 1) * config.featureCount() + 1;
    ObjectNode metrics = Provenance.metricsHeader(run, scoresManifest);
    metrics.put("target", config.features().columns().get(0) + " x " + config.features().returnScale());
    metrics.setAll(ForecastEvaluator.evaluate(scores, windows, lastValue));
    Json.write(run.layout().metrics(), metrics, Provenance.hadoop(run));
    JsonNode overall = metrics.get("overall");
    LOG.info("evaluate ds={} test rows={} rmse model={} repeat={} zero={}; directional accuracy model={} majority={}",
        run.ds(), metrics.get("rows"), fmt(overall, "model", "rmse"), fmt(overall, "repeat", "rmse"),
        fmt(overall, "zero", "rmse"), fmt(overall, "model", "directional_accuracy"),
        fmt(overall, "majority_direction", "directional_accuracy"));
    return metrics;
  }

  private static String fmt(JsonNode overall, String who, String metric) {
    return String.format("%.4f", overall.get(who).get(metric).asDouble());
  }

  private static void checkCompatible(ModelArtifact artifact, SeqmlConfig config) {
    JsonNode w = artifact.metadata().get("window");
    JsonNode trainedFeatures = artifact.metadata().get("config").get("features");
    java.util.List<String> trainedColumns = artifact.scaler().features();
    boolean same = w.get("size").asInt() == config.window().size()
        && w.get("horizon").asInt() == config.window().horizon()
        && trainedColumns.equals(config.features().columns())
        && trainedFeatures.get("return-scale").asDouble() == config.features().returnScale()
        && java.util.Objects.equals(parseBarOf(trainedFeatures), config.features().bar());
    if (!same) {
      throw new IllegalStateException("model " + artifact.modelId() + " was trained on windows of size "
          + w.get("size") + ", horizon " + w.get("horizon") + ", features " + trainedColumns + ", return-scale "
          + trainedFeatures.get("return-scale") + ", bar '" + trainedFeatures.get("bar").asText()
          + "' but the config asks for " + config.window() + " " + config.features()
          + ": retrain, or score with the config it was trained with");
    }
  }

  private static java.time.Duration parseBarOf(JsonNode features) {
    String bar = features.get("bar").asText().trim();
    return bar.isEmpty() ? java.time.Duration.ZERO
        : com.typesafe.config.ConfigFactory.parseString("b = \"" + bar + "\"").getDuration("b");
  }

  /**
   * The accepted ticks, observed as they are computed: row count, event-time range and an
   * order-independent content hash, the exact sum of every row's xxhash64. The sum is taken as four
   * sums of 16-bit parts, each safe in a long up to 2^47 rows (a decimal sum cost a tenth of the
   * phase: BigDecimal arithmetic per row); the driver adds them up ({@link #hashSum}).
   */
  private static Dataset<Row> observeProvenance(Dataset<Row> accepted, Observation seen) {
    Column[] all = Arrays.stream(accepted.columns()).map(functions::col).toArray(Column[]::new);
    Column h = col("_row_hash");
    Column low16 = functions.lit(0xFFFFL);
    return accepted.withColumn("_row_hash", functions.xxhash64(all))
        .observe(seen, functions.count(functions.lit(1)).as("rows"), functions.min("ts").as("first_ts"),
            functions.max("ts").as("last_ts"),
            functions.sum(h.bitwiseAND(low16)).as("hash0"),
            functions.sum(functions.shiftrightunsigned(h, 16).bitwiseAND(low16)).as("hash1"),
            functions.sum(functions.shiftrightunsigned(h, 32).bitwiseAND(low16)).as("hash2"),
            functions.sum(functions.shiftright(h, 48)).as("hash3"))
        .drop("_row_hash");
  }

  /** The sum of every row's hash from its four part sums: hash3 * 2^48 + hash2 * 2^32 + hash1 * 2^16 + hash0. */
  static java.math.BigInteger hashSum(java.util.Map<String, Object> seen) {
    java.math.BigInteger total = java.math.BigInteger.ZERO;
    for (int part = 3; part >= 0; part--) {
      Object sum = seen.get("hash" + part);
      total = total.shiftLeft(16).add(java.math.BigInteger.valueOf(sum == null ? 0 : ((Number) sum).longValue()));
    }
    return total;
  }

  private static ObjectNode provenance(java.util.Map<String, Object> seen, Dataset<Row> written, long writtenCount,
      JsonNode clustering, SeqmlConfig config) {
    long rows = ((Number) seen.get("rows")).longValue();
    if (rows != writtenCount) {
      throw new IllegalStateException("the ticks partition holds " + writtenCount + " rows but " + rows
          + " were written to it: it was changed while being written; re-run the ingest phase");
    }
    ObjectNode extra = Json.object();
    ObjectNode data = extra.putObject("data");
    data.put("source", TicksIngest.describe(config.ingest()));
    data.put("rows", rows);
    JsonNode keys = clustering.get("keys"); // counted by the write when each symbol sat in one task
    data.put("keys", keys != null ? keys.asLong() : written.select("symbol").distinct().count());
    data.put("first_ts", instant(seen.get("first_ts")));
    data.put("last_ts", instant(seen.get("last_ts")));
    data.put("content_hash", "xxhash64-sum:" + hashSum(seen));
    return extra;
  }

  /**
   * The observed metrics, which Spark's listener bus delivers after the write. Spark's own get() waits
   * without a limit; an error that says what is missing beats a job that hangs.
   */
  private static java.util.Map<String, Object> observed(Observation seen) {
    Row metrics;
    try {
      metrics = scala.concurrent.Await.result(seen.future(),
          scala.concurrent.duration.Duration.create(OBSERVATION_WAIT_MINUTES, java.util.concurrent.TimeUnit.MINUTES));
    } catch (Exception e) { // a timeout, an interrupt or the future's failure: undeclared in Scala
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException((e instanceof java.util.concurrent.TimeoutException
          ? "Spark did not report the ticks' provenance within " + OBSERVATION_WAIT_MINUTES + " minutes of writing them"
          : "waiting for the ticks' provenance failed (" + e + ")") + ": re-run the ingest phase", e);
    }
    if (metrics == null || metrics.size() == 0 || metrics.schema() == null) {
      throw new IllegalStateException("Spark reported no provenance for the ticks it wrote: re-run the ingest phase");
    }
    java.util.Map<String, Object> byName = new java.util.HashMap<>();
    for (int i = 0; i < metrics.size(); i++) {
      byName.put(metrics.schema().fieldNames()[i], metrics.get(i));
    }
    return byName;
  }

  private static final long OBSERVATION_WAIT_MINUTES = 5;

  private static String instant(Object ts) {
    return ts == null ? null : ((java.sql.Timestamp) ts).toInstant().toString();
  }

  private static String seconds(long t0) {
    return String.format("%.1f", (System.nanoTime() - t0) / 1e9);
  }
}

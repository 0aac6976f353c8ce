package org.seqml.pipeline;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.seqml.config.SeqmlConfig;
import org.seqml.eval.AnomalyEvaluator;
import org.seqml.ingest.InputFiles;
import org.seqml.ingest.TextLines;
import org.seqml.ingest.logs.LogEventSchema;
import org.seqml.ingest.logs.LogGenerator;
import org.seqml.ingest.logs.LogIngest;
import org.seqml.ingest.logs.LogLinesSource;
import org.seqml.ingest.logs.SessionFileSource;
import org.seqml.ingest.logs.SessionLabels;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.io.RowCounts;
import org.seqml.model.EventTensors;
import org.seqml.model.ModelArtifact;
import org.seqml.model.ModelFactory;
import org.seqml.score.NextEventScorer;
import org.seqml.train.Loss;
import org.seqml.train.ParameterAveragingTrainer;
import org.seqml.util.Schemas;
import org.seqml.window.SessionWindows;
import org.seqml.window.SlidingWindows;
import org.seqml.window.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The logs domain with the next-event task: log lines or session files to a DeepLog-style detector. */
final class LogsPipeline implements DomainPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(LogsPipeline.class);

  @Override
  public RowCounts ingest(RunContext run) {
    run.phase("ingest");
    SeqmlConfig config = run.config();
    LogIngest in = read(run);
    Dataset<Row> events = in.events();
    if (!config.logs().labels().path().isBlank()) {
      events = SessionLabels.apply(events, SessionLabels.read(run.spark(), config.logs().labels().path()));
    }
    events = Schemas.conform(events, LogEventSchema.SCHEMA);
    // Each output is computed once, by its write; counts and summaries are read back from the Parquet
    // written, and the input lines are counted on their own, so in = accepted + rejected stays a check.
    PartitionSink.writeData(run, Layout.EVENTS, events);
    long rejected = PartitionSink.writeData(run, Layout.REJECTS, in.rejects());
    Dataset<Row> written = PartitionSink.readWritten(run, Layout.EVENTS);
    long accepted = written.select("source", "line").distinct().count();
    RowCounts counts = new RowCounts(in.input().count(), accepted, rejected);
    in.release();
    ObjectNode extra = Json.object();
    ObjectNode data = extra.putObject("data");
    data.put("source", describe(config));
    Row summary = written.agg(org.apache.spark.sql.functions.count("*"),
        org.apache.spark.sql.functions.countDistinct("session_id"),
        org.apache.spark.sql.functions.countDistinct("event_id")).first();
    data.put("events", summary.getLong(0));
    data.put("sessions", summary.getLong(1));
    data.put("event_ids", summary.getLong(2));
    PartitionSink.writeManifest(run, Layout.EVENTS, events.schema(), counts, null, extra, summary.getLong(0));
    PartitionSink.writeManifest(run, Layout.REJECTS, in.rejects().schema(), counts, null,
        Provenance.rejectedByReason(PartitionSink.readWritten(run, Layout.REJECTS)), rejected);
    LOG.info("ingest ds={} lines in={} accepted={} rejected={}; {} events in {} sessions, {} event ids", run.ds(),
        counts.input(), counts.accepted(), counts.rejected(), summary.getLong(0), summary.getLong(1),
        summary.getLong(2));
    return counts;
  }

  private static LogIngest read(RunContext run) {
    SeqmlConfig config = run.config();
    SeqmlConfig.Logs logs = config.logs();
    return switch (config.ingest().source()) {
      case "sessions" -> SessionFileSource.read(run.spark(), config.ingest().path(), logs);
      case "lines" -> LogLinesSource.read(run.spark(),
          TextLines.read(run.spark(), InputFiles.list(config.ingest().path(), Provenance.hadoop(run))), logs,
          config.ingest().timezone());
      case "generator" -> {
        LogGenerator.Generated g = LogGenerator.generate(run.spark(), logs.generator());
        LogIngest lines = LogLinesSource.read(run.spark(), g.lines(), logs, java.time.ZoneOffset.UTC);
        yield new LogIngest(SessionLabels.apply(lines.events(), g.labels()), lines.rejects(), lines.input());
      }
      default -> throw new IllegalArgumentException("unknown ingest.source " + config.ingest().source());
    };
  }

  private static String describe(SeqmlConfig config) {
    if (config.ingest().source().equals("generator")) {
      SeqmlConfig.LogGenerator g = config.logs().generator();
      return "log generator(sessions=" + g.sessions() + ", anomaly-rate=" + g.anomalyRate() + ", seed=" + g.seed() + ")";
    }
    return config.ingest().source() + ":" + config.ingest().path();
  }

  @Override
  public long window(RunContext run) {
    run.phase("window");
    SeqmlConfig config = run.config();
    JsonNode eventsManifest = PartitionSink.manifest(run, Layout.EVENTS);
    RowCounts counts = RowCounts.fromJson(eventsManifest.get("rows"));
    ObjectNode extra = Json.object();
    extra.set("data", eventsManifest.get("data"));
    Dataset<Row> sessions = SessionWindows.sessions(PartitionSink.read(run, Layout.EVENTS), config.detect());
    PartitionSink.write(run, Layout.SESSIONS, sessions, counts, null, extra);
    Dataset<Row> windows = SessionWindows.windows(PartitionSink.read(run, Layout.SESSIONS), config.window().size(),
        config.detect().endToken());
    long written = PartitionSink.write(run, Layout.WINDOWS, windows, counts, null, extra);
    ObjectNode splits = Json.object();
    for (Row r : PartitionSink.read(run, Layout.SESSIONS).groupBy("split").count().collectAsList()) {
      splits.put(r.getString(0), r.getLong(1));
    }
    LOG.info("window ds={} windows={} sessions by split {}", run.ds(), written, splits);
    return written;
  }

  @Override
  public ModelArtifact train(RunContext run) {
    run.phase("train");
    SeqmlConfig config = run.config();
    JsonNode windowsManifest = PartitionSink.manifest(run, Layout.WINDOWS);
    Vocabulary vocabulary = Vocabulary.fit(PartitionSink.read(run, Layout.SESSIONS), config.detect().endToken());
    int h = config.window().size();
    Dataset<Row> normal = PartitionSink.read(run, Layout.WINDOWS)
        .filter(col("predict").and(org.apache.spark.sql.functions.coalesce(col("label"), org.apache.spark.sql.functions.lit(0)).equalTo(0)));
    EventTensors tensors = new EventTensors(vocabulary, h);
    LOG.info("training {} next-event model: {} known events (+pad, unknown), history {}", config.model().family(),
        vocabulary.events().size(), h);
    ParameterAveragingTrainer.Result result = ParameterAveragingTrainer.train(
        ModelFactory.nextEvent(config.model(), vocabulary.classes(), h),
        normal.filter(col("split").equalTo(SlidingWindows.TRAIN)).select("history", "next"),
        normal.filter(col("split").equalTo(SlidingWindows.VALIDATION)).select("history", "next"),
        rows -> tensors.dataSet(rows, 0, 1), Loss.NLL, config.train(), config.model().seed(),
        Provenance.checkpoints(run, vocabulary.toJson()));

    ObjectNode meta = Provenance.header(run);
    ObjectNode window = meta.putObject("window");
    window.put("size", h);
    window.put("top_g", config.detect().topG());
    meta.set("vocabulary", vocabulary.toJson());
    ObjectNode data = meta.putObject("data");
    data.set("ingest", windowsManifest.get("data"));
    data.set("rows", windowsManifest.get("rows"));
    data.put("train_windows", result.trainWindows());
    data.put("validation_windows", result.validationWindows());
    meta.set("training", Provenance.training(result));
    ObjectNode metrics = meta.putObject("metrics");
    metrics.put("validation_nll", result.epochs().get(result.publishedEpoch() - 1).validationLoss());
    ModelArtifact artifact = ModelArtifact.of(config.pipeline(), result.network(), meta);
    artifact.save(run.layout().model(), Provenance.hadoop(run));
    LOG.info("train ds={} published model {} to {}", run.ds(), artifact.modelId(), run.layout().model());
    return artifact;
  }

  @Override
  public long score(RunContext run) {
    run.phase("score");
    SeqmlConfig config = run.config();
    ModelArtifact artifact = ModelArtifact.load(run.layout().model(), Provenance.hadoop(run));
    int h = artifact.metadata().get("window").get("size").asInt();
    if (h != config.window().size()) {
      throw new IllegalStateException("model " + artifact.modelId() + " was trained on histories of " + h
          + " events but window.size is " + config.window().size() + ": retrain, or score with its config");
    }
    Vocabulary vocabulary = Vocabulary.fromJson(artifact.metadata().get("vocabulary"));
    JsonNode windowsManifest = PartitionSink.manifest(run, Layout.WINDOWS);
    RowCounts counts = RowCounts.fromJson(windowsManifest.get("rows"));
    boolean threshold = config.detect().rule().equals("threshold");
    java.util.Set<String> splits = new java.util.TreeSet<>(config.score().splits());
    if (threshold) {
      splits.add(SlidingWindows.VALIDATION); // the threshold is fitted on validation sessions
    }
    Dataset<Row> windows = PartitionSink.read(run, Layout.WINDOWS).filter(col("split").isin(splits.toArray()));
    NextEventScorer scorer = new NextEventScorer(JavaSparkContext.fromSparkContext(run.spark().sparkContext()),
        artifact, vocabulary, h, config.detect().topG(), config.score().batchSize());
    try {
      PartitionSink.write(run, Layout.EVENT_SCORES, scorer.scoreEvents(windows), counts, artifact.modelId(), null);
      Dataset<Row> events = PartitionSink.read(run, Layout.EVENT_SCORES);
      Double cut = null;
      ObjectNode extra = Json.object();
      extra.put("rule", config.detect().rule());
      if (threshold) {
        Dataset<Row> normalValidation = scorer.scoreSessions(events, null)
            .filter(col("split").equalTo(SlidingWindows.VALIDATION))
            .join(PartitionSink.read(run, Layout.SESSIONS).filter(
                org.apache.spark.sql.functions.coalesce(col("label"), org.apache.spark.sql.functions.lit(0)).equalTo(0))
                .select("session_id"), "session_id");
        cut = NextEventScorer.fitThreshold(normalValidation, config.detect().targetFpr());
        extra.put("threshold", cut);
        extra.put("target_fpr", config.detect().targetFpr());
        LOG.info("threshold {} fitted on validation sessions for a false-positive rate of {}",
            String.format("%.4f", cut), config.detect().targetFpr());
      } else {
        extra.put("top_g", config.detect().topG());
      }
      long written = PartitionSink.write(run, Layout.SCORES, scorer.scoreSessions(events, cut), counts,
          artifact.modelId(), extra);
      LOG.info("score ds={} sessions={} model={}", run.ds(), written, artifact.modelId());
      return written;
    } finally {
      scorer.release();
    }
  }

  @Override
  public ObjectNode evaluate(RunContext run) {
    run.phase("evaluate");
    SeqmlConfig config = run.config();
    JsonNode scoresManifest = PartitionSink.manifest(run, Layout.SCORES);
    ModelArtifact artifact = ModelArtifact.load(run.layout().model(), Provenance.hadoop(run));
    ObjectNode metrics = Provenance.metricsHeader(run, scoresManifest);
    metrics.put("rule", scoresManifest.path("rule").asText("top-g"));
    metrics.put("top_g", config.detect().topG());
    if (scoresManifest.has("threshold")) {
      metrics.put("threshold", scoresManifest.get("threshold").asDouble());
      metrics.put("target_fpr", scoresManifest.get("target_fpr").asDouble());
    }
    Vocabulary vocabulary = Vocabulary.fromJson(artifact.metadata().get("vocabulary"));
    Dataset<Row> sessions = PartitionSink.read(run, Layout.SESSIONS);
    metrics.setAll(AnomalyEvaluator.evaluate(PartitionSink.read(run, Layout.SCORES), sessions, vocabulary));
    metrics.set("by_top_g", AnomalyEvaluator.byTopG(PartitionSink.read(run, Layout.EVENT_SCORES), sessions,
        Math.min(vocabulary.classes(), 20)));
    Json.write(run.layout().metrics(), metrics, Provenance.hadoop(run));
    JsonNode m = metrics.get("model");
    JsonNode unseen = metrics.get("baselines").get("unseen_event");
    JsonNode length = metrics.get("baselines").get("length_outside_training_range");
    LOG.info("evaluate ds={} test sessions={} abnormal={}: model precision={} recall={} f1={} fpr={}; "
            + "f1 unseen-event={} length={}", run.ds(), metrics.get("sessions"), metrics.get("abnormal_sessions"),
        m.get("precision"), m.get("recall"), m.get("f1"), m.get("false_positive_rate"), unseen.get("f1"),
        length.get("f1"));
    return metrics;
  }

}

package org.seqml.task;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;
import org.seqml.eval.AnomalyEvaluator;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.Manifest;
import org.seqml.io.PartitionSink;
import org.seqml.model.ModelArtifact;
import org.seqml.model.ModelFactory;
import org.seqml.model.ModelMetadata;
import org.seqml.run.RunContext;
import org.seqml.run.Stage;
import org.seqml.score.NextEventScorer;
import org.seqml.train.Loss;
import org.seqml.train.ParameterAveragingTrainer;
import org.seqml.util.Schemas;
import org.seqml.window.EventTensors;
import org.seqml.window.SessionWindows;
import org.seqml.window.SlidingWindows;
import org.seqml.window.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Next-event anomaly detection (DeepLog): a model of the next event after h events, trained on normal
 * sessions; a session is abnormal when an event is outside the model's top g (or its score passes a
 * threshold fitted on normal validation sessions).
 */
final class NextEventTask implements Task {
  private static final Logger LOG = LoggerFactory.getLogger(NextEventTask.class);
  private static final List<String> KEYS = List.of("window.size");

  @Override
  public String name() {
    return "next-event";
  }

  @Override
  public ModelArtifact train(RunContext run, SequenceSet sequences) {
    run.phase("train");
    SequenceSet.Events set = Task.expect(sequences, SequenceSet.Events.class, name());
    SeqmlConfig config = run.config();
    Vocabulary vocabulary = Vocabulary.fit(set.sessions(), config.detect().endToken());
    int h = config.window().size();
    Dataset<Row> normal = set.windows().filter(col("predict").and(coalesce(col("label"), lit(0)).equalTo(0)));
    EventTensors tensors = new EventTensors(vocabulary, h);
    LOG.info("training {} next-event model: {} known events (+pad, unknown), history {}", config.model().family(),
        vocabulary.events().size(), h);
    ParameterAveragingTrainer.Result result = ParameterAveragingTrainer.train(
        ModelFactory.nextEvent(config.model(), vocabulary.classes(), h),
        normal.filter(col("split").equalTo(SlidingWindows.TRAIN)).select("history", "next"),
        normal.filter(col("split").equalTo(SlidingWindows.VALIDATION)).select("history", "next"),
        rows -> tensors.dataSet(rows, 0, 1), Loss.NLL, config.train(), config.model().seed(),
        Runs.checkpoints(run, vocabulary.toJson()));
    ModelMetadata.WindowSpec window = new ModelMetadata.WindowSpec(h, null, null, null, null,
        config.detect().topG(), null, null, null);
    return Runs.publish(run, result, set.source(), window, new Runs.Context(null, null, vocabulary.toJson(), null),
        "validation_nll");
  }

  @Override
  public long score(RunContext run, SequenceSet sequences) {
    run.phase("score");
    SequenceSet.Events set = Task.expect(sequences, SequenceSet.Events.class, name());
    SeqmlConfig.Detect detect = run.config().detect();
    ModelArtifact artifact = Runs.publishedModel(run, KEYS, set);
    int h = artifact.metadata().get("window").get("size").asInt();
    Vocabulary vocabulary = Vocabulary.fromJson(artifact.metadata().get("vocabulary"));
    boolean threshold = detect.rule().equals("threshold");
    Set<String> splits = new TreeSet<>(run.config().score().splits());
    if (threshold) {
      splits.add(SlidingWindows.VALIDATION); // the threshold is fitted on validation sessions
    }
    Dataset<Row> windows = set.windows().filter(col("split").isin(splits.toArray()));
    NextEventScorer scorer = new NextEventScorer(JavaSparkContext.fromSparkContext(run.spark().sparkContext()),
        artifact, vocabulary, h, detect.topG(), run.config().score().batchSize());
    try {
      PartitionSink.write(run, Layout.EVENT_SCORES, scorer.scoreEvents(windows), set.source().rows(),
          artifact.modelId(), null);
      Dataset<Row> events = PartitionSink.read(run, Layout.EVENT_SCORES);
      Double cut = null;
      ObjectNode extra = Json.object();
      extra.put("rule", detect.rule());
      if (threshold) {
        Dataset<Row> normalValidation = scorer.scoreSessions(events, null)
            .filter(col("split").equalTo(SlidingWindows.VALIDATION))
            .join(set.sessions().filter(coalesce(col("label"), lit(0)).equalTo(0)).select("session_id"),
                "session_id");
        cut = NextEventScorer.fitThreshold(normalValidation, detect.targetFpr());
        extra.put("threshold", cut);
        extra.put("target_fpr", detect.targetFpr());
        LOG.info("threshold {} fitted on validation sessions for a false-positive rate of {}",
            String.format("%.4f", cut), detect.targetFpr());
      } else {
        extra.put("top_g", detect.topG());
      }
      long written = PartitionSink.write(run, Layout.SCORES, scorer.scoreSessions(events, cut), set.source().rows(),
          artifact.modelId(), extra);
      LOG.info("score ds={} sessions={} model={}", run.ds(), written, artifact.modelId());
      return written;
    } finally {
      scorer.release();
    }
  }

  @Override
  public ObjectNode evaluate(RunContext run, SequenceSet sequences) {
    run.phase("evaluate");
    SequenceSet.Events set = Task.expect(sequences, SequenceSet.Events.class, name());
    Manifest scoresManifest = PartitionSink.manifestOf(run, Layout.SCORES);
    ModelArtifact artifact = ModelArtifact.load(run.layout().model(), run.hadoop());
    ObjectNode figures = Json.object();
    figures.put("rule", scoresManifest.get("rule").asText("top-g"));
    figures.put("top_g", run.config().detect().topG());
    if (!scoresManifest.get("threshold").isMissingNode()) {
      figures.put("threshold", scoresManifest.get("threshold").asDouble());
      figures.put("target_fpr", scoresManifest.get("target_fpr").asDouble());
    }
    Vocabulary vocabulary = Vocabulary.fromJson(artifact.metadata().get("vocabulary"));
    figures.setAll(AnomalyEvaluator.evaluate(PartitionSink.read(run, Layout.SCORES), set.sessions(), vocabulary,
        run.config().detect().populationRatio()));
    figures.set("by_top_g", AnomalyEvaluator.byTopG(PartitionSink.read(run, Layout.EVENT_SCORES), set.sessions(),
        Math.min(vocabulary.classes(), 20),
        AnomalyEvaluator.Population.of(set.sessions(), run.config().detect().populationRatio())));
    ObjectNode metrics = Runs.writeMetrics(run, figures);
    JsonNode m = metrics.get("model");
    JsonNode unseen = metrics.get("baselines").get("unseen_event");
    JsonNode length = metrics.get("baselines").get("length_outside_training_range");
    LOG.info("evaluate ds={} test sessions={} abnormal={}: model precision={} recall={} f1={} fpr={}; "
            + "f1 unseen-event={} length={}", run.ds(), metrics.get("sessions"), metrics.get("abnormal_sessions"),
        m.get("precision"), m.get("recall"), m.get("f1"), m.get("false_positive_rate"), unseen.get("f1"),
        length.get("f1"));
    LOG.info("evaluate ds={} at {} normal sessions per abnormal ({}): model precision={} f1={} false alarms per day={}",
        run.ds(), metrics.at("/population/normal_per_abnormal"), metrics.at("/population/from").asText(),
        m.at("/at_population_ratio/precision"), m.at("/at_population_ratio/f1"),
        m.at("/at_population_ratio/false_alarms_per_day"));
    return metrics;
  }

  @Override
  public StructType reads() {
    return Schemas.select(SessionWindows.WINDOWS, "session_id", "history", "next", "predict", "label", "split");
  }

  @Override
  public List<Stage> stages(String keyName) {
    return List.of(new Stage("score", Layout.EVENT_SCORES, NextEventScorer.EVENT_SCORES),
        new Stage("score", Layout.SCORES, NextEventScorer.SESSION_SCORES));
  }
}

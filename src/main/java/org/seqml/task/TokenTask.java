package org.seqml.task;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.model.ModelArtifact;
import org.seqml.model.ModelFactory;
import org.seqml.model.ModelMetadata;
import org.seqml.run.RunContext;
import org.seqml.run.Stage;
import org.seqml.score.SequenceScorer;
import org.seqml.train.Loss;
import org.seqml.train.ParameterAveragingTrainer;
import org.seqml.util.Schemas;
import org.seqml.window.SequenceTensors;
import org.seqml.window.SequenceWindows;
import org.seqml.window.SlidingWindows;
import org.seqml.window.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What sequence classification and next-token modelling share: a vocabulary of letters or frequent
 * k-mers, a network over token windows, scores per window and per sequence. The two differ in their
 * outputs (classes or the next token) and in how they are evaluated.
 */
abstract class TokenTask implements Task {
  private static final Logger LOG = LoggerFactory.getLogger(TokenTask.class);
  private static final List<String> KEYS = List.of("window.size");

  /** Whether the model predicts the next token (true) or the sequence's class (false). */
  abstract boolean nextToken();

  /** The test-split figures beside baselines. */
  /** The task's figures from the test split's scores (and the validation split's, empty when not scored). */
  abstract ObjectNode figures(RunContext run, SequenceSet.Tokens set, Dataset<Row> testScores,
      Dataset<Row> validationScores, ModelArtifact model);

  @Override
  public ModelArtifact train(RunContext run, SequenceSet sequences) {
    run.phase("train");
    SequenceSet.Tokens set = Task.expect(sequences, SequenceSet.Tokens.class, name());
    SeqmlConfig config = run.config();
    SequenceSet.Tokenizer tokens = set.tokens();
    Dataset<Row> train = set.windows().filter(col("split").equalTo(SlidingWindows.TRAIN));
    if (tokens.augmentation() != null) { // another view of a training window is a training window of its class
      train = train.union(train.withColumn("segment", tokens.augmentation().segment().apply(col("segment"))));
    }
    Vocabulary vocabulary = vocabulary(tokens, train);
    List<String> classes = nextToken() ? List.of() : classes(set.windows());
    // before any training: a positive class the labels do not have would only fail at evaluation
    if (classes.size() == 2 && !tokens.positiveClass().isBlank() && !classes.contains(tokens.positiveClass())) {
      throw new org.seqml.util.Refusal("bio.positive-class is \"" + tokens.positiveClass() + "\" but the labels' "
          + "classes are " + classes + ": set it to one of them (or to \"\" for the second in sorted order)");
    }
    int length = config.window().size();
    SequenceTensors tensors = new SequenceTensors(vocabulary, tokens.k(), length, tokens.oneHot(), nextToken(),
        classes);
    LOG.info("training {} {} model: {} tokens ({}), window {}, {} classes", config.model().family(), name(),
        vocabulary.classes(), tokens.kind(), length, nextToken() ? vocabulary.classes() : classes.size());
    ObjectNode context = Json.object();
    context.set("vocabulary", vocabulary.toJson());
    context.set("classes", Json.MAPPER.valueToTree(classes));
    ParameterAveragingTrainer.Result result = ParameterAveragingTrainer.train(
        ModelFactory.classifier(config.model(), input(tokens, vocabulary), length, tensors.outputs(),
            ModelFactory.Pooling.of(config.model(),
                nextToken() ? ModelFactory.Pooling.LAST : ModelFactory.Pooling.MAX)),
        train.select("segment", "label"),
        set.windows().filter(col("split").equalTo(SlidingWindows.VALIDATION)).select("segment", "label"),
        rows -> tensors.dataSet(rows, 0, 1), Loss.NLL, config.train(), config.model().seed(),
        Runs.checkpoints(run, context));
    ModelMetadata.WindowSpec window = new ModelMetadata.WindowSpec(length, config.window().stride(), null, null,
        null, null, tokens.kind(), tokens.k(), tokens.encoding());
    return Runs.publish(run, result, set.source(), window, new Runs.Context(null, null, vocabulary.toJson(), classes),
        "validation_nll");
  }

  /** The model's input: one-hot width or vocabulary size, and whether positions are token ids. */
  private static ModelFactory.Input input(SequenceSet.Tokenizer tokens, Vocabulary vocabulary) {
    return tokens.oneHot() ? ModelFactory.Input.vectors(vocabulary.classes())
        : ModelFactory.Input.tokens(vocabulary.classes());
  }

  /** The fixed letters, or the most frequent training k-mers (ties by k-mer), sorted. */
  private static Vocabulary vocabulary(SequenceSet.Tokenizer tokens, Dataset<Row> train) {
    if (tokens.letters() != null) {
      return new Vocabulary(tokens.letters());
    }
    int k = tokens.k();
    Dataset<Row> kmers = train.select(functions.explode(SequenceWindows.kmers("segment", k)).as("kmer"))
        .filter(functions.length(col("kmer")).equalTo(k));
    List<String> top = new ArrayList<>(kmers.groupBy("kmer").count()
        .orderBy(col("count").desc(), col("kmer")).limit(tokens.maxVocabulary()).collectAsList().stream()
        .map(r -> r.getString(0)).toList());
    top.sort(String::compareTo);
    return new Vocabulary(top);
  }

  private static List<String> classes(Dataset<Row> windows) {
    List<String> classes = windows.filter(col("label").isNotNull()).select("label").distinct().orderBy("label")
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    if (classes.size() < 2) {
      throw new org.seqml.util.Refusal("classification needs at least two classes, found " + classes
          + ": check where the labels come from (bio.labels)");
    }
    return classes;
  }

  static List<String> classes(ModelArtifact artifact) {
    List<String> classes = new ArrayList<>();
    artifact.metadata().get("classes").forEach(c -> classes.add(c.asText()));
    return classes;
  }

  @Override
  public long score(RunContext run, SequenceSet sequences) {
    run.phase("score");
    SequenceSet.Tokens set = Task.expect(sequences, SequenceSet.Tokens.class, name());
    ModelArtifact artifact = Runs.publishedModel(run, KEYS, set);
    JsonNode w = artifact.metadata().get("window");
    Vocabulary vocabulary = Vocabulary.fromJson(artifact.metadata().get("vocabulary"));
    List<String> classes = classes(artifact);
    SequenceTensors tensors = new SequenceTensors(vocabulary, w.get("k").asInt(), w.get("size").asInt(),
        w.get("encoding").asText().equals("one-hot"), nextToken(), classes);
    Dataset<Row> windows = set.windows().filter(col("split").isin(run.config().score().splits().toArray()));
    SequenceScorer scorer = new SequenceScorer(JavaSparkContext.fromSparkContext(run.spark().sparkContext()),
        artifact, tensors, nextToken(), classes, run.config().score().batchSize());
    try {
      PartitionSink.write(run, Layout.WINDOW_SCORES, scorer.scoreWindows(windows), set.source().rows(),
          artifact.modelId(), null);
      long written = PartitionSink.write(run, Layout.SCORES,
          scorer.perSequence(PartitionSink.read(run, Layout.WINDOW_SCORES), set.sequences()), set.source().rows(),
          artifact.modelId(), null);
      LOG.info("score ds={} sequences={} model={}", run.ds(), written, artifact.modelId());
      return written;
    } finally {
      scorer.release();
    }
  }

  @Override
  public StructType reads() {
    return Schemas.select(SequenceWindows.SCHEMA, "sequence_id", "segment", "label", "split");
  }

  @Override
  public List<Stage> stages(String keyName) {
    return List.of(new Stage("score", Layout.WINDOW_SCORES, SequenceScorer.WINDOW_SCORES),
        new Stage("score", Layout.SCORES, scoresSchema()));
  }

  /** The per-sequence scores' schema. */
  abstract StructType scoresSchema();

  @Override
  public ObjectNode evaluate(RunContext run, SequenceSet sequences) {
    run.phase("evaluate");
    SequenceSet.Tokens set = Task.expect(sequences, SequenceSet.Tokens.class, name());
    ModelArtifact artifact = ModelArtifact.load(run.layout().model(), run.hadoop());
    Dataset<Row> scores = PartitionSink.read(run, Layout.SCORES);
    ObjectNode figures = Json.object();
    figures.put("split", set.splitDescription());
    figures.setAll(figures(run, set, SequenceScorer.test(scores),
        scores.filter(col("split").equalTo(SlidingWindows.VALIDATION)), artifact));
    return Runs.writeMetrics(run, figures);
  }
}

package org.seqml.pipeline;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.seqml.config.SeqmlConfig;
import org.seqml.eval.ClassificationEvaluator;
import org.seqml.eval.TokenEvaluator;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.InputFiles;
import org.seqml.ingest.bio.Alphabet;
import org.seqml.ingest.bio.SequenceChecks;
import org.seqml.ingest.bio.SequenceGenerator;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.io.RowCounts;
import org.seqml.model.ModelArtifact;
import org.seqml.model.ModelFactory;
import org.seqml.model.SequenceTensors;
import org.seqml.score.SequenceScorer;
import org.seqml.train.Loss;
import org.seqml.train.ParameterAveragingTrainer;
import org.seqml.window.SequenceWindows;
import org.seqml.window.SlidingWindows;
import org.seqml.window.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bio domain: FASTA/FASTQ records to windows of residue or k-mer tokens, then sequence
 * classification (class probabilities per sequence, averaged over its windows) or next-token
 * modelling of unlabelled sequences (bits per token, perplexity).
 */
final class BioPipeline implements DomainPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(BioPipeline.class);

  @Override
  public RowCounts ingest(RunContext run) {
    run.phase("ingest");
    SeqmlConfig config = run.config();
    SeqmlConfig.Bio bio = config.bio();
    boolean classify = config.task().equals("classify");
    List<String> files;
    SeqmlConfig.Bio effective = bio;
    if (config.ingest().source().equals("generator")) {
      files = SequenceGenerator.write(run.layout().generated(run.ds()), bio.generator(), Provenance.hadoop(run));
      // The generator writes FASTA DNA with its class in the header.
      effective = new SeqmlConfig.Bio("fasta", "dna", bio.tokens(), bio.k(), bio.maxVocabulary(), bio.encoding(),
          bio.reverseComplement(), bio.maxLength(), bio.positiveClass(), bio.splitSeed(),
          new SeqmlConfig.BioLabels(classify ? "header" : "none", List.of(), "label=(?<label>[A-Za-z0-9_.-]+)", ""),
          bio.generator());
    } else {
      files = InputFiles.list(config.ingest().path(), Provenance.hadoop(run));
    }
    IngestResult in = SequenceChecks.ingest(run.spark(), files, effective, classify);
    // Each output is computed once, by its write; counts and the class summary are read back from the
    // Parquet written, and the input is counted on its own, so in = accepted + rejected stays a check.
    long acceptedCount = PartitionSink.writeData(run, Layout.SEQUENCES, in.accepted());
    long rejectedCount = PartitionSink.writeData(run, Layout.REJECTS, in.rejects());
    RowCounts counts = new RowCounts(in.inputCount(), acceptedCount, rejectedCount);
    in.release();
    ObjectNode extra = Json.object();
    ObjectNode data = extra.putObject("data");
    data.put("source", config.ingest().source().equals("generator")
        ? "bio generator(sequences=" + bio.generator().sequences() + ", seed=" + bio.generator().seed() + ")"
        : config.ingest().path());
    data.put("format", effective.format());
    data.put("alphabet", effective.alphabet());
    ObjectNode byClass = data.putObject("sequences_by_class");
    for (Row r : PartitionSink.readWritten(run, Layout.SEQUENCES).groupBy("label").count().orderBy("label")
        .collectAsList()) {
      byClass.put(r.isNullAt(0) ? "(none)" : r.getString(0), r.getLong(1));
    }
    PartitionSink.writeManifest(run, Layout.SEQUENCES, in.accepted().schema(), counts, null, extra, acceptedCount);
    PartitionSink.writeManifest(run, Layout.REJECTS, in.rejects().schema(), counts, null,
        Provenance.rejectedByReason(PartitionSink.readWritten(run, Layout.REJECTS)), rejectedCount);
    LOG.info("ingest ds={} records in={} accepted={} rejected={}; by class {}", run.ds(), counts.input(),
        counts.accepted(), counts.rejected(), byClass);
    return counts;
  }

  @Override
  public long window(RunContext run) {
    run.phase("window");
    SeqmlConfig config = run.config();
    JsonNode manifest = PartitionSink.manifest(run, Layout.SEQUENCES);
    Dataset<Row> sequences = splitSequences(run);
    Dataset<Row> windows = SequenceWindows.windows(sequences, config.task(), config.window().size(),
        config.window().stride(), k(config));
    ObjectNode extra = Json.object();
    extra.set("data", manifest.get("data"));
    long written = PartitionSink.write(run, Layout.WINDOWS, windows, RowCounts.fromJson(manifest.get("rows")), null,
        extra);
    ObjectNode splits = Json.object();
    for (Row r : PartitionSink.read(run, Layout.WINDOWS).groupBy("split").agg(functions.count("*"),
        functions.countDistinct("sequence_id")).orderBy("split").collectAsList()) {
      splits.put(r.getString(0), r.getLong(1) + " windows of " + r.getLong(2) + " sequences");
    }
    LOG.info("window ds={} windows={} by split {}", run.ds(), written, splits);
    return written;
  }

  /** The accepted sequences with their (deterministic) split, as windowing assigned it. */
  private static Dataset<Row> splitSequences(RunContext run) {
    return SequenceWindows.split(PartitionSink.read(run, Layout.SEQUENCES), run.config().split(),
        run.config().bio().splitSeed());
  }

  private static int k(SeqmlConfig config) {
    return config.bio().tokens().equals("kmer") ? config.bio().k() : 1;
  }

  @Override
  public ModelArtifact train(RunContext run) {
    run.phase("train");
    SeqmlConfig config = run.config();
    SeqmlConfig.Bio bio = config.bio();
    boolean nextToken = config.task().equals("next-token");
    JsonNode manifest = PartitionSink.manifest(run, Layout.WINDOWS);
    Dataset<Row> windows = PartitionSink.read(run, Layout.WINDOWS);
    Dataset<Row> train = windows.filter(col("split").equalTo(SlidingWindows.TRAIN));
    if (bio.reverseComplement()) {
      // The other strand of a training window is a training window of the same class.
      train = train.union(train.withColumn("segment", functions.reverse(functions.translate(col("segment"),
          "ACGTN", "TGCAN"))));
    }
    Vocabulary vocabulary = vocabulary(config, train);
    List<String> classes = nextToken ? List.of() : classes(windows);
    int length = config.window().size();
    SequenceTensors tensors = new SequenceTensors(vocabulary, k(config), length, bio.encoding().equals("one-hot"),
        nextToken, classes);
    LOG.info("training {} {} model: {} tokens ({}), window {}, {} classes", config.model().family(), config.task(),
        vocabulary.classes(), bio.tokens(), length, nextToken ? vocabulary.classes() : classes.size());
    ParameterAveragingTrainer.Result result = ParameterAveragingTrainer.train(
        ModelFactory.classifier(config.model(), tensors.input(), length, tensors.outputs(),
            ModelFactory.Pooling.of(config.model().pooling(),
                nextToken ? ModelFactory.Pooling.LAST : ModelFactory.Pooling.MAX)),
        train.select("segment", "label"),
        windows.filter(col("split").equalTo(SlidingWindows.VALIDATION)).select("segment", "label"),
        rows -> tensors.dataSet(rows, 0, 1), Loss.NLL, config.train(), config.model().seed(),
        Provenance.checkpoints(run, context(vocabulary, classes)));

    ObjectNode meta = Provenance.header(run);
    ObjectNode window = meta.putObject("window");
    window.put("size", length);
    window.put("stride", config.window().stride());
    window.put("tokens", bio.tokens());
    window.put("k", k(config));
    window.put("encoding", bio.encoding());
    meta.set("vocabulary", vocabulary.toJson());
    meta.set("classes", Json.MAPPER.valueToTree(classes));
    ObjectNode data = meta.putObject("data");
    data.set("ingest", manifest.get("data"));
    data.set("rows", manifest.get("rows"));
    data.put("train_windows", result.trainWindows());
    data.put("validation_windows", result.validationWindows());
    meta.set("training", Provenance.training(result));
    meta.putObject("metrics").put("validation_nll", result.epochs().get(result.publishedEpoch() - 1).validationLoss());
    ModelArtifact artifact = ModelArtifact.of(config.pipeline(), result.network(), meta);
    artifact.save(run.layout().model(), Provenance.hadoop(run));
    LOG.info("train ds={} published model {} to {}", run.ds(), artifact.modelId(), run.layout().model());
    return artifact;
  }

  private static ObjectNode context(Vocabulary vocabulary, List<String> classes) {
    ObjectNode c = Json.object();
    c.set("vocabulary", vocabulary.toJson());
    c.set("classes", Json.MAPPER.valueToTree(classes));
    return c;
  }

  /** Residues of the alphabet in a fixed order, or the most frequent training k-mers. */
  private static Vocabulary vocabulary(SeqmlConfig config, Dataset<Row> train) {
    SeqmlConfig.Bio bio = config.bio();
    if (!bio.tokens().equals("kmer")) {
      return new Vocabulary(Alphabet.of(bio.alphabet()).letters());
    }
    int k = bio.k();
    Dataset<Row> kmers = train.select(functions.explode(SequenceWindows.kmers("segment", k)).as("kmer"))
        .filter(functions.length(col("kmer")).equalTo(k));
    List<String> top = new ArrayList<>(kmers.groupBy("kmer").count()
        .orderBy(col("count").desc(), col("kmer")).limit(bio.maxVocabulary()).collectAsList().stream()
        .map(r -> r.getString(0)).toList());
    top.sort(String::compareTo);
    return new Vocabulary(top);
  }

  private static List<String> classes(Dataset<Row> windows) {
    List<String> classes = windows.filter(col("label").isNotNull()).select("label").distinct().orderBy("label")
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    if (classes.size() < 2) {
      throw new IllegalStateException("classification needs at least two classes, found " + classes
          + ": check bio.labels");
    }
    return classes;
  }

  @Override
  public long score(RunContext run) {
    run.phase("score");
    SeqmlConfig config = run.config();
    ModelArtifact artifact = ModelArtifact.load(run.layout().model(), Provenance.hadoop(run));
    JsonNode w = artifact.metadata().get("window");
    if (w.get("size").asInt() != config.window().size() || w.get("k").asInt() != k(config)) {
      throw new IllegalStateException("model " + artifact.modelId() + " was trained on windows of "
          + w.get("size").asInt() + " tokens (k=" + w.get("k").asInt() + "): retrain, or score with its config");
    }
    boolean nextToken = config.task().equals("next-token");
    Vocabulary vocabulary = Vocabulary.fromJson(artifact.metadata().get("vocabulary"));
    List<String> classes = new ArrayList<>();
    artifact.metadata().get("classes").forEach(c -> classes.add(c.asText()));
    SequenceTensors tensors = new SequenceTensors(vocabulary, w.get("k").asInt(), w.get("size").asInt(),
        w.get("encoding").asText().equals("one-hot"), nextToken, classes);
    JsonNode manifest = PartitionSink.manifest(run, Layout.WINDOWS);
    RowCounts counts = RowCounts.fromJson(manifest.get("rows"));
    Dataset<Row> windows = PartitionSink.read(run, Layout.WINDOWS)
        .filter(col("split").isin(config.score().splits().toArray()));
    SequenceScorer scorer = new SequenceScorer(JavaSparkContext.fromSparkContext(run.spark().sparkContext()),
        artifact, tensors, nextToken, classes, config.score().batchSize());
    try {
      PartitionSink.write(run, Layout.WINDOW_SCORES, scorer.scoreWindows(windows), counts, artifact.modelId(), null);
      Dataset<Row> sequences = splitSequences(run);
      long written = PartitionSink.write(run, Layout.SCORES,
          scorer.perSequence(PartitionSink.read(run, Layout.WINDOW_SCORES), sequences), counts, artifact.modelId(),
          null);
      LOG.info("score ds={} sequences={} model={}", run.ds(), written, artifact.modelId());
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
    Dataset<Row> sequences = splitSequences(run);
    Dataset<Row> test = SequenceScorer.test(PartitionSink.read(run, Layout.SCORES));
    metrics.put("split", String.format("stratified by class: train %.2f, validation %.2f, test %.2f of each class "
            + "(bio.split-seed %d)", config.split().train(), config.split().validation(),
        1 - config.split().train() - config.split().validation(), config.bio().splitSeed()));
    if (config.task().equals("next-token")) {
      Vocabulary vocabulary = Vocabulary.fromJson(artifact.metadata().get("vocabulary"));
      metrics.setAll(TokenEvaluator.evaluate(test, sequences, vocabulary, k(config)));
      JsonNode m = metrics.get("model");
      LOG.info("evaluate ds={} test tokens={}: model bits/token={} perplexity={}; unigram bits/token={}, "
              + "order-3 Markov={}", run.ds(), metrics.get("tokens"), m.get("bits_per_token"), m.get("perplexity"),
          metrics.get("baselines").get("unigram").get("bits_per_token"),
          metrics.get("baselines").get("markov_order_3").get("bits_per_token"));
    } else {
      List<String> classes = new ArrayList<>();
      artifact.metadata().get("classes").forEach(c -> classes.add(c.asText()));
      String positive = classes.size() != 2 ? null
          : config.bio().positiveClass().isBlank() ? classes.get(1) : config.bio().positiveClass();
      if (positive != null && !classes.contains(positive)) {
        throw new IllegalStateException("bio.positive-class " + positive + " is not one of the classes " + classes);
      }
      int baselineK = config.bio().alphabet().equals("dna") ? 4 : 2;
      metrics.setAll(ClassificationEvaluator.evaluate(test, sequences, classes, positive, baselineK));
      JsonNode m = metrics.get("model");
      JsonNode lr = metrics.get("baselines").get("kmer_logistic_regression");
      LOG.info("evaluate ds={} test sequences={}: model accuracy={} mcc={} sensitivity={} specificity={} auc={}; "
              + "k-mer logistic regression mcc={} auc={}; majority accuracy={}", run.ds(), metrics.get("sequences"),
          m.get("accuracy"), m.get("mcc"), m.path("sensitivity"), m.path("specificity"), m.path("roc_auc"),
          lr.get("mcc"), lr.path("roc_auc"), metrics.get("baselines").get("majority_class").get("accuracy"));
    }
    Json.write(run.layout().metrics(), metrics, Provenance.hadoop(run));
    return metrics;
  }
}

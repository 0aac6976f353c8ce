package org.seqml.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.InputFiles;
import org.seqml.ingest.Rejects;
import org.seqml.ingest.bio.Alphabet;
import org.seqml.ingest.bio.SequenceChecks;
import org.seqml.ingest.bio.SequenceGenerator;
import org.seqml.ingest.bio.SequenceSchema;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.Manifest;
import org.seqml.io.PartitionSink;
import org.seqml.io.RowCounts;
import org.seqml.run.RunContext;
import org.seqml.run.Stage;
import org.seqml.task.SequenceSet;
import org.seqml.window.SequenceWindows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Biological sequences: FASTA/FASTQ records (DNA, RNA or protein) to windows of residue or k-mer
 * tokens, labelled for classification or unlabelled for next-token modelling.
 */
final class BioDomain implements Domain {
  private static final Logger LOG = LoggerFactory.getLogger(BioDomain.class);
  @Override
  public String name() {
    return "bio";
  }

  @Override
  public Set<String> tasks() {
    return Set.of("classify", "next-token");
  }

  @Override
  public List<Stage> stages(SeqmlConfig config) {
    return List.of(new Stage("ingest", Layout.SEQUENCES, SequenceSchema.SCHEMA),
        new Stage("ingest", Layout.REJECTS, Rejects.SCHEMA),
        new Stage("window", Layout.WINDOWS, SequenceWindows.SCHEMA));
  }

  @Override
  public RowCounts ingest(RunContext run) {
    run.phase("ingest");
    SeqmlConfig config = run.config();
    SeqmlConfig.Bio bio = config.bio();
    boolean classify = config.task().equals("classify");
    List<String> files;
    SeqmlConfig.Bio effective = bio;
    if (config.ingest().source().equals("generator")) {
      files = SequenceGenerator.write(run.layout().generated(run.ds()), bio.generator(), run.hadoop());
      // The generator writes FASTA DNA with its class in the header.
      effective = new SeqmlConfig.Bio("fasta", "dna", bio.tokens(), bio.k(), bio.maxVocabulary(), bio.encoding(),
          bio.reverseComplement(), bio.maxLength(), bio.positiveClass(), bio.splitSeed(),
          new SeqmlConfig.BioLabels(classify ? "header" : "none", List.of(), "label=(?<label>[A-Za-z0-9_.-]+)", ""),
          bio.generator(), bio.duplicateIds(), bio.splitFrom());
    } else {
      files = InputFiles.list(config.ingest().path(), run.hadoop());
    }
    IngestResult in = SequenceChecks.ingest(run.spark(), files, effective, classify);
    // Each output is computed once, by its write; counts and the class summary are read back from the
    // Parquet written, and the input is counted on its own, so in = accepted + rejected stays a check.
    long accepted = PartitionSink.writeData(run, Layout.SEQUENCES, in.accepted());
    long rejected = PartitionSink.writeData(run, Layout.REJECTS, in.rejects());
    RowCounts counts = new RowCounts(in.inputCount(), accepted, rejected);
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
    IngestOutputs.publish(run, Layout.SEQUENCES, in.accepted().schema(), accepted, extra, in.rejects().schema(),
        counts);
    LOG.info("ingest ds={} records in={} accepted={} rejected={}; by class {}", run.ds(), counts.input(),
        counts.accepted(), counts.rejected(), byClass);
    return counts;
  }

  @Override
  public long window(RunContext run) {
    run.phase("window");
    SeqmlConfig config = run.config();
    Manifest manifest = PartitionSink.manifestOf(run, Layout.SEQUENCES);
    Dataset<Row> windows = SequenceWindows.windows(splitSequences(run), config.task(), config.window().size(),
        config.window().stride(), k(config.bio()));
    ObjectNode extra = Json.object();
    extra.set("data", manifest.get("data"));
    long written = PartitionSink.write(run, Layout.WINDOWS, windows, manifest.rows(), null,
        extra);
    ObjectNode splits = Json.object();
    for (Row r : PartitionSink.read(run, Layout.WINDOWS).groupBy("split").agg(functions.count("*"),
        functions.countDistinct("sequence_id")).orderBy("split").collectAsList()) {
      splits.put(r.getString(0), r.getLong(1) + " windows of " + r.getLong(2) + " sequences");
    }
    LOG.info("window ds={} windows={} by split {}", run.ds(), written, splits);
    return written;
  }

  @Override
  public SequenceSet sequences(RunContext run) {
    SeqmlConfig config = run.config();
    SeqmlConfig.Bio bio = config.bio();
    Manifest manifest = PartitionSink.manifestOf(run, Layout.WINDOWS);
    boolean kmers = bio.tokens().equals("kmer");
    SequenceSet.Tokenizer tokens = new SequenceSet.Tokenizer(bio.tokens(), k(bio),
        kmers ? null : Alphabet.of(bio.alphabet()).letters(), bio.maxVocabulary(), bio.encoding(),
        bio.positiveClass(), bio.alphabet().equals("dna") ? 4 : 2,
        bio.reverseComplement() ? new SequenceSet.Augmentation("reverse complement",
            segment -> functions.reverse(functions.translate(segment, "ACGTN", "TGCAN"))) : null);
    String split = bio.splitGiven() ? "as the data gives it (bio.split-from = " + bio.splitFrom() + ")"
        : String.format("stratified by class: train %.2f, validation %.2f, test %.2f of each class "
            + "(bio.split-seed %d)", config.split().train(), config.split().validation(),
        1 - config.split().train() - config.split().validation(), bio.splitSeed());
    return new SequenceSet.Tokens(splitSequences(run), PartitionSink.read(run, Layout.WINDOWS), tokens, split,
        new SequenceSet.Source(manifest.get("data"), manifest.rows()),
        // how the windows' tokens are read: a model trained on other tokens cannot read these
        kmers ? List.of("bio.tokens", "bio.k") : List.of("bio.tokens"));
  }

  /** The accepted sequences with their (deterministic) split, as windowing assigned it. */
  private static Dataset<Row> splitSequences(RunContext run) {
    Dataset<Row> sequences = PartitionSink.read(run, Layout.SEQUENCES);
    return run.config().bio().splitGiven() ? SequenceWindows.givenSplit(sequences)
        : SequenceWindows.split(sequences, run.config().split(), run.config().bio().splitSeed());
  }

  private static int k(SeqmlConfig.Bio bio) {
    return bio.tokens().equals("kmer") ? bio.k() : 1;
  }
}

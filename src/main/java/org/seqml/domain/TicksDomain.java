package org.seqml.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.Rejects;
import org.seqml.ingest.ticks.TickFeatures;
import org.seqml.ingest.ticks.TickSchema;
import org.seqml.ingest.ticks.TicksIngest;
import org.seqml.io.Json;
import org.seqml.io.KeyClustering;
import org.seqml.io.Layout;
import org.seqml.io.Manifest;
import org.seqml.io.PartitionSink;
import org.seqml.io.RowCounts;
import org.seqml.run.RunContext;
import org.seqml.run.Stage;
import org.seqml.task.SequenceSet;
import org.seqml.util.Elapsed;
import org.seqml.window.SlidingWindows;
import org.seqml.window.TimeHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Market ticks: trades and quotes per symbol to steps of four features (log return and relative spread
 * in basis points, level-1 imbalance, log volume), cut into forecasting windows of the return.
 */
final class TicksDomain implements Domain {
  private static final Logger LOG = LoggerFactory.getLogger(TicksDomain.class);
  /** The ticks' feature settings the steps' values depend on (the columns are chosen on read). */
  private static final List<String> FEATURE_KEYS = List.of("features.columns", "features.return-scale", "features.bar");

  @Override
  public String name() {
    return "ticks";
  }

  @Override
  public Set<String> tasks() {
    return Set.of("forecast");
  }

  @Override
  public List<Stage> stages(SeqmlConfig config) {
    StructType steps = TickFeatures.outputSchema();
    return List.of(new Stage("ingest", Layout.TICKS, TickSchema.SCHEMA),
        new Stage("ingest", Layout.REJECTS, Rejects.SCHEMA),
        new Stage("window", Layout.STEPS, steps),
        new Stage("window", Layout.WINDOWS, SlidingWindows.outputSchema(steps, config.features().columns())));
  }

  @Override
  public String keyName() {
    return "symbol";
  }

  @Override
  public RowCounts ingest(RunContext run) {
    run.phase("ingest");
    long t0 = System.nanoTime();
    IngestResult result = TicksIngest.read(run.spark(), run.config().ingest());
    // Each output is computed once, by its write. The ticks' provenance is observed while they are written
    // (a scan of what was written cost a fifth of the phase); the input is counted on its own (the
    // generator knows it by construction), so in = accepted + rejected stays a check.
    ObservedRecords seen = ObservedRecords.of("ticks");
    // Whether the source wrote each symbol's ticks in one file, in order: the window phase then needs no
    // shuffle (the generator does; a table source usually does not).
    KeyClustering.Watch clusteringWatch = KeyClustering.watch(run.spark());
    long accepted;
    long rejected;
    long input;
    try {
      accepted = PartitionSink.writeData(run, Layout.TICKS,
          seen.wrap(clusteringWatch.wrap(result.accepted(), "symbol", "ts", "seq")));
      rejected = PartitionSink.writeData(run, Layout.REJECTS, result.rejects());
      input = result.inputCount();
    } finally {
      result.release(); // a cached input must not outlive a failed write (notebook sessions live long)
    }
    RowCounts counts = new RowCounts(input, accepted, rejected);
    ObjectNode clustering = clusteringWatch.verdict(run.spark(), PartitionSink.writtenDir(run, Layout.TICKS));
    JsonNode keys = clustering.get("keys"); // counted by the write when each symbol sat in one task
    ObjectNode extra = Json.object();
    extra.set("data", seen.data(TicksIngest.describe(run.config().ingest()), accepted, keys != null ? keys.asLong()
        : PartitionSink.readWritten(run, Layout.TICKS).select("symbol").distinct().count()));
    extra.set("clustering", clustering);
    IngestOutputs.publish(run, Layout.TICKS, result.accepted().schema(), accepted, extra, result.rejects().schema(),
        counts);
    LOG.info("ingest ds={} in={} accepted={} rejected={} ({}s)", run.ds(), input, accepted, rejected,
        Elapsed.seconds(t0));
    return counts;
  }

  /**
   * Ticks to their features, one row per step (the steps table), and the split's event-time cuts in
   * its manifest. Windows are cut from the steps when a phase reads them ({@link #sequences}): a window
   * repeats W / S times the values the steps hold once, and writing those repeats cost more than all
   * the rest of the phase (docs/BENCHMARKS.md).
   */
  @Override
  public long window(RunContext run) {
    run.phase("window");
    long t0 = System.nanoTime();
    SeqmlConfig config = run.config();
    Manifest ticksManifest = PartitionSink.manifestOf(run, Layout.TICKS);
    Dataset<Row> ticks = PartitionSink.read(run, Layout.TICKS);
    JsonNode clustering = ticksManifest.get("clustering");
    boolean clustered = KeyClustering.trusted(run.spark(), clustering, run.layout().partition(Layout.TICKS, run.ds()));
    Dataset<Row> steps = clustered
        ? TickFeatures.computeClustered(ticks, config.features(), KeyClustering.largestFile(clustering))
        : TickFeatures.compute(ticks, config.features());
    // The steps come out whole keys per task in (ts, seq) order either way; the watch checks that for
    // the phases that cut windows from them. Their times are counted on the way for the split's cuts.
    KeyClustering.Watch watch = KeyClustering.watch(run.spark());
    TimeHistogram times = Steps.times(run.spark(), ticksManifest.get("data"),
        config.features().resampled() ? config.features().bar().toNanos() / 1000 : 0);
    long written = PartitionSink.writeData(run, Layout.STEPS,
        watch.wrap(times == null ? steps : times.wrap(steps, "ts"), "key", "ts", "seq"));
    Timestamp[] cuts = times == null ? null : times.cuts(config.split());
    if (cuts == null) { // times bunched in one bucket, or no time range from the ingest: one more pass
      LOG.info("window ds={}: split cuts from Spark's approximate quantiles of the steps' times", run.ds());
      cuts = SlidingWindows.cuts(PartitionSink.readWritten(run, Layout.STEPS), config.split());
    }
    ObjectNode extra = Json.object();
    extra.set("data", ticksManifest.get("data"));
    extra.set("split", Steps.splitJson(config.split(), cuts));
    extra.set("features", Steps.featuresJson(config.features()));
    extra.set("clustering", watch.verdict(run.spark(), PartitionSink.writtenDir(run, Layout.STEPS)));
    PartitionSink.writeManifest(run, Layout.STEPS, steps.schema(), ticksManifest.rows(),
        null, extra, written);
    if (PartitionSink.removeRetired(run, Layout.WINDOWS)) {
      LOG.info("window ds={} removed the windows partition an earlier seqml wrote: windows are cut from steps now",
          run.ds());
    }
    LOG.info("window ds={} steps={} validation from {} test from {} ({}s)", run.ds(), written,
        cuts[0].toInstant(), cuts[1].toInstant(), Elapsed.seconds(t0));
    return written;
  }

  /**
   * The windows of this run's steps (SlidingWindows.SCHEMA), cut with the config's window and the
   * cuts the window phase stored. A config whose split differs from the one the cuts were taken at,
   * or whose bar or return scale differs from the steps', is refused: the steps would not be its steps.
   */
  @Override
  public SequenceSet sequences(RunContext run) {
    SeqmlConfig config = run.config();
    Manifest manifest = PartitionSink.manifestOf(run, Layout.STEPS);
    Timestamp[] cuts = Steps.cuts(manifest, config, Steps.featuresJson(config.features()), run.ds());
    Dataset<Row> steps = PartitionSink.read(run, Layout.STEPS);
    JsonNode clustering = manifest.get("clustering");
    List<String> columns = config.features().columns();
    Dataset<Row> windows = KeyClustering.trusted(run.spark(), clustering, run.layout().partition(Layout.STEPS, run.ds()))
        ? SlidingWindows.ofClustered(steps, columns, config.window(), cuts, KeyClustering.largestFile(clustering),
            config.split().byTargets())
        : SlidingWindows.of(steps, columns, config.window(), cuts, config.split().byTargets());
    return new SequenceSet.Forecast(windows, keyName(), columns, 0,
        columns.get(0) + " x " + config.features().returnScale(),
        new SequenceSet.Source(manifest.get("data"), manifest.rows()), FEATURE_KEYS, List.of());
  }
}

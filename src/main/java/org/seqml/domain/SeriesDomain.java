package org.seqml.domain;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.Rejects;
import org.seqml.ingest.series.SeriesChecks;
import org.seqml.ingest.series.SeriesGenerator;
import org.seqml.ingest.series.SeriesTable;
import org.seqml.io.Json;
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
 * Any keyed time-series table: rows read by column roles (key, time, target, past covariates), steps
 * with calendar features, and forecasting windows of the target.
 */
final class SeriesDomain implements Domain {
  private static final Logger LOG = LoggerFactory.getLogger(SeriesDomain.class);
  /** The settings the steps' values depend on. */
  private static final List<String> STEP_KEYS = List.of("series.targets", "series.past-covariates",
      "series.future-covariates", "series.static", "series.static-categorical", "series.static-buckets",
      "series.calendar", "series.layout", "series.frequency");

  @Override
  public String name() {
    return "series";
  }

  @Override
  public Set<String> tasks() {
    return Set.of("forecast");
  }

  @Override
  public List<Stage> stages(SeqmlConfig config) {
    SeqmlConfig.Series series = roles(config);
    StructType records = SeriesChecks.schema(series);
    StructType steps = SeriesSteps.schema(series);
    return List.of(new Stage("ingest", Layout.SERIES, records), new Stage("ingest", Layout.REJECTS, Rejects.SCHEMA),
        new Stage("window", Layout.STEPS, steps),
        new Stage("window", Layout.WINDOWS, SlidingWindows.outputSchema(steps, SeriesSteps.columns(series))));
  }

  @Override
  public String keyName() {
    return "series";
  }

  @Override
  public RowCounts ingest(RunContext run) {
    run.phase("ingest");
    long t0 = System.nanoTime();
    SeqmlConfig config = run.config();
    SeqmlConfig.Series series = roles(config);
    boolean generated = config.ingest().source().equals("generator");
    Dataset<Row> raw = generated ? generatedTable(run, config) : SeriesTable.read(run.spark(), config.ingest(), series);
    SeriesChecks.Checked checked = SeriesChecks.check(raw, series,
        generated ? "the series generator" : config.ingest().path(), config.ingest().timezone());
    IngestResult in = checked.result();
    ObservedRecords seen = ObservedRecords.of("series");
    long accepted;
    long acceptedInput;
    long rejected;
    long input;
    try {
      accepted = PartitionSink.writeData(run, Layout.SERIES, seen.wrap(in.accepted()));
      rejected = PartitionSink.writeData(run, Layout.REJECTS, in.rejects());
      input = in.inputCount();
      // averaged duplicates: each input row of an average is an accepted row
      acceptedInput = checked.validBeforeMerge() == null ? accepted : checked.validBeforeMerge().count();
    } finally {
      in.release();
    }
    RowCounts counts = new RowCounts(input, acceptedInput, rejected);
    long keys = PartitionSink.readWritten(run, Layout.SERIES).select("key").distinct().count();
    ObjectNode extra = Json.object();
    ObjectNode data = seen.data(generated ? "series generator(series=" + config.series().generator().series()
        + ", steps=" + config.series().generator().steps() + ", seed=" + config.series().generator().seed() + ")"
        : config.ingest().source() + ":" + config.ingest().path(), accepted, keys);
    ObjectNode roles = data.putObject("roles");
    roles.set("key", Json.MAPPER.valueToTree(series.key()));
    roles.put("time", series.time());
    roles.set("targets", Json.MAPPER.valueToTree(series.targets()));
    roles.set("past_covariates", Json.MAPPER.valueToTree(series.pastCovariates()));
    roles.set("future_covariates", Json.MAPPER.valueToTree(series.futureCovariates()));
    roles.set("static", Json.MAPPER.valueToTree(series.staticNumeric()));
    roles.set("static_categorical", Json.MAPPER.valueToTree(series.staticCategorical()));
    roles.put("layout", series.layout());
    if (acceptedInput != accepted) {
      data.put("averaged_duplicates", acceptedInput - accepted);
    }
    extra.set("data", data);
    IngestOutputs.publish(run, Layout.SERIES, in.accepted().schema(), accepted, extra, in.rejects().schema(), counts);
    LOG.info("ingest ds={} rows in={} accepted={} rejected={}; {} series ({}s)", run.ds(), input, accepted, rejected,
        keys, Elapsed.seconds(t0));
    return counts;
  }

  private static Dataset<Row> generatedTable(RunContext run, SeqmlConfig config) {
    return SeriesTable.made(SeriesGenerator.generate(run.spark(), config.series().generator()), "generator");
  }

  /** The rows as steps ({@link SeriesSteps}), on a grid when asked; the split's cuts in the steps' manifest. */
  @Override
  public long window(RunContext run) {
    run.phase("window");
    long t0 = System.nanoTime();
    SeqmlConfig config = run.config();
    SeqmlConfig.Series series = roles(config);
    Manifest manifest = PartitionSink.manifestOf(run, Layout.SERIES);
    List<String> values = SeriesChecks.values(series);
    List<Column> columns = new ArrayList<>(List.of(col("key"), col("ts"), col("seq")));
    values.forEach(v -> columns.add(col(v)));
    Dataset<Row> records = PartitionSink.read(run, Layout.SERIES);
    Dataset<Row> rows = records.select(columns.toArray(Column[]::new));
    boolean statics = !series.staticNumeric().isEmpty() || !series.staticCategorical().isEmpty();
    ObjectNode grid = null;
    if (series.gridded()) {
      SeriesGrid.Gridded gridded = SeriesGrid.regular(rows, series.frequency().getSeconds(), values,
          series.aggregation(), series.fill());
      rows = gridded.rows();
      grid = Json.object();
      grid.put("frequency", series.frequency().toString());
      grid.put("fill", series.fill());
      grid.put("filled_steps", gridded.filledByKey().values().stream().mapToLong(Long::longValue).sum());
      grid.set("filled_by_key", Json.MAPPER.valueToTree(gridded.filledByKey()));
    }
    Dataset<Row> steps = SeriesSteps.of(rows, statics ? SeriesSteps.firstRowStatics(records, series) : null, series,
        config.window().horizon());
    TimeHistogram times = Steps.times(run.spark(), manifest.get("data"), 0);
    long written = PartitionSink.writeData(run, Layout.STEPS, times == null ? steps : times.wrap(steps, "ts"));
    Timestamp[] cuts = times == null ? null : times.cuts(config.split());
    if (cuts == null) {
      cuts = SlidingWindows.cuts(PartitionSink.readWritten(run, Layout.STEPS), config.split());
    }
    ObjectNode extra = Json.object();
    extra.set("data", manifest.get("data"));
    extra.set("split", Steps.splitJson(config.split(), cuts));
    extra.set("features", computedWith(series, config.window().horizon()));
    if (grid != null) {
      extra.set("grid", grid);
    }
    PartitionSink.writeManifest(run, Layout.STEPS, steps.schema(), manifest.rows(), null, extra, written);
    LOG.info("window ds={} steps={} validation from {} test from {} ({}s)", run.ds(), written, cuts[0].toInstant(),
        cuts[1].toInstant(), Elapsed.seconds(t0));
    return written;
  }

  @Override
  public SequenceSet sequences(RunContext run) {
    SeqmlConfig config = run.config();
    SeqmlConfig.Series series = roles(config);
    Manifest manifest = PartitionSink.manifestOf(run, Layout.STEPS);
    Timestamp[] cuts = Steps.cuts(manifest, config, computedWith(series, config.window().horizon()), run.ds());
    List<String> columns = SeriesSteps.columns(series);
    Dataset<Row> windows = SlidingWindows.of(PartitionSink.read(run, Layout.STEPS), columns, config.window(), cuts,
        config.split().byTargets());
    return new SequenceSet.Forecast(windows, keyName(), columns, 0, columns.get(0),
        new SequenceSet.Source(manifest.get("data"), manifest.rows()), STEP_KEYS, SeriesSteps.statics(series));
  }

  /** The config's roles, or the generator's own. */
  private static SeqmlConfig.Series roles(SeqmlConfig config) {
    return config.ingest().source().equals("generator") ? SeriesGenerator.roles(config.series()) : config.series();
  }

  /** What the steps' values were computed with: a config that differs reads other steps. */
  private static ObjectNode computedWith(SeqmlConfig.Series series, int horizon) {
    ObjectNode node = Json.object();
    node.set("columns", Json.MAPPER.valueToTree(SeriesSteps.columns(series)));
    node.put("frequency", series.frequency().toString());
    node.put("fill", series.fill());
    if (!series.futureCovariates().isEmpty()) {
      node.put("future_lead", horizon); // future covariates are led by the horizon
    }
    return node;
  }
}

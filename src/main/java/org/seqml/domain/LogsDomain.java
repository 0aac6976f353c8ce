package org.seqml.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.InputFiles;
import org.seqml.ingest.Rejects;
import org.seqml.ingest.TextLines;
import org.seqml.ingest.logs.LogEventSchema;
import org.seqml.ingest.logs.LogGenerator;
import org.seqml.ingest.logs.LogIngest;
import org.seqml.ingest.logs.LogLinesSource;
import org.seqml.ingest.logs.SessionFileSource;
import org.seqml.ingest.logs.SessionLabels;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.Manifest;
import org.seqml.io.PartitionSink;
import org.seqml.io.RowCounts;
import org.seqml.run.RunContext;
import org.seqml.run.Stage;
import org.seqml.task.SequenceSet;
import org.seqml.util.Schemas;
import org.seqml.window.SessionWindows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Application logs: log lines or session files to events (Drain templates), sessions and event windows. */
final class LogsDomain implements Domain {
  private static final Logger LOG = LoggerFactory.getLogger(LogsDomain.class);

  @Override
  public String name() {
    return "logs";
  }

  @Override
  public Set<String> tasks() {
    return Set.of("next-event");
  }

  @Override
  public List<Stage> stages(SeqmlConfig config) {
    return List.of(new Stage("ingest", Layout.EVENTS, LogEventSchema.SCHEMA),
        new Stage("ingest", Layout.REJECTS, Rejects.SCHEMA),
        new Stage("window", Layout.SESSIONS, SessionWindows.SESSIONS),
        new Stage("window", Layout.WINDOWS, SessionWindows.WINDOWS));
  }

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
    Row summary = written.agg(functions.count("*"), functions.countDistinct("session_id"),
        functions.countDistinct("event_id")).first();
    data.put("events", summary.getLong(0));
    data.put("sessions", summary.getLong(1));
    data.put("event_ids", summary.getLong(2));
    IngestOutputs.publish(run, Layout.EVENTS, events.schema(), summary.getLong(0), extra, in.rejects().schema(),
        counts);
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
          TextLines.read(run.spark(), InputFiles.list(config.ingest().path(), run.hadoop())), logs,
          config.ingest().timezone());
      case "generator" -> {
        LogGenerator.Generated g = LogGenerator.generate(run.spark(), logs.generator());
        LogIngest lines = LogLinesSource.read(run.spark(), g.lines(), logs, ZoneOffset.UTC);
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
    Manifest eventsManifest = PartitionSink.manifestOf(run, Layout.EVENTS);
    RowCounts counts = eventsManifest.rows();
    ObjectNode extra = Json.object();
    extra.set("data", eventsManifest.get("data"));
    Dataset<Row> sessions = SessionWindows.sessions(PartitionSink.read(run, Layout.EVENTS), config.split());
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
  public SequenceSet sequences(RunContext run) {
    Manifest manifest = PartitionSink.manifestOf(run, Layout.WINDOWS);
    return new SequenceSet.Events(PartitionSink.read(run, Layout.SESSIONS), PartitionSink.read(run, Layout.WINDOWS),
        new SequenceSet.Source(manifest.get("data"), manifest.rows()), List.of());
  }
}

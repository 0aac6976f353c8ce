package org.seqml.ingest.logs;

import static org.apache.spark.sql.functions.col;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.seqml.config.ConfigError;
import org.seqml.config.SeqmlConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple3;

/**
 * Raw log lines to events: parse the line format, mask variables, mine templates with Drain on a
 * bounded, seeded sample sorted by (file, line) in one JVM, then match every line against the
 * immutable template set in parallel. Template ids are hashes of template text, so they do not
 * depend on partitioning. Lines join sessions by an identifier in the content, or by stream and
 * inactivity gap.
 */
public final class LogLinesSource {
  private static final Logger LOG = LoggerFactory.getLogger(LogLinesSource.class);

  static final StructType PARSED = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("line", DataTypes.LongType, false)
      .add("raw", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, true)
      .add("detail", DataTypes.StringType, true)
      .add("ts", DataTypes.TimestampType, true)
      .add("stream", DataTypes.StringType, true)
      .add("session_ids", DataTypes.createArrayType(DataTypes.StringType, false), true)
      .add("tokens", DataTypes.createArrayType(DataTypes.StringType, false), true);

  private LogLinesSource() {}

  /** Checks that the format names the fields sessionisation needs, before any Spark job. */
  public static void validate(SeqmlConfig.Logs logs) {
    List<String> headers = LogFormat.of(logs.format()).headers();
    for (String field : logs.session().timeFields()) {
      if (!headers.contains(field)) {
        throw new ConfigError("logs.session.time-fields names " + field + ", which logs.line-format (" + logs.format()
            + ") does not have; fields: " + headers);
      }
    }
    if (logs.session().by().equals("gap")) {
      if (!headers.contains(logs.session().keyField())) {
        throw new ConfigError("logs.session.key-field " + logs.session().keyField() + " is not a field of logs.line-format "
            + headers);
      }
      if (logs.session().timeFields().isEmpty()) {
        throw new ConfigError("logs.session.by = gap needs logs.session.time-fields");
      }
    }
  }

  public static LogIngest read(SparkSession spark, JavaRDD<Tuple3<String, Long, String>> lines, SeqmlConfig.Logs logs,
      ZoneId zone) {
    validate(logs);
    LineParser parser = new LineParser(logs, zone);
    Dataset<Row> parsed = spark.createDataFrame(lines.map(parser::parse), PARSED)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> good = parsed.filter(col("reason").isNull());
    TemplateSet templates = mine(good, logs);
    LOG.info("mined {} templates", templates.size());
    Broadcast<TemplateSet> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(templates);
    StructType matched = PARSED.add("event_id", DataTypes.StringType, false)
        .add("template", DataTypes.StringType, false)
        .add("params", DataTypes.createArrayType(DataTypes.StringType, true), false);
    Dataset<Row> events = spark.createDataFrame(good.javaRDD().map(r -> withTemplate(r, shared.value())), matched);
    Dataset<Row> sessions = logs.session().by().equals("id")
        ? events.selectExpr("explode(array_distinct(session_ids)) AS session_id", "*")
        : byGap(events, logs.session().gap().toNanos() / 1000);
    Dataset<Row> out = sessions.selectExpr("session_id", "ts", "line AS seq", "event_id", "template", "params",
        "CAST(NULL AS INT) AS label", "source", "line");
    Dataset<Row> rejects = parsed.filter(col("reason").isNotNull()).select("source", "line", "reason", "detail", "raw");
    return new LogIngest(out, rejects, parsed);
  }

  private static Dataset<Row> byGap(Dataset<Row> events, long gapMicros) {
    var ordered = Window.partitionBy("stream").orderBy("ts", "source", "line");
    Column previous = functions.lag(functions.unix_micros(col("ts")), 1).over(ordered);
    Column starts = functions.when(previous.isNull()
        .or(functions.unix_micros(col("ts")).minus(previous).gt(gapMicros)), 1).otherwise(0);
    return events.withColumn("start", starts)
        .withColumn("session_no", functions.sum("start").over(ordered.rowsBetween(Window.unboundedPreceding(), 0)))
        .withColumn("session_id", functions.concat(col("stream"), functions.lit("#"), col("session_no")))
        .drop("start", "session_no");
  }

  private static TemplateSet mine(Dataset<Row> good, SeqmlConfig.Logs logs) {
    long count = good.count();
    Dataset<Row> sample = count > logs.mineSampleLines()
        ? good.sample(false, Math.min(1.0, 1.2 * logs.mineSampleLines() / count), logs.mineSeed())
        : good;
    List<Row> rows = sample.select("source", "line", "tokens").orderBy("source", "line")
        .limit(logs.mineSampleLines()).collectAsList();
    Drain drain = new Drain(logs.drain().depth(), logs.drain().similarity(), logs.drain().maxChildren());
    for (Row r : rows) {
      List<String> tokens = r.getList(2);
      drain.add(tokens.toArray(new String[0]));
    }
    return drain.templates();
  }

  private static Row withTemplate(Row r, TemplateSet templates) {
    List<String> tokens = r.getList(8);
    Optional<TemplateMatch> match = templates.match(tokens.toArray(new String[0]));
    String id;
    String template;
    String[] params;
    if (match.isPresent()) {
      id = match.get().id();
      template = match.get().template().text();
      params = match.get().parameters().toArray(new String[0]);
    } else {
      // A line the sample did not cover: its own text is its template, marked as never mined.
      template = String.join(" ", tokens);
      id = "unmined-" + LogTemplate.idOf(template);
      params = new String[0];
    }
    Object[] values = new Object[r.size() + 3];
    for (int i = 0; i < r.size(); i++) {
      values[i] = r.get(i);
    }
    values[r.size()] = id;
    values[r.size() + 1] = template;
    values[r.size() + 2] = params;
    return RowFactory.create(values);
  }

  /** Lines of a dataset of text as (source, line, text), for sources that are not files. */
  public static JavaRDD<Tuple3<String, Long, String>> numbered(JavaRDD<String> text, String source) {
    return text.zipWithIndex().map(t -> new Tuple3<>(source, t._2() + 1, t._1()));
  }
}

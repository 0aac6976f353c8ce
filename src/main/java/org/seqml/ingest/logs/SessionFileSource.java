package org.seqml.ingest.logs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.InputFiles;
import org.seqml.ingest.TextLines;
import scala.Tuple3;

/**
 * Parsed session files, one session a line: {@code <session id>,<space-separated integer event ids>}
 * (the format of the anomaly-detection-log-datasets collection). Labels by file name
 * (logs.labels.abnormal-files) or from a labels table joined later. A later line repeating a
 * session id is rejected (duplicate_session): one session, one line.
 */
public final class SessionFileSource {
  static final StructType CANDIDATES = new StructType()
      .add("session_id", DataTypes.StringType, true)
      .add("events", DataTypes.createArrayType(DataTypes.StringType, false), true)
      .add("label", DataTypes.IntegerType, true)
      .add("source", DataTypes.StringType, false)
      .add("line", DataTypes.LongType, false)
      .add("reason", DataTypes.StringType, true)
      .add("detail", DataTypes.StringType, true)
      .add("raw", DataTypes.StringType, true);

  private SessionFileSource() {}

  public static LogIngest read(SparkSession spark, String path, SeqmlConfig.Logs logs) {
    List<String> files = InputFiles.list(path, spark.sparkContext().hadoopConfiguration());
    String abnormal = logs.labels().abnormalFiles();
    int maxLength = logs.maxLineLength();
    JavaRDD<Row> rows = TextLines.read(spark, files).map(t -> parse(t, abnormal, maxLength));
    Dataset<Row> parsed = spark.createDataFrame(rows, CANDIDATES)
        .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> good = parsed.filter(col("reason").isNull())
        .withColumn("copy", row_number().over(Window.partitionBy("session_id").orderBy("source", "line")))
        .withColumn("reason", when(col("copy").gt(1), lit(LogReject.DUPLICATE_SESSION)))
        .withColumn("detail", when(col("copy").gt(1), lit("session id already seen on an earlier line")))
        .drop("copy");
    Dataset<Row> rejects = parsed.filter(col("reason").isNotNull()).unionByName(good.filter(col("reason").isNotNull()))
        .select("source", "line", "reason", "detail", "raw");
    Dataset<Row> events = good.filter(col("reason").isNull())
        .selectExpr("session_id", "CAST(NULL AS TIMESTAMP) AS ts", "posexplode(events) AS (pos, event_id)", "label",
            "source", "line")
        .selectExpr("session_id", "ts", "CAST(pos AS BIGINT) AS seq", "event_id", "CAST(NULL AS STRING) AS template",
            "CAST(NULL AS ARRAY<STRING>) AS params", "label", "source", "line");
    return new LogIngest(events, rejects, parsed);
  }

  static Row parse(Tuple3<String, Long, String> t, String abnormalGlob, int maxLength) {
    String file = t._1();
    long line = t._2();
    String text = t._3();
    Integer label = label(file, abnormalGlob);
    LineChecks.Problem problem = LineChecks.of(text, maxLength);
    if (problem != null) {
      return reject(file, line, problem.reason(), problem.detail(), problem.raw());
    }
    int comma = text.indexOf(',');
    if (comma <= 0) {
      return reject(file, line, LogReject.FORMAT_MISMATCH, "expected <session id>,<event ids>", text);
    }
    String id = text.substring(0, comma).trim();
    String body = text.substring(comma + 1).trim();
    if (body.isEmpty()) {
      return reject(file, line, LogReject.EMPTY_SESSION, "session " + id + " has no events", text);
    }
    List<String> events = new ArrayList<>();
    for (String token : body.split("\\s+")) {
      if (!token.matches("-?\\d{1,18}")) {
        return reject(file, line, LogReject.NON_INTEGER_EVENT_ID, "event id '" + token + "'", text);
      }
      events.add(Long.toString(Long.parseLong(token)));
    }
    return RowFactory.create(id, events.toArray(new String[0]), label, file, line, null, null, null);
  }

  private static Row reject(String file, long line, String reason, String detail, String raw) {
    return RowFactory.create(null, null, null, file, line, reason, detail, raw);
  }

  /** 1 when the file's name matches the abnormal glob, 0 when it does not, null when no glob is set. */
  static Integer label(String file, String abnormalGlob) {
    if (abnormalGlob == null || abnormalGlob.isBlank()) {
      return null;
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + abnormalGlob);
    String name = file.substring(file.lastIndexOf('/') + 1);
    return matcher.matches(Path.of(name)) ? 1 : 0;
  }
}

package org.seqml.ingest.ticks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.CsvLine;
import org.seqml.ingest.InputError;
import org.seqml.ingest.TextLines;
import org.seqml.ingest.InputFiles;

/**
 * A generic trades/quotes table, CSV (with header, plain or compressed) or Parquet, with columns
 * symbol, timestamp, price, size, bid, ask, bid_size, ask_size (any order, extra columns ignored).
 * Each row is a trade with the quote in force. A missing column stops the job naming the file.
 */
public final class TableTickSource {
  public static final List<String> COLUMNS =
      List.of("symbol", "timestamp", "price", "size", "bid", "ask", "bid_size", "ask_size");

  private TableTickSource() {}

  public static IngestResult csv(SparkSession spark, String path, ZoneId zone) {
    return csv(spark, path, zone, TickValidation.DEFAULT_SKEW);
  }

  /** With event times further than {@code skew} from their symbol's median time in a file rejected. */
  public static IngestResult csv(SparkSession spark, String path, ZoneId zone, java.time.Duration skew) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<JavaRDD<Row>> parts = new ArrayList<>();
    for (String file : InputFiles.list(path, hadoop)) {
      String[] header = header(file, readHeader(file, hadoop));
      int[] index = headerIndex(file, header);
      int width = header.length;
      String zoneId = zone.getId();
      parts.add(TextLines.lines(jsc, file, 0).zipWithIndex()
          .filter(t -> t._2() > 0) // line 1 is the header
          .map(t -> parseLine(file, t._2() + 1, t._1(), index, width, ZoneId.of(zoneId))));
    }
    JavaRDD<Row> all = parts.size() == 1 ? parts.get(0) : jsc.union(parts.toArray(new JavaRDD[0]));
    return TickValidation.finish(spark.createDataFrame(all, TickRecords.CANDIDATE_SCHEMA), skew);
  }

  public static IngestResult parquet(SparkSession spark, String path, ZoneId zone) {
    return parquet(spark, path, zone, TickValidation.DEFAULT_SKEW);
  }

  /** With event times further than {@code skew} from their symbol's median time in a file rejected. */
  public static IngestResult parquet(SparkSession spark, String path, ZoneId zone, java.time.Duration skew) {
    Dataset<Row> raw = spark.read().parquet(path);
    List<String> present = Arrays.stream(raw.columns()).map(c -> c.toLowerCase(Locale.ROOT)).toList();
    List<String> missing = COLUMNS.stream().filter(c -> !present.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new InputError(path, 0, "Parquet table lacks column(s) " + missing + "; it has " + present);
    }
    requireTypes(path, raw.schema());
    // A Parquet timestamp is taken as is; numbers and strings go through the CSV rules (epoch unit by
    // magnitude, local times in ingest.timezone, plausible years only).
    boolean nativeTs = raw.select("timestamp").schema().fields()[0].dataType()
        instanceof org.apache.spark.sql.types.TimestampType;
    org.apache.spark.sql.Column tsText = nativeTs
        ? functions.date_format(functions.col("timestamp"), "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
        : functions.col("timestamp").cast("string");
    Dataset<Row> typed = raw.select(
        functions.input_file_name().as("file"),
        functions.monotonically_increasing_id().as("row_id"),
        functions.to_json(functions.struct(COLUMNS.stream().map(functions::col)
            .toArray(org.apache.spark.sql.Column[]::new))).as("raw"),
        functions.col("symbol").cast("string").as("symbol"),
        tsText.as("ts"),
        functions.col("price").cast("double").as("price"),
        functions.col("size").cast("double").as("size"),
        functions.col("bid").cast("double").as("bid"),
        functions.col("ask").cast("double").as("ask"),
        functions.col("bid_size").cast("double").as("bid_size"),
        functions.col("ask_size").cast("double").as("ask_size"));
    String zoneId = zone.getId();
    JavaRDD<Row> candidates = typed.javaRDD().map(r -> fromTypedRow(r, ZoneId.of(zoneId)));
    return TickValidation.finish(spark.createDataFrame(candidates, TickRecords.CANDIDATE_SCHEMA), skew);
  }

  /**
   * Column types that can hold what the columns mean: a boolean or binary price would be cast to 1.0 or
   * null for every row, silently. Numbers may come as numbers or strings; the time as a timestamp, date,
   * epoch number or string; the symbol as a string or number.
   */
  static void requireTypes(String path, org.apache.spark.sql.types.StructType schema) {
    for (org.apache.spark.sql.types.StructField f : schema.fields()) {
      String name = f.name().toLowerCase(Locale.ROOT);
      if (!COLUMNS.contains(name)) {
        continue;
      }
      org.apache.spark.sql.types.DataType t = f.dataType();
      boolean number = t instanceof org.apache.spark.sql.types.NumericType;
      boolean text = t instanceof org.apache.spark.sql.types.StringType;
      boolean time = t instanceof org.apache.spark.sql.types.TimestampType
          || t instanceof org.apache.spark.sql.types.TimestampNTZType;
      boolean fits = switch (name) {
        case "symbol" -> text || number;
        case "timestamp" -> time || number || text;
        default -> number || text;
      };
      if (!fits) {
        throw new InputError(path, 0, "column " + f.name() + " is " + t.simpleString() + ", which cannot hold "
            + (name.equals("symbol") ? "a symbol" : name.equals("timestamp") ? "an event time" : "a " + name.replace('_', ' '))
            + " (expected " + (name.equals("timestamp") ? "a timestamp, an epoch number or a string"
            : name.equals("symbol") ? "a string" : "a number or a numeric string") + ")");
      }
    }
  }

  private static Row fromTypedRow(Row r, ZoneId zone) {
    String file = r.getString(0);
    long rowId = r.getLong(1);
    String raw = r.getString(2);
    for (int i = 3; i < r.size(); i++) {
      if (r.isNullAt(i)) {
        String column = i == 4 ? "timestamp" : r.schema().fields()[i].name();
        return TickRecords.reject(file, rowId, TickReject.MISSING_VALUE, column + " is null or not convertible", raw);
      }
    }
    if (r.getString(3).isBlank()) {
      return TickRecords.reject(file, rowId, TickReject.MISSING_VALUE, "symbol is empty", raw);
    }
    java.sql.Timestamp ts;
    try {
      ts = TickRecords.timestamp(r.getString(4), zone);
    } catch (RuntimeException e) {
      return TickRecords.reject(file, rowId, TickReject.UNPARSEABLE_TIMESTAMP, "timestamp '" + r.getString(4) + "'",
          raw);
    }
    return TickRecords.candidate(r.getString(3).trim(), ts, rowId, "trade", 0, null,
        r.getDouble(5), r.getDouble(6), r.getDouble(7), r.getDouble(8), r.getDouble(9), r.getDouble(10),
        true, file, rowId, raw);
  }

  static String readHeader(String file, Configuration hadoop) {
    Path p = new Path(file);
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      CompressionCodec codec = new CompressionCodecFactory(hadoop).getCodec(p);
      var in = codec == null ? fs.open(p) : codec.createInputStream(fs.open(p));
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String header = reader.readLine();
        if (header == null) {
          throw new InputError(file, 1, "file is empty: a header line with " + COLUMNS + " is required");
        }
        return header;
      }
    } catch (IOException e) {
      throw InputError.unreadable(file, 1, e);
    }
  }

  /** Position of each required column in the header; a missing one stops the job. */
  /** The header's column names, lower case (a byte order mark before the first one dropped). */
  static String[] header(String file, String line) {
    try {
      return java.util.Arrays.stream(CsvLine.fields(CsvLine.withoutBom(line)))
          .map(h -> h.trim().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    } catch (IllegalArgumentException e) {
      throw new InputError(file, 1, "the header is not a CSV line: " + e.getMessage());
    }
  }

  /** Position of each required column in the header; a missing one stops the job. */
  static int[] headerIndex(String file, String[] header) {
    List<String> names = List.of(header);
    int[] index = new int[COLUMNS.size()];
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < COLUMNS.size(); i++) {
      index[i] = names.indexOf(COLUMNS.get(i));
      if (index[i] < 0) {
        missing.add(COLUMNS.get(i));
      }
    }
    if (!missing.isEmpty()) {
      throw new InputError(file, 1, "header lacks column(s) " + missing + "; it has " + names);
    }
    return index;
  }

  static Row parseLine(String file, long line, String text, int[] index, int width, ZoneId zone) {
    if (text.isBlank()) {
      return TickRecords.reject(file, line, TickReject.EMPTY_LINE, null, text);
    }
    String[] fields;
    try {
      fields = CsvLine.fields(text);
    } catch (IllegalArgumentException e) {
      return TickRecords.reject(file, line, TickReject.WRONG_FIELD_COUNT, e.getMessage(), text);
    }
    if (fields.length != width) {
      return TickRecords.reject(file, line, TickReject.WRONG_FIELD_COUNT,
          "has " + fields.length + " fields, the header " + width, text);
    }
    String symbol = fields[index[0]];
    if (symbol.isEmpty()) {
      return TickRecords.reject(file, line, TickReject.MISSING_VALUE, "symbol is empty", text);
    }
    Timestamp ts;
    try {
      ts = TickRecords.timestamp(fields[index[1]], zone);
    } catch (RuntimeException e) {
      return TickRecords.reject(file, line, TickReject.UNPARSEABLE_TIMESTAMP,
          "timestamp '" + fields[index[1]] + "'", text);
    }
    double[] v = new double[6];
    for (int i = 0; i < 6; i++) {
      String f = fields[index[i + 2]];
      if (f.isEmpty()) {
        return TickRecords.reject(file, line, TickReject.MISSING_VALUE, COLUMNS.get(i + 2) + " is empty", text);
      }
      try {
        v[i] = TickRecords.number(f);
      } catch (NumberFormatException e) {
        return TickRecords.reject(file, line, TickReject.UNPARSEABLE_NUMBER,
            COLUMNS.get(i + 2) + " '" + f + "'", text);
      }
    }
    return TickRecords.candidate(symbol, ts, line, "trade", 0, null, v[0], v[1], v[2], v[3], v[4], v[5],
        true, file, line, text);
  }
}

package org.seqml.ingest.bio;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.Rejects;
import org.seqml.ingest.TextLines;

/**
 * Content checks after reading: UTF-8, empty, alphabet (normalised by {@link Alphabet}), length,
 * class, and duplicate ids (by bio.duplicate-ids). Every record read ends up
 * accepted or rejected with a reason, so input = accepted + rejected.
 */
public final class SequenceChecks {
  static final StructType CHECKED = new StructType()
      .add("sequence_id", DataTypes.StringType, true)
      .add("source", DataTypes.StringType, false)
      .add("line", DataTypes.LongType, false)
      .add("description", DataTypes.StringType, true)
      .add("sequence", DataTypes.StringType, true)
      .add("length", DataTypes.IntegerType, true)
      .add("label", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, true)
      .add("detail", DataTypes.StringType, true)
      .add("raw", DataTypes.StringType, true)
      .add("given_split", DataTypes.StringType, true);
  /** A split given in a header: split=train, split=validation or split=test as a word of the description. */
  static final Pattern HEADER_SPLIT = Pattern.compile("(?:^|\\s)split=(train|validation|test)(?=\\s|$)");

  private SequenceChecks() {}

  public static IngestResult check(SparkSession spark, JavaRDD<Row> raw, SeqmlConfig.Bio bio, boolean needLabels) {
    Alphabet alphabet = Alphabet.of(bio.alphabet());
    SeqmlConfig.BioLabels labels = bio.labels();
    int maxLength = bio.maxLength();
    int minLength = bio.tokens().equals("kmer") ? bio.k() : 1;
    Dataset<Row> input = spark.createDataFrame(raw, SequenceFiles.RAW).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    boolean headerSplit = bio.splitFrom().equals("header");
    JavaRDD<Row> checked = input.javaRDD().map(r -> checkOne(r, alphabet, labels, minLength, maxLength,
        headerSplit));
    Dataset<Row> rows = spark.createDataFrame(checked, CHECKED);
    if (labels.from().equals("table")) {
      Dataset<Row> table = labelsTable(spark, labels.table(), "label")
          .select(col("id").as("table_id"), col("label").as("table_label"))
          .dropDuplicates("table_id");
      rows = rows.join(table, rows.col("sequence_id").equalTo(table.col("table_id")), "left")
          .withColumn("label", col("table_label")).drop("table_id", "table_label");
    }
    if (needLabels && !labels.from().equals("none")) {
      rows = rows.withColumn("detail", when(col("reason").isNull().and(col("label").isNull()),
              lit("no class for this record from bio.labels.from = " + labels.from())).otherwise(col("detail")))
          .withColumn("reason", when(col("reason").isNull().and(col("label").isNull()),
              lit(BioReject.UNLABELLED.code())).otherwise(col("reason")));
    }
    rows = givenSplits(spark, rows, bio);
    rows = duplicateIds(rows, bio.duplicateIds());
    Dataset<Row> accepted = rows.filter(col("reason").isNull())
        .select("sequence_id", "source", "line", "description", "sequence", "length", "label", "given_split");
    Dataset<Row> rejects = rows.filter(col("reason").isNotNull())
        .select(col("source"), col("line"), col("reason"), col("detail"), col("raw"));
    return new IngestResult(org.seqml.util.Schemas.conform(accepted, SequenceSchema.SCHEMA),
        org.seqml.util.Schemas.conform(rejects, Rejects.SCHEMA), input);
  }

  /**
   * Ids among otherwise good records that occur more than once, by bio.duplicate-ids: keep-first rejects every
   * copy after the first by file and line, reject rejects them all, number renames every copy to id#n.
   */
  static Dataset<Row> duplicateIds(Dataset<Row> rows, String policy) {
    org.apache.spark.sql.expressions.WindowSpec byId = Window.partitionBy("sequence_id").orderBy("source", "line");
    org.apache.spark.sql.expressions.WindowSpec sameId = Window.partitionBy("sequence_id");
    org.apache.spark.sql.Column good = col("reason").isNull();
    rows = rows.withColumn("copy", when(good, functions.row_number().over(byId)))
        .withColumn("copies", when(good, functions.sum(when(good, 1).otherwise(0)).over(sameId)));
    org.apache.spark.sql.Column repeated = col("copies").gt(1);
    rows = switch (policy) {
      case "number" -> rows.withColumn("sequence_id", when(repeated,
          functions.concat(col("sequence_id"), lit("#"), col("copy").cast("string"))).otherwise(col("sequence_id")));
      case "reject" -> rows
          .withColumn("detail", when(repeated, functions.concat(lit("id shared by "), col("copies").cast("string"),
              lit(" records (bio.duplicate-ids = reject)"))).otherwise(col("detail")))
          .withColumn("reason", when(repeated, lit(BioReject.DUPLICATE_ID.code())).otherwise(col("reason")));
      default -> rows
          .withColumn("detail", when(col("copy").gt(1), lit("id seen before in the input (bio.duplicate-ids = "
              + "keep-first)")).otherwise(col("detail")))
          .withColumn("reason", when(col("copy").gt(1), lit(BioReject.DUPLICATE_ID.code())).otherwise(col("reason")));
    };
    return rows.drop("copy", "copies");
  }

  /**
   * bio.split-from = table joins the split column of bio.labels.table by id; with header or table, a good
   * record without a split is rejected (missing_split).
   */
  /**
   * bio.labels.table read with its header, which must name {@code id} and {@code column} (checked before any
   * work: Spark would fail later with an unresolved column, naming neither file nor fix).
   */
  static Dataset<Row> labelsTable(SparkSession spark, String path, String column) {
    Dataset<Row> table = spark.read().option("header", "true").csv(path);
    List<String> missing = new java.util.ArrayList<>();
    for (String needed : List.of("id", column)) {
      if (!List.of(table.columns()).contains(needed)) {
        missing.add(needed);
      }
    }
    if (!missing.isEmpty()) {
      throw new org.seqml.ingest.InputError(path, 1, "header lacks column(s) " + missing + " (bio.labels.table needs "
          + "id and label" + (column.equals("split") ? ", and split with bio.split-from = table" : "") + "); it has "
          + List.of(table.columns()));
    }
    return table;
  }

  static Dataset<Row> givenSplits(SparkSession spark, Dataset<Row> rows, SeqmlConfig.Bio bio) {
    String from = bio.splitFrom();
    if (from.equals("hash")) {
      return rows;
    }
    if (from.equals("table")) {
      Dataset<Row> table = labelsTable(spark, bio.labels().table(), "split");
      table = table.select(col("id").as("split_id"), col("split").as("table_split")).dropDuplicates("split_id");
      rows = rows.join(table, rows.col("sequence_id").equalTo(table.col("split_id")), "left")
          .withColumn("given_split", col("table_split")).drop("split_id", "table_split");
    }
    org.apache.spark.sql.Column missing = col("reason").isNull()
        .and(col("given_split").isNull().or(functions.not(col("given_split").isin("train", "validation", "test"))));
    return rows
        .withColumn("detail", when(missing, lit("no split=train|validation|test for this record in the "
            + from + " (bio.split-from = " + from + ")")).otherwise(col("detail")))
        .withColumn("reason", when(missing, lit(BioReject.MISSING_SPLIT.code())).otherwise(col("reason")));
  }

  static Row checkOne(Row r, Alphabet alphabet, SeqmlConfig.BioLabels labels, int minLength, int maxLength) {
    return checkOne(r, alphabet, labels, minLength, maxLength, false);
  }

  static Row checkOne(Row r, Alphabet alphabet, SeqmlConfig.BioLabels labels, int minLength, int maxLength,
      boolean headerSplit) {
    String source = r.getString(0);
    long line = r.getLong(1);
    String id = r.getString(2);
    String description = r.getString(3);
    String sequence = r.getString(4);
    String rawText = r.getString(7);
    if (r.getString(5) != null) {
      return RowFactory.create(id, source, line, description, null, null, null, r.getString(5), r.getString(6),
          rawText, null);
    }
    String reason = null;
    String detail = null;
    String normalised = null;
    if (TextLines.hadInvalidUtf8(sequence) || TextLines.hadInvalidUtf8(rawText)) {
      reason = BioReject.INVALID_UTF8.code();
      detail = "the record holds bytes that are not UTF-8";
    } else if (sequence.isEmpty()) {
      reason = BioReject.EMPTY_SEQUENCE.code();
      detail = "no residues between this header and the next";
    } else if (sequence.length() > maxLength) {
      reason = BioReject.TOO_LONG.code();
      detail = sequence.length() + " residues, bio.max-length is " + maxLength;
    } else {
      Alphabet.Normalised n = alphabet.normalise(sequence);
      if (!n.ok()) {
        reason = BioReject.INVALID_CHARACTER.code();
        detail = "'" + n.bad() + "' at position " + (n.position() + 1) + " is not " + alphabet.name().toLowerCase();
      } else {
        normalised = n.sequence();
        if (normalised.isEmpty()) {
          reason = BioReject.EMPTY_SEQUENCE.code();
          detail = "nothing left after dropping the stop symbol";
          normalised = null;
        } else if (normalised.length() < minLength) {
          reason = BioReject.TOO_SHORT.code();
          detail = normalised.length() + " residues, fewer than one " + minLength + "-mer";
          normalised = null;
        }
      }
    }
    String label = labelOf(labels, source, id, description);
    String given = null;
    if (headerSplit && description != null) {
      Matcher m = HEADER_SPLIT.matcher(description);
      given = m.find() ? m.group(1) : null;
    }
    return RowFactory.create(id, source, line, description, normalised,
        normalised == null ? null : normalised.length(), label, reason, detail, rawText, given);
  }

  /** The class from the file name or the header (table labels are joined later). */
  static String labelOf(SeqmlConfig.BioLabels labels, String source, String id, String description) {
    switch (labels.from()) {
      case "file" -> {
        Path name = Path.of(source.replaceFirst("^[a-zA-Z]+:", "")).getFileName();
        for (String pair : labels.files()) {
          String[] parts = pair.split("=", 2);
          PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + parts[0].strip());
          if (name != null && m.matches(name)) {
            return parts[1].strip();
          }
        }
        return null;
      }
      case "header" -> {
        Matcher m = Pattern.compile(labels.headerRegex()).matcher(id == null ? "" : id + " " + description);
        return m.find() ? m.group("label") : null;
      }
      default -> {
        return null;
      }
    }
  }

  /** Reads files and checks them: what the bio ingest of ingest.source = files does. */
  public static IngestResult ingest(SparkSession spark, List<String> files, SeqmlConfig.Bio bio,
      boolean needLabels) {
    return check(spark, SequenceFiles.read(spark, files, bio.format()), bio, needLabels);
  }
}

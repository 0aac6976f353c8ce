package org.seqml.ingest.series;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.InputError;

/**
 * A series input as Spark reads it, with where each row came from: {@code _file}, {@code _line} (the
 * row's 1-based position in its file; CSV: its line when records hold no line breaks) and, for CSV,
 * {@code _corrupt} (the text of a row the parser could not split). CSV cells are read as text and
 * converted by the checks, so a bad cell is a reject, never a silently guessed type.
 */
public final class SeriesTable {
  static final String FILE = "_file";
  static final String LINE = "_line";
  static final String CORRUPT = "_corrupt";

  private SeriesTable() {}

  /** The input named by ingest.path in ingest.file-format, or the catalog table with source = table. */
  public static Dataset<Row> read(SparkSession spark, SeqmlConfig.Ingest ingest, SeqmlConfig.Series series) {
    Dataset<Row> raw;
    boolean csv = ingest.source().equals("files") && ingest.format().equals("csv");
    if (ingest.source().equals("table")) {
      raw = spark.table(ingest.path());
    } else if (csv) {
      requireOneFileWithoutTime(spark, ingest.path(), series);
      raw = csv(spark, ingest.path(), series);
    } else {
      requireOneFileWithoutTime(spark, ingest.path(), series);
      raw = spark.read().format(ingest.format()).load(ingest.path());
    }
    raw = raw.withColumn(FILE, ingest.source().equals("table") ? lit(ingest.path()) : functions.input_file_name());
    if (!csv) {
      raw = raw.withColumn(CORRUPT, lit(null).cast(DataTypes.StringType));
    }
    // One file's splits come out in file order (Spark orders splits by size, and a file's are equal but
    // its last), so the id orders a file's rows; the row number makes it a position.
    Column order = functions.monotonically_increasing_id();
    return raw.withColumn("_order", order)
        .withColumn(LINE, functions.row_number().over(Window.partitionBy(FILE).orderBy("_order"))
            .cast(DataTypes.LongType).plus(csv && series.header() ? 1 : 0))
        .drop("_order");
  }

  /** Without a time column the rows' order in their file is the time: that needs one file, not several. */
  private static void requireOneFileWithoutTime(SparkSession spark, String path, SeqmlConfig.Series series) {
    if (series.time().isBlank()) {
      List<String> files = org.seqml.ingest.InputFiles.list(path, spark.sparkContext().hadoopConfiguration());
      if (files.size() > 1) {
        throw new InputError(path, 0, "series.time is empty, so each row's position in its file is its time, but the "
            + "input has " + files.size() + " files: name the time column, or give one file");
      }
    }
  }

  private static Dataset<Row> csv(SparkSession spark, String path, SeqmlConfig.Series series) {
    DataFrameReader reader = spark.read().option("header", series.header()).option("inferSchema", false)
        .option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT);
    if (!series.header()) {
      if (series.columns().isEmpty()) {
        throw new InputError(path, 0, "a CSV without a header needs its column names in series.columns");
      }
      StructType schema = new StructType();
      for (String name : series.columns()) {
        schema = schema.add(name, DataTypes.StringType, true);
      }
      reader = reader.schema(schema.add(CORRUPT, DataTypes.StringType, true));
    } else {
      // the header's names, every column as text, plus the corrupt-record column
      StructType header = spark.read().option("header", true).option("inferSchema", false).csv(path).schema();
      StructType schema = new StructType();
      for (StructField f : header.fields()) {
        schema = schema.add(f.name(), DataTypes.StringType, true);
      }
      reader = reader.schema(schema.add(CORRUPT, DataTypes.StringType, true));
    }
    return reader.csv(path);
  }

  /** A table made in memory (the generator's) with the provenance columns a read gives: a label and row ids. */
  public static Dataset<Row> made(Dataset<Row> table, String label) {
    return table.withColumn(FILE, lit(label))
        .withColumn(LINE, functions.monotonically_increasing_id().plus(1))
        .withColumn(CORRUPT, lit(null).cast(DataTypes.StringType));
  }

  /** The columns of {@code raw} a role names that it lacks, as an error naming them and what it has. */
  static void requireColumns(Dataset<Row> raw, List<String> roles, String input) {
    List<String> present = new ArrayList<>(Arrays.asList(raw.columns()));
    present.removeAll(List.of(FILE, LINE, CORRUPT));
    List<String> missing = roles.stream().filter(r -> !present.contains(r)).toList();
    if (!missing.isEmpty()) {
      throw new InputError(input, 0, "lacks the column(s) " + missing + " that series.key, series.time, "
          + "series.targets or series.past-covariates name; it has " + present);
    }
  }
}

package org.seqml.util;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Holds a stage's output to the schema it declares: column names, order and types. */
public final class Schemas {
  private Schemas() {}

  /** Selects the declared columns in order, cast to the declared types (no data round trip). */
  public static Dataset<Row> conform(Dataset<Row> data, StructType declared) {
    StructType actual = data.schema();
    Column[] columns = Arrays.stream(declared.fields())
        .map(f -> sameShape(actual.apply(f.name()).dataType(), f.dataType())
            ? functions.col(f.name())
            : functions.col(f.name()).cast(f.dataType()).as(f.name()))
        .toArray(Column[]::new);
    return data.select(columns);
  }

  private static boolean sameShape(org.apache.spark.sql.types.DataType a, org.apache.spark.sql.types.DataType b) {
    return a.simpleString().equals(b.simpleString()); // nullability aside
  }

  /** Names and types of a schema, nullability ignored: what the contract tests compare. */
  public static String shape(StructType schema) {
    StringBuilder sb = new StringBuilder();
    for (StructField f : schema.fields()) {
      sb.append(f.name()).append(':').append(f.dataType().simpleString()).append(' ');
    }
    return sb.toString().trim();
  }

  /** The named fields of a schema, in the order named; a missing name throws naming it. */
  public static StructType select(StructType schema, String... names) {
    return new StructType(Arrays.stream(names).map(schema::apply).toArray(StructField[]::new));
  }

  /**
   * The fields of {@code needed} that {@code offered} lacks or holds with another type, as
   * "name type (offered: ...)"; empty when it offers them all.
   */
  public static java.util.List<String> missing(StructType offered, StructType needed) {
    java.util.List<String> problems = new java.util.ArrayList<>();
    java.util.Set<String> names = java.util.Set.of(offered.fieldNames());
    for (StructField f : needed.fields()) {
      if (!names.contains(f.name())) {
        problems.add(f.name() + " " + f.dataType().simpleString() + " (absent)");
      } else if (!sameShape(offered.apply(f.name()).dataType(), f.dataType())) {
        problems.add(f.name() + " " + f.dataType().simpleString() + " (offered: "
            + offered.apply(f.name()).dataType().simpleString() + ")");
      }
    }
    return problems;
  }

  /** The schema with every field nullable, as a table read back from Parquet has it. */
  public static StructType nullable(StructType schema) {
    return new StructType(java.util.Arrays.stream(schema.fields())
        .map(f -> f.copy(f.name(), f.dataType(), true, f.metadata()))
        .toArray(org.apache.spark.sql.types.StructField[]::new));
  }
}

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

  /** The schema with every field nullable, as a table read back from Parquet has it. */
  public static StructType nullable(StructType schema) {
    return new StructType(java.util.Arrays.stream(schema.fields())
        .map(f -> f.copy(f.name(), f.dataType(), true, f.metadata()))
        .toArray(org.apache.spark.sql.types.StructField[]::new));
  }
}

package org.seqml.run;

import org.apache.spark.sql.types.StructType;

/** A table a phase writes (or, for {@code windows} of ticks, cuts on read) and the schema it declares. */
public record Stage(String phase, String table, StructType schema) {
  /** One line for a plan: phase, table and columns with their types. */
  public String describe() {
    StringBuilder columns = new StringBuilder();
    for (var field : schema.fields()) {
      columns.append(columns.length() == 0 ? "" : ", ").append(field.name()).append(' ')
          .append(field.dataType().simpleString());
    }
    return phase + " -> " + table + " (" + columns + ")";
  }
}

package org.seqml.ingest;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The rejects table: one row per refused input record, with a reason code and the raw record. */
public final class Rejects {
  public static final StructType SCHEMA = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("line", DataTypes.LongType, false)
      .add("reason", DataTypes.StringType, false)
      .add("detail", DataTypes.StringType, true)
      .add("raw", DataTypes.StringType, true);

  private Rejects() {}
}

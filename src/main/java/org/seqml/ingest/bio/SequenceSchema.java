package org.seqml.ingest.bio;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The accepted sequences table: one row per record, normalised, with its class (null if unlabelled) and the
 * split the data gives it (bio.split-from header or table; null when the split is drawn by hash).
 */
public final class SequenceSchema {
  public static final StructType SCHEMA = new StructType()
      .add("sequence_id", DataTypes.StringType, false)
      .add("source", DataTypes.StringType, false)
      .add("line", DataTypes.LongType, false)
      .add("description", DataTypes.StringType, true)
      .add("sequence", DataTypes.StringType, false)
      .add("length", DataTypes.IntegerType, false)
      .add("label", DataTypes.StringType, true)
      .add("given_split", DataTypes.StringType, true);

  private SequenceSchema() {}
}

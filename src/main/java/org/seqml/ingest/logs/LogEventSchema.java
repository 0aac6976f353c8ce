package org.seqml.ingest.logs;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The events table every logs source produces: one row per event of a session, in order (ts, seq). */
public final class LogEventSchema {
  public static final StructType SCHEMA = new StructType()
      .add("session_id", DataTypes.StringType, false)
      .add("ts", DataTypes.TimestampType, true)
      .add("seq", DataTypes.LongType, false)
      .add("event_id", DataTypes.StringType, false)
      .add("template", DataTypes.StringType, true)
      .add("params", DataTypes.createArrayType(DataTypes.StringType, true), true)
      // 1 abnormal, 0 normal, null unknown (per session)
      .add("label", DataTypes.IntegerType, true)
      .add("source", DataTypes.StringType, false)
      .add("line", DataTypes.LongType, false);

  private LogEventSchema() {}
}

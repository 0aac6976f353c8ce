package org.seqml.ingest.ticks;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The canonical tick row every ticks source produces. Per-symbol order is (ts, seq). */
public final class TickSchema {
  public static final StructType SCHEMA = new StructType()
      .add("symbol", DataTypes.StringType, false)
      .add("ts", DataTypes.TimestampType, false)
      .add("seq", DataTypes.LongType, false)
      // trade, quote, or a LOBSTER event: submit, cancel, delete, exec_visible, exec_hidden, cross
      .add("event", DataTypes.StringType, false)
      // +1 buy, -1 sell, 0 unknown (LOBSTER: side of the resting limit order)
      .add("side", DataTypes.IntegerType, false)
      .add("order_id", DataTypes.LongType, true)
      .add("price", DataTypes.DoubleType, true)
      .add("size", DataTypes.DoubleType, false)
      .add("bid", DataTypes.DoubleType, false)
      .add("ask", DataTypes.DoubleType, false)
      .add("bid_size", DataTypes.DoubleType, false)
      .add("ask_size", DataTypes.DoubleType, false)
      .add("source", DataTypes.StringType, false)
      .add("line", DataTypes.LongType, false);

  /** Events whose size is traded volume. */
  public static final String[] TRADE_EVENTS = {"trade", "exec_visible", "exec_hidden", "cross"};

  private TickSchema() {}
}

package org.seqml.ingest.ticks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.KeyClustering;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-symbol features in event time (or on bars): log return of the mid, relative spread,
 * level-1 order-book imbalance, and log traded volume. Returns and spreads are multiplied by
 * features.return-scale (10000 = basis points). The first row of a symbol has no return and is
 * not emitted. With bars, a bar keeps its last quote and sums its traded volume, and is stamped with
 * its end (the time its values are known); empty bars are absent, so a bar's return is measured
 * from the previous non-empty bar.
 */
public final class TickFeatures {
  private static final Logger LOG = LoggerFactory.getLogger(TickFeatures.class);
  /** Output schema: the windowing input every domain produces (key, order, features). */
  public static final StructType SCHEMA = new StructType()
      .add("key", DataTypes.StringType, false)
      .add("ts", DataTypes.TimestampType, false)
      .add("seq", DataTypes.LongType, false)
      .add("ret", DataTypes.DoubleType, false)
      .add("spread", DataTypes.DoubleType, false)
      .add("imbalance", DataTypes.DoubleType, false)
      .add("volume", DataTypes.DoubleType, false);

  private TickFeatures() {}

  public static StructType outputSchema() {
    return SCHEMA;
  }

  /**
   * The features (SCHEMA), each key's rows together in one partition and in order: one shuffle by key
   * and one sort, then one pass per key that carries the previous mid. On Spark's internal rows both
   * ways: external Rows cost a conversion in and out for every tick (a quarter of a 10 M-tick window
   * phase went to StepIterator and its conversions in a JFR profile).
   */
  public static Dataset<Row> compute(Dataset<Row> ticks, SeqmlConfig.Features features) {
    Dataset<Row> steps = features.resampled() ? bars(events(ticks), features.bar()) : events(ticks);
    Dataset<Row> ordered = steps.repartition(col("key"))
        .sortWithinPartitions(col("key"), col("ts"), col("seq"), col("source"), col("line"))
        .select(col("key"), col("ts"), col("bid").cast("double"), col("ask").cast("double"),
            col("bid_size").cast("double"), col("ask_size").cast("double"), col("traded").cast("double"));
    double scale = features.returnScale();
    // toRdd() plans the query; with adaptive execution it runs the shuffle right away, once, and the
    // write that follows reads its output.
    JavaRDD<InternalRow> rows = ordered.queryExecution().toRdd().toJavaRDD()
        .mapPartitions(it -> new StepIterator(it, scale));
    // internalCreateDataFrame is private[sql] in Scala, public in bytecode (as BatchScorer uses it).
    return ticks.sparkSession().internalCreateDataFrame(rows.rdd(), SCHEMA, false);
  }

  /**
   * {@link #compute} for ticks read from a partition whose clustering is trusted
   * ({@code KeyClustering.trusted}): each file read whole holds its symbols' ticks together and in
   * order, so the features stream from the files without the shuffle and the sort; the rows are still
   * checked as they pass. Bars (a group-by) and a read Spark would split a file for take the shuffle.
   */
  public static Dataset<Row> computeClustered(Dataset<Row> ticks, SeqmlConfig.Features features, long largestFile) {
    if (features.resampled()) {
      return compute(ticks, features);
    }
    Dataset<Row> read = events(ticks).select(col("key"), col("ts"), col("bid").cast("double"),
        col("ask").cast("double"), col("bid_size").cast("double"), col("ask_size").cast("double"),
        col("traded").cast("double"), col("seq"));
    org.apache.spark.rdd.RDD<InternalRow> whole = KeyClustering.wholeFiles(read, largestFile);
    if (whole == null) {
      LOG.info("the clustered ticks would be read in split files: shuffling them by symbol instead");
      return compute(ticks, features);
    }
    double scale = features.returnScale();
    JavaRDD<InternalRow> rows = whole.toJavaRDD()
        .mapPartitions(it -> new StepIterator(KeyClustering.guarded(it, 0, 1, 7, "the ticks partition"), scale));
    return ticks.sparkSession().internalCreateDataFrame(rows.rdd(), SCHEMA, false);
  }

  private static Dataset<Row> events(Dataset<Row> ticks) {
    Column traded = when(col("event").isin((Object[]) TickSchema.TRADE_EVENTS), col("size")).otherwise(lit(0.0));
    return ticks.select(
        col("symbol").as("key"), col("ts"), col("seq"), col("source"), col("line"),
        col("bid"), col("ask"), col("bid_size"), col("ask_size"), traded.as("traded"));
  }

  /**
   * Rows (key, ts, bid, ask, bid_size, ask_size, traded), sorted by key then order, to feature rows.
   * seq is the row's 1-based position in its key's full order, so later stages can order by (ts, seq)
   * alone even when one key's events come from several files; a key's first row has no return and is
   * not emitted. StrictMath, as Spark's log and log1p use, so values match the SQL definition exactly.
   */
  private static final class StepIterator implements Iterator<InternalRow> {
    private static final String[] INPUTS = {"symbol", "ts", "bid", "ask", "bid_size", "ask_size", "size"};
    private final Iterator<InternalRow> rows;
    private final double scale;
    private UTF8String key; // a copy: the sorter reuses its rows' memory
    private double prevMid;
    private long position;
    private InternalRow next;

    StepIterator(Iterator<InternalRow> rows, double scale) {
      this.rows = rows;
      this.scale = scale;
    }

    @Override
    public boolean hasNext() {
      while (next == null && rows.hasNext()) {
        InternalRow r = rows.next();
        for (int i = 0; i < INPUTS.length; i++) {
          if (r.isNullAt(i)) { // a ticks table read back from Parquet is nullable; an internal row reads null as 0
            throw new IllegalArgumentException("tick " + (r.isNullAt(0) ? "?" : r.getUTF8String(0)) + "/"
                + (position + 1) + " has no " + INPUTS[i]);
          }
        }
        UTF8String k = r.getUTF8String(0);
        double bid = r.getDouble(2);
        double ask = r.getDouble(3);
        double mid = (bid + ask) / 2;
        if (!k.equals(key)) {
          key = k.clone();
          position = 1;
          prevMid = mid;
          continue;
        }
        position++;
        double bidSize = r.getDouble(4);
        double askSize = r.getDouble(5);
        double depth = bidSize + askSize;
        next = new GenericInternalRow(new Object[] {key, r.getLong(1), position,
            (StrictMath.log(mid) - StrictMath.log(prevMid)) * scale,
            (ask - bid) / mid * scale,
            depth > 0 ? (bidSize - askSize) / depth : 0.0,
            StrictMath.log1p(r.getDouble(6))});
        prevMid = mid;
      }
      return next != null;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      InternalRow r = next;
      next = null;
      return r;
    }
  }

  private static Dataset<Row> bars(Dataset<Row> events, Duration bar) {
    long barMicros = bar.toNanos() / 1000;
    Column micros = functions.unix_micros(col("ts"));
    Column start = micros.minus(functions.pmod(micros, lit(barMicros)));
    Column order = functions.struct(col("ts"), col("seq"), col("source"), col("line"));
    return events.withColumn("bar", start).withColumn("ord", order)
        .groupBy(col("key"), col("bar"))
        .agg(functions.max_by(col("bid"), col("ord")).as("bid"),
            functions.max_by(col("ask"), col("ord")).as("ask"),
            functions.max_by(col("bid_size"), col("ord")).as("bid_size"),
            functions.max_by(col("ask_size"), col("ord")).as("ask_size"),
            functions.sum(col("traded")).as("traded"))
        .select(col("key"), functions.timestamp_micros(col("bar").plus(barMicros)).as("ts"), col("bar").as("seq"),
            lit("bar").as("source"), lit(0L).as("line"),
            col("bid"), col("ask"), col("bid_size"), col("ask_size"), col("traded"));
  }
}

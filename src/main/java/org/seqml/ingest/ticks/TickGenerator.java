package org.seqml.ingest.ticks;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.Rejects;

/**
 * Synthetic multi-symbol trade-and-quote ticks for demos and tests. Each symbol's mid is a random
 * walk whose drift and volatility switch between regimes (a two-state Markov chain each); the
 * spread widens with volatility; order-book imbalance is an AR(1) process that leads the next mid
 * returns (the learnable signal, scaled by signal-strength) and tilts which side trades.
 * Deterministic per (seed, symbol), so a symbol's path does not depend on partitioning.
 */
public final class TickGenerator {
  private TickGenerator() {}

  /**
   * Ticks as Spark's internal rows, one symbol's path at a time: the strings are made once per symbol
   * and no external Row is converted (that conversion and per-row strings were a third of the ingest
   * phase's profile at 10 M ticks, docs/BENCHMARKS.md).
   */
  public static IngestResult generate(SparkSession spark, SeqmlConfig.Generator g) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> symbols = IntStream.range(0, g.symbols()).boxed().toList();
    JavaRDD<InternalRow> rows = jsc.parallelize(symbols, Math.min(g.partitions(), g.symbols()))
        .flatMap(s -> new SymbolPath(g, s));
    // internalCreateDataFrame is Spark's private[sql] entry for internal rows (public in the bytecode)
    Dataset<Row> ticks = spark.internalCreateDataFrame(rows.rdd(), TickSchema.SCHEMA, false);
    return new IngestResult(ticks, spark.createDataFrame(jsc.<Row>emptyRDD(), Rejects.SCHEMA), ticks,
        (long) g.symbols() * g.ticksPerSymbol());
  }

  static String symbolName(int index) {
    return String.format("SYM%03d", index);
  }

  /** One symbol's ticks in time order (TickSchema.SCHEMA), generated as they are read. */
  private static final class SymbolPath implements Iterator<InternalRow> {
    private static final UTF8String TRADE = UTF8String.fromString("trade");
    private final SeqmlConfig.Generator g;
    private final SplittableRandom rng;
    private final UTF8String name;
    private final UTF8String source;
    private double mid;
    private double imbalance = 0;
    private boolean highVol = false;
    private int drift = 0; // -1, 0, +1
    private long micros;
    private int i = 0;

    SymbolPath(SeqmlConfig.Generator g, int symbol) {
      this.g = g;
      this.rng = new SplittableRandom(g.seed() * 1_000_003L + symbol);
      this.name = UTF8String.fromString(symbolName(symbol));
      this.source = UTF8String.fromString("generator:seed=" + g.seed());
      this.mid = 20 + rng.nextDouble() * 480;
      this.micros = g.start().getEpochSecond() * 1_000_000L + g.start().getNano() / 1000;
    }

    @Override
    public boolean hasNext() {
      return i < g.ticksPerSymbol();
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      if (rng.nextDouble() < 0.002) {
        highVol = !highVol;
      }
      if (rng.nextDouble() < 0.001) {
        drift = rng.nextInt(3) - 1;
      }
      double volBps = highVol ? 2.5 : 0.8;
      double retBps = 0.05 * drift + 1.5 * g.signalStrength() * imbalance + volBps * gaussian(rng);
      mid *= Math.exp(retBps / 10_000.0);
      imbalance = clamp(0.9 * imbalance + 0.3 * gaussian(rng), -0.95, 0.95);

      double tick = 0.01;
      double spread = tick * (1 + rng.nextInt(highVol ? 4 : 2));
      double bid = round4(mid - spread / 2);
      double ask = round4(Math.max(bid + tick, mid + spread / 2));
      double depth = 200 + rng.nextInt(800);
      double bidSize = Math.max(1, Math.round(depth * (1 + imbalance)));
      double askSize = Math.max(1, Math.round(depth * (1 - imbalance)));
      boolean buy = rng.nextDouble() < 0.5 + 0.4 * imbalance;
      double size = Math.max(1, Math.round(Math.exp(3 + 1.2 * gaussian(rng))));
      micros += 1 + (long) (-Math.log(1 - rng.nextDouble()) * g.meanIntervalMs() * 1000);
      long seq = i++;
      // Spark keeps a timestamp as microseconds since the epoch
      return new GenericInternalRow(new Object[] {name, micros, seq, TRADE, buy ? 1 : -1, null, buy ? ask : bid,
          size, bid, ask, bidSize, askSize, source, seq + 1});
    }
  }

  private static double gaussian(SplittableRandom rng) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static double clamp(double x, double lo, double hi) {
    return Math.max(lo, Math.min(hi, x));
  }

  private static double round4(double x) {
    return Math.round(x * 10_000.0) / 10_000.0;
  }
}

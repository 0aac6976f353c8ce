package org.seqml.ingest.series;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;

/**
 * Hourly series with what real ones have: each its own level (10 to 1,000), trend, daily and weekly
 * seasons, a static category that sets the daily amplitude, noise, a covariate (a slow AR(1)
 * "temperature") that moves the target three hours later, and a planned "promotion" (0 or 1, in runs
 * of 4 to 24 hours, about a tenth of the time) that lifts the target in the hours it is on: known ahead,
 * a future covariate. A model that reads them can beat the seasonal-naive forecast. Deterministic per seed and series, whatever the partitioning.
 */
public final class SeriesGenerator {
  /** The generator's table and the roles it comes with. */
  public static final StructType SCHEMA = new StructType()
      .add("series", DataTypes.StringType, false)
      .add("category", DataTypes.StringType, false)
      .add("time", DataTypes.TimestampType, false)
      .add("load", DataTypes.DoubleType, false)
      .add("temperature", DataTypes.DoubleType, false)
      .add("promotion", DataTypes.DoubleType, false);
  /** How many hours after the covariate it moves the target. */
  public static final int COVARIATE_LAG = 3;

  private SeriesGenerator() {}

  /** The roles of the generator's table. */
  public static SeqmlConfig.Series roles(SeqmlConfig.Series configured) {
    return new SeqmlConfig.Series(List.of("series"), "time", List.of("load"), List.of("temperature"), "long",
        configured.calendar(), true, List.of(), "reject", configured.frequency(), configured.aggregation(),
        configured.fill(), configured.generator(), List.of("promotion"), List.of(), List.of("category"),
        configured.staticBuckets());
  }

  public static Dataset<Row> generate(SparkSession spark, SeqmlConfig.SeriesGenerator g) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < g.series(); i++) {
      ids.add(i);
    }
    long seed = g.seed();
    int steps = g.steps();
    long start = g.start().toEpochMilli();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(jsc.parallelize(ids, g.partitions()).flatMap(i -> series(i, seed, steps, start)
        .iterator()), SCHEMA);
  }

  static List<Row> series(int id, long seed, int steps, long startMillis) {
    SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + id);
    double level = 10 * Math.pow(100, rng.nextDouble());
    double trend = level * (rng.nextDouble() - 0.4) * 2e-4;
    int category = rng.nextInt(3);
    double daily = level * (0.1 + 0.1 * category);
    double weekly = level * 0.08 * rng.nextDouble();
    double phase = rng.nextDouble() * 2 * Math.PI;
    double effect = level * 0.05;
    double noise = level * 0.02;
    double[] temperature = new double[steps];
    double lift = level * 0.25;
    double t = 0;
    int promotionLeft = 0;
    List<Row> rows = new ArrayList<>(steps);
    for (int s = 0; s < steps; s++) {
      t = 0.9 * t + rng.nextGaussian();
      temperature[s] = 15 + 3 * t;
      double moved = s >= COVARIATE_LAG ? (temperature[s - COVARIATE_LAG] - 15) / 3 : 0;
      if (promotionLeft > 0) {
        promotionLeft--;
      } else if (rng.nextDouble() < 0.008) {
        promotionLeft = 4 + rng.nextInt(21);
      }
      double promotion = promotionLeft > 0 ? 1 : 0;
      double y = level + lift * promotion + trend * s + daily * Math.sin(2 * Math.PI * s / 24 + phase)
          + weekly * Math.sin(2 * Math.PI * s / 168) + effect * moved + noise * rng.nextGaussian();
      rows.add(RowFactory.create(String.format("s%03d", id), "c" + category,
          new Timestamp(startMillis + s * 3_600_000L), y, temperature[s], promotion));
    }
    return rows;
  }
}

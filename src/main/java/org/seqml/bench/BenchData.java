package org.seqml.bench;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.pipeline.SparkSessions;
import org.seqml.window.Scaler;

/** Random windows of the ticks pipeline's shape and a Spark session for the Spark measures. */
final class BenchData {
  static final int WINDOW = 32;
  static final int FEATURES = 4;
  static final int HORIZON = 3;
  static final List<String> COLUMNS = List.of("ret", "spread", "imbalance", "volume");
  static final StructType WINDOWS = new StructType()
      .add("key", DataTypes.StringType, false)
      .add("window_end_ts", DataTypes.TimestampType, false)
      .add("end_pos", DataTypes.LongType, false)
      .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("target", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("split", DataTypes.StringType, false);

  private BenchData() {}

  static SparkSession spark(String master) {
    SparkConf conf = new SparkConf().setMaster(master).setAppName("seqml-bench")
        .set("spark.ui.enabled", "false").set("spark.sql.shuffle.partitions", "4");
    SparkSessions.applyReadSettings(conf);
    SparkSessions.applyOutputContract(conf);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /** n windows as rows of {@link #WINDOWS}: standard-normal features, targets a noisy function of them. */
  static List<Row> rows(int n, long seed) {
    return rows(n, seed, WINDOW, FEATURES);
  }

  static List<Row> rows(int n, long seed, int window, int features) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>(n);
    Timestamp ts = Timestamp.valueOf("2024-03-04 14:30:00");
    for (int i = 0; i < n; i++) {
      float[] x = new float[window * features];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) gaussian(rng);
      }
      float[] y = new float[HORIZON];
      for (int k = 0; k < HORIZON; k++) {
        y[k] = 0.5f * x[x.length - features + Math.min(2, features - 1)] + (float) gaussian(rng);
      }
      rows.add(RowFactory.create("SYM" + (i % 8), ts, (long) i, x, y, "test"));
    }
    return rows;
  }

  /**
   * The rows in {@code partitions} partitions, computed once and held by the executors (a local
   * checkpoint). A frame straight from {@code parallelize} carries its rows inside its partitions, so
   * every task that reads it, cached or not, ships and deserialises its whole partition again: Java
   * serialisation had about 15 % of a quick scoring profile's samples, a cost of the bench, not of
   * reading windows (docs/BENCHMARKS.md).
   */
  static Dataset<Row> frame(SparkSession spark, List<Row> rows, int partitions) {
    return spark.createDataFrame(spark.sparkContext().parallelize(
        scala.collection.JavaConverters.asScalaBuffer(rows).toSeq(), partitions,
        scala.reflect.ClassTag$.MODULE$.apply(Row.class)), WINDOWS).localCheckpoint(true);
  }

  static Scaler identityScaler() {
    return identityScaler(FEATURES);
  }

  static Scaler identityScaler(int features) {
    List<String> names = new ArrayList<>();
    double[] std = new double[features];
    for (int i = 0; i < features; i++) {
      names.add("f" + i);
      std[i] = 1;
    }
    return new Scaler(names, new double[features], std, 0, 1);
  }

  private static double gaussian(SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }
}

package org.seqml.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;

/**
 * The small forecasting problem the trainer tests share: windows of 6 steps x 3 features drawn uniformly in
 * [-1, 1], the target twice the last step of feature 0, and a one-layer LSTM of 16 units to learn it.
 */
final class SmallForecast {
  static final int FEATURES = 3;
  static final int WINDOW = 6;
  private static final StructType SCHEMA = new StructType()
      .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("target", DataTypes.createArrayType(DataTypes.FloatType, false), false);

  private SmallForecast() {}

  /**
   * {@code n} windows from {@code seed}; with {@code noise} > 0 uniform noise of that width on the target,
   * and with {@code withNan} a NaN target in every 50th window (the 8th, 58th, ...).
   */
  static Dataset<Row> windows(SparkSession spark, int n, long seed, double noise, boolean withNan) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[FEATURES * WINDOW];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) (rng.nextDouble() * 2 - 1);
      }
      // features are [features, window] per row: the last step of feature 0 is x[WINDOW - 1]
      float y = 2 * x[WINDOW - 1] + (noise > 0 ? (float) (noise * (rng.nextDouble() - 0.5)) : 0f);
      rows.add(RowFactory.create(x, new float[] {withNan && i % 50 == 7 ? Float.NaN : y}));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Windows to tensors as they are (an identity scaler). */
  static org.seqml.window.WindowTensors tensors() {
    org.seqml.window.Scaler identity = new org.seqml.window.Scaler(List.of("a", "b", "c"), new double[FEATURES],
        new double[] {1, 1, 1}, 0, 1);
    return new org.seqml.window.WindowTensors(identity, FEATURES, WINDOW, 1);
  }

  /** One LSTM layer of 16 units, Adam at 0.01, seed 7. */
  static SeqmlConfig.Model model() {
    return new SeqmlConfig.Model("lstm", 8, List.of(16), 0, 0.0, 0.01, 0.0, 0.0, 7,
        new SeqmlConfig.Transformer(2, 2, 8, 16, "fused"), "auto", new SeqmlConfig.Conv(0, 9), "fused");
  }
}

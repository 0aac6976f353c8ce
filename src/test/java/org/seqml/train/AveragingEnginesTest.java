package org.seqml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.model.ModelFactory;
import org.seqml.window.WindowTensors;
import org.seqml.window.Scaler;

/**
 * Both averaging engines train the same network on the same windows with two workers: each learns
 * a target that is a function of the last step (validation loss below a fifth of the target's
 * variance), and seqml's default engine ends no worse than 1.1x DL4J's loss (they assign minibatches
 * to rounds differently and DL4J weighs workers equally, so they do not end at the same loss: 0.040
 * against 0.107 when this was written).
 */
class AveragingEnginesTest {
  private static final int FEATURES = 3;
  private static final int WINDOW = 6;
  private static final StructType SCHEMA = new StructType()
      .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("target", DataTypes.createArrayType(DataTypes.FloatType, false), false);
  @TempDir Path work;

  private static Dataset<Row> windows(SparkSession spark, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[FEATURES * WINDOW];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) (rng.nextDouble() * 2 - 1);
      }
      // features are [features, window] per row: the last step of feature 0 is x[WINDOW - 1]
      float y = 2 * x[WINDOW - 1] + (float) (0.1 * (rng.nextDouble() - 0.5));
      rows.add(RowFactory.create(x, new float[] {y}));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  private ParameterAveragingTrainer.Result train(String engine) {
    SparkSession spark = SparkTestSession.get();
    SeqmlConfig.Model model = new SeqmlConfig.Model("lstm", 8, List.of(16), 0, 0.0, 0.01, 0.0, 0.0, 7,
        new SeqmlConfig.Transformer(2, 2, 8, 16, "fused"), "auto", new SeqmlConfig.Conv(0, 9), "fused");
    ComputationGraph net = ModelFactory.forecaster(model, FEATURES, WINDOW, 1);
    SeqmlConfig.Train t = new SeqmlConfig.Train(4, 16, 3, 2, 2, false, 0, false, 0, 0.0, 10.0, "", 1, engine, 0, 64);
    Scaler identity = new Scaler(List.of("a", "b", "c"), new double[FEATURES], new double[] {1, 1, 1}, 0, 1);
    WindowTensors tensors = new WindowTensors(identity, FEATURES, WINDOW, 1);
    Checkpoints checkpoints = new Checkpoints(work.resolve(engine).toString(), 1,
        spark.sparkContext().hadoopConfiguration(), "test", Json.object());
    return ParameterAveragingTrainer.train(net, windows(spark, 2048, 1), windows(spark, 512, 2),
        rows -> tensors.dataSet(rows, 0, 1), Loss.MSE, t, 42, checkpoints);
  }

  @Test
  void barrierAndDl4jEnginesLearnTheSameTargetAlike() {
    ParameterAveragingTrainer.Result barrier = train("barrier");
    ParameterAveragingTrainer.Result dl4j = train("dl4j");
    double targetVariance = 4.0 / 3; // Var(2U), U uniform on [-1, 1]
    for (ParameterAveragingTrainer.Result r : List.of(barrier, dl4j)) {
      assertEquals(4, r.epochs().size());
      assertEquals(2, r.workers());
      double last = r.epochs().get(3).validationLoss();
      assertTrue(last < 0.2 * targetVariance, "validation loss " + r.epochs());
    }
    double a = barrier.epochs().get(3).validationLoss();
    double b = dl4j.epochs().get(3).validationLoss();
    System.out.printf("engines: final validation MSE barrier %.5f, dl4j %.5f (target variance %.3f)%n", a, b,
        targetVariance);
    assertTrue(a <= 1.1 * b, "barrier " + a + " vs dl4j " + b);
  }
}

package org.seqml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
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
import org.seqml.util.Refusal;
import org.seqml.window.Scaler;
import org.seqml.window.WindowTensors;

/**
 * The divergence guard driven by a real NaN: an epoch trained, then a resumed epoch whose data carries a NaN
 * target, so DL4J's own training turns every parameter NaN. The run stops with a refusal naming the epoch,
 * and the last good checkpoint (epoch 1) is the newest one, untouched and loadable.
 */
class DivergenceTest {
  private static final int FEATURES = 3;
  private static final int WINDOW = 6;
  private static final StructType SCHEMA = new StructType()
      .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("target", DataTypes.createArrayType(DataTypes.FloatType, false), false);
  @TempDir Path work;

  private static Dataset<Row> windows(SparkSession spark, int n, long seed, boolean withNan) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[FEATURES * WINDOW];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) (rng.nextDouble() * 2 - 1);
      }
      float y = withNan && i % 50 == 7 ? Float.NaN : 2 * x[WINDOW - 1];
      rows.add(RowFactory.create(x, new float[] {y}));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static ParameterAveragingTrainer.Result train(Checkpoints checkpoints, int epochs, boolean resume,
      boolean withNan) {
    SparkSession spark = SparkTestSession.get();
    SeqmlConfig.Model model = new SeqmlConfig.Model("lstm", 8, List.of(16), 0, 0.0, 0.01, 0.0, 0.0, 7,
        new SeqmlConfig.Transformer(2, 2, 8, 16, "fused"), "auto", new SeqmlConfig.Conv(0, 9), "fused");
    ComputationGraph net = ModelFactory.forecaster(model, FEATURES, WINDOW, 1);
    SeqmlConfig.Train t = new SeqmlConfig.Train(epochs, 16, 3, 2, 2, false, 0, resume, 0, 0.0, 10.0, "", 3,
        "barrier", 0, 64);
    Scaler identity = new Scaler(List.of("a", "b", "c"), new double[FEATURES], new double[] {1, 1, 1}, 0, 1);
    WindowTensors tensors = new WindowTensors(identity, FEATURES, WINDOW, 1);
    return ParameterAveragingTrainer.train(net, windows(spark, 512, 1, withNan), windows(spark, 128, 2, false),
        rows -> tensors.dataSet(rows, 0, 1), Loss.MSE, t, 42, checkpoints);
  }

  @Test
  void aNanStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
    Checkpoints checkpoints = new Checkpoints(work.resolve("checkpoints").toString(), 3,
        SparkTestSession.get().sparkContext().hadoopConfiguration(), "test", Json.object());
    assertEquals(1, train(checkpoints, 1, false, false).epochs().size());
    Refusal diverged = assertThrows(Refusal.class, () -> train(checkpoints, 2, true, true));
    assertTrue(diverged.getMessage().startsWith("training diverged at epoch 2: train loss NaN"), diverged.getMessage());
    assertTrue(diverged.getMessage().contains("the last good checkpoint (epoch 1)"), diverged.getMessage());
    try (Stream<Path> saved = Files.list(work.resolve("checkpoints"))) {
      assertEquals(List.of("epoch-0001"), saved.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
          .sorted().toList());
    }
    Checkpoints.Loaded newest = checkpoints.newest().orElseThrow();
    assertEquals(1, newest.epoch());
    assertTrue(Double.isFinite(newest.network().params().sumNumber().doubleValue()), "the kept checkpoint is not NaN");
  }
}

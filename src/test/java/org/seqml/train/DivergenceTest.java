package org.seqml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.model.ModelFactory;
import org.seqml.util.Refusal;
import org.seqml.window.WindowTensors;

/**
 * The divergence guard driven by a real NaN: an epoch trained, then a resumed epoch whose data carries a NaN
 * target, so DL4J's own training turns every parameter NaN. The run stops with a refusal naming the epoch,
 * and the last good checkpoint (epoch 1) is the newest one, untouched and loadable.
 */
class DivergenceTest {
  @TempDir Path work;

  private static ParameterAveragingTrainer.Result train(Checkpoints checkpoints, int epochs, boolean resume,
      boolean withNan) {
    SparkSession spark = SparkTestSession.get();
    SeqmlConfig.Model model = SmallForecast.model();
    ComputationGraph net = ModelFactory.forecaster(model, SmallForecast.FEATURES, SmallForecast.WINDOW, 1);
    SeqmlConfig.Train t = new SeqmlConfig.Train(epochs, 16, 3, 2, 2, false, 0, resume, 0, 0.0, 10.0, "", 3,
        "barrier", 0, 64);
    WindowTensors tensors = SmallForecast.tensors();
    return ParameterAveragingTrainer.train(net, SmallForecast.windows(spark, 512, 1, 0, withNan),
        SmallForecast.windows(spark, 128, 2, 0, false),
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

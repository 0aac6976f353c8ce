package org.seqml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.model.ModelFactory;
import org.seqml.window.WindowTensors;

/**
 * Both averaging engines train the same network on the same windows with two workers: each learns
 * a target that is a function of the last step (validation loss below a fifth of the target's
 * variance), and seqml's default engine ends no worse than 1.1x DL4J's loss (they assign minibatches
 * to rounds differently and DL4J weighs workers equally, so they do not end at the same loss: 0.040
 * against 0.107 when this was written).
 */
class AveragingEnginesTest {
  @TempDir Path work;

  private ParameterAveragingTrainer.Result train(String engine) {
    SparkSession spark = SparkTestSession.get();
    SeqmlConfig.Model model = SmallForecast.model();
    ComputationGraph net = ModelFactory.forecaster(model, SmallForecast.FEATURES, SmallForecast.WINDOW, 1);
    SeqmlConfig.Train t = new SeqmlConfig.Train(4, 16, 3, 2, 2, false, 0, false, 0, 0.0, 10.0, "", 1, engine, 0, 64);
    WindowTensors tensors = SmallForecast.tensors();
    Checkpoints checkpoints = new Checkpoints(work.resolve(engine).toString(), 1,
        spark.sparkContext().hadoopConfiguration(), "test", Json.object());
    return ParameterAveragingTrainer.train(net, SmallForecast.windows(spark, 2048, 1, 0.1, false),
        SmallForecast.windows(spark, 512, 2, 0.1, false),
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

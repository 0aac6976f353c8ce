package org.seqml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.window.WindowTensors;
import org.seqml.pipeline.SparkSessions;
import org.seqml.train.Checkpoints;
import org.seqml.train.Loss;
import org.seqml.train.ParameterAveragingTrainer;

/**
 * Scaling on a real standalone cluster (submit/local-cluster: a Master and two 1-core Workers on
 * loopback): parameter averaging with 2 executors against 1, same global batch (64 = 2 x 32 vs
 * 1 x 64), compute-bound model (the LSTM step network: 2 x 128 LSTM, length 50, 8 features).
 * Each side is a fresh driver JVM that trains 5 epochs; the figure is the rate over the last two. The
 * first pays for executor start and ND4J initialisation, and until about the fourth the three young JVMs'
 * JIT compilers take cores the two executors' training threads need (their threads ran 74 % of their fit
 * in epoch 2 and 92 % in epoch 5 at full size; one executor alone has the other core for its JIT). Epoch 2's figure
 * is kept in the results beside it. Efficiency = rate(2) / (2 x rate(1)).
 * Beside it, the machine's own ceiling for two single-threaded trainers ({@link MachineCeiling}), so
 * that what the cores give can be told apart from what distribution costs.
 */
final class ScalingBench {
  static final String PREFIX = "SCALING-RESULT ";
  static final int GLOBAL_BATCH = 64;
  static final int EPOCHS = 5;

  private ScalingBench() {}

  static Result run(Params p) throws Exception {
    int port = 17477;
    Side two = new Side("2 executors x 1 core, batch 32 each", "samples/s");
    Side one = new Side("1 executor x 1 core, batch 64", "samples/s");
    // Not part of the ratio: one executor at the two-executor side's batch, so that the cost of the
    // smaller per-step batch (a one-core GEMM is less efficient at 32 rows than at 64) can be told apart
    // from the cost of distribution.
    Side oneSmall = new Side("1 executor x 1 core, batch 32", "samples/s");
    ObjectNode ceiling;
    Side twoAtEpoch2 = new Side("2 executors, epoch 2", "samples/s");
    Side oneAtEpoch2 = new Side("1 executor at batch 64, epoch 2", "samples/s");
    try (BenchCluster cluster = BenchCluster.start(p.out().resolve("cluster"), port, "3g")) {
      int reps = Math.min(p.reps(), p.quick() ? 1 : 2);
      for (int rep = 0; rep < reps; rep++) {
        for (int[] run : new int[][] {{1, GLOBAL_BATCH}, {2, GLOBAL_BATCH / 2}, {1, GLOBAL_BATCH / 2}}) {
          int executors = run[0];
          int batch = run[1];
          List<String> cmd = Children.javaCommand(List.of(), BenchPart.class.getName(),
              List.of("scaling-driver", p.quick() ? "quick" : "full", Integer.toString(p.threads()), "1",
                  p.out().toString(), Integer.toString(executors), Integer.toString(port), Integer.toString(batch)));
          JsonNode r = Children.run(cmd, Map.of("OMP_NUM_THREADS", "1"), p.out().resolve("logs")
              .resolve("scaling-" + executors + "x" + batch + "-" + (rep + 1) + ".log"), PREFIX, null);
          if (r == null) {
            throw new IllegalStateException("scaling driver with " + executors + " executors failed; see out/bench/logs");
          }
          (executors == 2 ? two : batch == GLOBAL_BATCH ? one : oneSmall).add(r.get("samples_per_s").asDouble());
          if (executors == 2 || batch == GLOBAL_BATCH) {
            (executors == 2 ? twoAtEpoch2 : oneAtEpoch2).add(r.get("epoch_2_samples_per_s").asDouble());
          }
          System.out.printf("scaling rep %d, %d executor(s) x batch %d: %.0f samples/s in the last two epochs "
                  + "(epoch 1: %.0f, epoch 2: %.0f), load %.2f%n",
              rep + 1, executors, batch, r.get("samples_per_s").asDouble(),
              r.get("first_epoch_samples_per_s").asDouble(), r.get("epoch_2_samples_per_s").asDouble(), Machine.load1());
        }
      }
      // what the machine itself gives two single-threaded trainers, the cluster idle as in the runs above
      ceiling = MachineCeiling.measure(p, GLOBAL_BATCH / 2, reps);
    }
    Result r = new Result("scaling", "Standalone cluster, parameter averaging on 2 executors vs 1 (1 core each), "
        + "global batch 64, LSTM 2 x 128, length 50, 8 features", two, one,
        "rate(2 executors) / (2 x rate(1 executor))", two.median() / (2 * one.median()), 0.85);
    r.extra.set("one_executor_batch_32", oneSmall.toJson());
    r.extra.put("efficiency_at_equal_step_batch", two.median() / (2 * oneSmall.median()));
    r.extra.set("machine_ceiling", ceiling);
    r.extra.put("efficiency_at_epoch_2", twoAtEpoch2.median() / (2 * oneAtEpoch2.median())); // before the JIT settles
    r.settings.put("epochs", EPOCHS);
    r.settings.put("rate", "over the last two epochs");
    // the equal-batch efficiency against what two plain fits at that batch get from this machine
    r.extra.put("equal_batch_efficiency_over_ceiling",
        two.median() / (2 * oneSmall.median()) / ceiling.get("ceiling").asDouble());
    r.settings.put("averaging_frequency", BenchConfig.load(null, List.of()).train().averagingFrequency());
    r.settings.put("executor_omp_num_threads", 1);
    r.settings.put("machine_note", "2-core machine: the driver, the Master and Workers share the two cores");
    return r;
  }

  /** One driver against the cluster: trains {@link #EPOCHS} epochs with the given number of 1-core executors. */
  static void driver(Params p, int executors, int port, int batch) throws Exception {
    int n = p.pick(2048, 6144);
    SeqmlConfig c = BenchConfig.load(null, List.of(
        "spark.master=\"spark://127.0.0.1:" + port + "\"", "spark.conf.\"spark.ui.enabled\"=false",
        "spark.conf.\"spark.cores.max\"=" + executors, "spark.conf.\"spark.executor.cores\"=1",
        "spark.conf.\"spark.executor.memory\"=2g", "train.epochs=" + EPOCHS, "train.workers=" + executors,
        "train.batch-size-per-worker=" + batch, "train.keep-best=false"));
    SparkSession spark = SparkSessions.create(c);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int f = BenchNetworks.FEATURES;
    int w = BenchNetworks.LENGTH;
    Dataset<Row> train = BenchData.frame(spark, BenchData.rows(n, 1, w, f), executors).select("features", "target");
    Dataset<Row> validation = BenchData.frame(spark, BenchData.rows(256, 2, w, f), 1).select("features", "target");
    WindowTensors tensors = new WindowTensors(BenchData.identityScaler(f), f, w, BenchNetworks.HORIZON);
    Path dir = Files.createTempDirectory(p.out(), "scaling-checkpoints");
    Checkpoints checkpoints = new Checkpoints(dir.toString(), 1, jsc.hadoopConfiguration(), "bench", Json.object());
    ParameterAveragingTrainer.Result result = ParameterAveragingTrainer.train(BenchNetworks.lstm("fused"), train,
        validation, rows -> tensors.dataSet(rows, 0, 1), Loss.MSE, c.train(), 42, checkpoints);
    spark.stop();
    ObjectNode out = Json.object();
    out.put("executors", executors);
    List<ParameterAveragingTrainer.Epoch> epochs = result.epochs();
    double last = epochs.get(EPOCHS - 1).samplesPerSecond();
    double beforeLast = epochs.get(EPOCHS - 2).samplesPerSecond();
    out.put("samples_per_s", 2 / (1 / last + 1 / beforeLast)); // the rate over both: equal samples per epoch
    out.put("epoch_2_samples_per_s", epochs.get(1).samplesPerSecond());
    out.put("first_epoch_samples_per_s", epochs.get(0).samplesPerSecond());
    com.fasterxml.jackson.databind.node.ArrayNode rates = out.putArray("epoch_samples_per_s");
    epochs.forEach(e -> rates.add(e.samplesPerSecond()));
    out.set("executor_usage", result.executors());
    Children.printResult(PREFIX, out);
  }
}

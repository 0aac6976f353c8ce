package org.seqml.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.model.ModelFactory;
import org.seqml.model.Networks;
import org.seqml.window.WindowTensors;
import org.seqml.score.BatchScorer;
import org.seqml.train.Checkpoints;
import org.seqml.train.Loss;
import org.seqml.train.ParameterAveragingTrainer;
import org.seqml.util.Batches;

/**
 * The Spark paths against plain DL4J on the same net and data, in one local[1] JVM (one core,
 * OMP_NUM_THREADS=1 on both sides): parameter averaging with one worker vs fit() over the same
 * minibatches, and BatchScorer vs output() over the same windows.
 */
final class SparkBench {
  private SparkBench() {}

  static ComputationGraph ticksNet(SeqmlConfig c) {
    return ModelFactory.forecaster(c.model(), BenchData.FEATURES, BenchData.WINDOW, BenchData.HORIZON);
  }

  static Result averaging(Params p) throws Exception {
    int n = p.pick(4096, 16384);
    SeqmlConfig c = BenchNetworks.config("train.epochs=1", "train.workers=1", "train.keep-best=false");
    SparkSession spark = BenchData.spark("local[1]");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Dataset<Row> all = BenchData.frame(spark, BenchData.rows(n, 1), 1);
    List<Row> rows = all.collectAsList(); // Spark's own rows (arrays as Seq), as executors see them
    Dataset<Row> train = all.select("features", "target");
    Dataset<Row> validation = BenchData.frame(spark, BenchData.rows(512, 2), 1).select("features", "target");
    WindowTensors tensors = new WindowTensors(BenchData.identityScaler(), BenchData.FEATURES, BenchData.WINDOW,
        BenchData.HORIZON);
    int batch = c.train().batchSizePerWorker();
    List<DataSet> batches = new ArrayList<>();
    Batches.of(rows.iterator(), batch).forEachRemaining(b -> batches.add(tensors.dataSet(b, 3, 4)));
    Path dir = Files.createTempDirectory(p.out(), "averaging-checkpoints");
    Side averaged = new Side("ParameterAveragingTrainer, 1 worker, local[1]", "samples/s");
    Side plain = new Side("ComputationGraph.fit, same minibatches", "samples/s");
    Side averagedCpu = new Side("averaging per CPU-second", "samples/cpu-s");
    Side plainCpu = new Side("plain fit per CPU-second", "samples/cpu-s");
    plainFit(ticksNet(c), batches); // warm-up of both paths
    trainOnce(jsc, c, train, validation, tensors, dir);
    // Three times the measure's reps, as the step measures: a rep costs a few seconds, and at quick size
    // (one epoch of 0.5-1 s) one slow rep on a shared machine moved the median of three by a third.
    int reps = 3 * p.reps();
    for (int rep = 0; rep < reps; rep++) {
      double[] averagedRates = trainOnce(jsc, c, train, validation, tensors, dir);
      double sps = averagedRates[0];
      averaged.add(sps);
      averagedCpu.add(averagedRates[1]);
      ComputationGraph fresh = ticksNet(c);
      Clock clock = new Clock();
      plainFit(fresh, batches);
      double seconds = clock.wallSeconds();
      plain.add(n / seconds);
      plainCpu.add(n / clock.cpuSeconds());
      System.out.printf("averaging rep %d: spark %.0f samples/s, plain %.0f samples/s, load %.2f%n", rep + 1, sps,
          n / seconds, Machine.load1());
    }
    Result r = Result.throughput("averaging", "Parameter averaging with 1 worker (local[1]) vs plain fit of the "
        + "same net on the same minibatches; ticks model (LSTM 32,32 + dense 32, W=32, F=4, H=3), " + n
        + " windows, one epoch", averaged, plain, 0.90).withCpu(averagedCpu, plainCpu);
    r.settings.put("windows", n);
    r.settings.put("reps", reps);
    r.settings.put("batch_size_per_worker", batch);
    r.settings.put("averaging_frequency", c.train().averagingFrequency());
    r.settings.put("prefetch_batches", c.train().prefetchBatches());
    r.settings.put("spark_master", "local[1]");
    r.settings.put("omp_num_threads", String.valueOf(System.getenv("OMP_NUM_THREADS")));
    spark.stop();
    return r;
  }

  /** Samples/s of the epoch's fit (as the trainer logs it) and samples per CPU-second of the whole train call. */
  private static double[] trainOnce(JavaSparkContext jsc, SeqmlConfig c, Dataset<Row> train,
      Dataset<Row> validation, WindowTensors tensors, Path dir) {
    Checkpoints checkpoints = new Checkpoints(dir.toString(), 1, jsc.hadoopConfiguration(), "bench", Json.object());
    ComputationGraph net = ticksNet(c);
    long cpu0 = Clock.cpu();
    ParameterAveragingTrainer.Result result = ParameterAveragingTrainer.train(net, train, validation,
        rows -> tensors.dataSet(rows, 0, 1), Loss.MSE, c.train(), 42, checkpoints);
    double cpu = (Clock.cpu() - cpu0) / 1e9;
    ParameterAveragingTrainer.Epoch e = result.epochs().get(0);
    // the CPU figure covers the whole call (data preparation, validation, checkpoint too): a lower bound
    return new double[] {e.samplesPerSecond(), result.trainWindows() / cpu};
  }

  private static double plainFit(ComputationGraph net, List<DataSet> batches) {
    long t0 = System.nanoTime();
    for (DataSet b : batches) {
      net.fit(b);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  static Result scoring(Params p) {
    int n = p.pick(20_000, 100_000);
    int batch = BenchNetworks.config().score().batchSize();
    SparkSession spark = BenchData.spark("local[1]");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Dataset<Row> windows = BenchData.frame(spark, BenchData.rows(n, 3), 1);
    List<Row> rows = windows.collectAsList();
    ComputationGraph net = ticksNet(BenchNetworks.config());
    byte[] zip = Networks.bytes(net, true);
    WindowTensors tensors = new WindowTensors(BenchData.identityScaler(), BenchData.FEATURES, BenchData.WINDOW,
        BenchData.HORIZON);
    List<INDArray> inputs = new ArrayList<>();
    Batches.of(rows.iterator(), batch).forEachRemaining(b -> inputs.add(tensors.features(b, 3)));
    BatchScorer scorer = BatchScorer.of(jsc, zip, BenchData.identityScaler(), "bench", BenchData.FEATURES,
        BenchData.WINDOW, BenchData.HORIZON, batch);
    Side scored = new Side("BatchScorer.score, local[1], to noop sink", "windows/s");
    Side plain = new Side("output(), tensors in memory", "windows/s");
    Side plainWithTensors = new Side("output incl. rows to tensors", "windows/s");
    Side scoredCpu = new Side("score per CPU-second", "windows/cpu-s");
    Side plainCpu = new Side("output per CPU-second", "windows/cpu-s");
    scoreOnce(scorer, windows);
    outputOnce(net, inputs);
    for (int rep = 0; rep < p.reps(); rep++) {
      Clock ca = new Clock();
      scoreOnce(scorer, windows);
      double a = n / ca.wallSeconds();
      scored.add(a);
      scoredCpu.add(n / ca.cpuSeconds());
      Clock cb = new Clock();
      outputOnce(net, inputs);
      double b = n / cb.wallSeconds();
      plain.add(b);
      plainCpu.add(n / cb.cpuSeconds());
      long t0 = System.nanoTime();
      Batches.of(rows.iterator(), batch).forEachRemaining(x -> org.seqml.model.Networks.output(net, tensors.features(x, 3), null));
      plainWithTensors.add(n / ((System.nanoTime() - t0) / 1e9));
      System.out.printf("scoring rep %d: score %.0f windows/s, output %.0f windows/s, load %.2f%n", rep + 1, a, b,
          Machine.load1());
    }
    Result r = Result.throughput("scoring", "BatchScorer (model as bytes, restored per partition, rows to tensors, "
        + "score rows) vs output() on prebuilt tensors; ticks model, " + n + " windows", scored, plain, 0.80)
        .withCpu(scoredCpu, plainCpu);
    r.settings.put("windows", n);
    r.settings.put("score_batch_size", batch);
    r.settings.put("spark_master", "local[1]");
    r.extra.set("output_including_tensor_building", plainWithTensors.toJson());
    scorer.release();
    spark.stop();
    return r;
  }

  private static double scoreOnce(BatchScorer scorer, Dataset<Row> windows) {
    long t0 = System.nanoTime();
    scorer.score(windows).write().format("noop").mode("overwrite").save();
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double outputOnce(ComputationGraph net, List<INDArray> inputs) {
    long t0 = System.nanoTime();
    for (INDArray x : inputs) {
      org.seqml.model.Networks.output(net, x, null);
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}

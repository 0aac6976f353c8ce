package org.seqml.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.model.ModelArtifact;
import org.seqml.model.ModelFactory;
import org.seqml.model.WindowTensors;
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
    plainFit(ticksNet(c), batches); // warm-up of both paths
    trainOnce(jsc, c, train, validation, tensors, dir);
    for (int rep = 0; rep < p.reps(); rep++) {
      double sps = trainOnce(jsc, c, train, validation, tensors, dir);
      averaged.add(sps);
      double seconds = plainFit(ticksNet(c), batches);
      plain.add(n / seconds);
      System.out.printf("averaging rep %d: spark %.0f samples/s, plain %.0f samples/s, load %.2f%n", rep + 1, sps,
          n / seconds, Machine.load1());
    }
    Result r = Result.throughput("averaging", "Parameter averaging with 1 worker (local[1]) vs plain fit of the "
        + "same net on the same minibatches; ticks model (LSTM 32,32 + dense 32, W=32, F=4, H=3), " + n
        + " windows, one epoch", averaged, plain, 0.90);
    r.settings.put("windows", n);
    r.settings.put("batch_size_per_worker", batch);
    r.settings.put("averaging_frequency", c.train().averagingFrequency());
    r.settings.put("prefetch_batches", c.train().prefetchBatches());
    r.settings.put("spark_master", "local[1]");
    r.settings.put("omp_num_threads", String.valueOf(System.getenv("OMP_NUM_THREADS")));
    spark.stop();
    return r;
  }

  private static double trainOnce(JavaSparkContext jsc, SeqmlConfig c, Dataset<Row> train, Dataset<Row> validation,
      WindowTensors tensors, Path dir) {
    Checkpoints checkpoints = new Checkpoints(dir.toString(), 1, jsc.hadoopConfiguration(), "bench", Json.object());
    ParameterAveragingTrainer.Result result = ParameterAveragingTrainer.train(ticksNet(c), train, validation,
        rows -> tensors.dataSet(rows, 0, 1), Loss.MSE, c.train(), 42, checkpoints);
    return result.epochs().get(0).samplesPerSecond();
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
    Dataset<Row> windows = BenchData.frame(spark, BenchData.rows(n, 3), 1).persist(StorageLevel.MEMORY_ONLY());
    List<Row> rows = windows.collectAsList();
    ComputationGraph net = ticksNet(BenchNetworks.config());
    byte[] zip = ModelArtifact.of("bench", net, Json.object()).modelZip();
    WindowTensors tensors = new WindowTensors(BenchData.identityScaler(), BenchData.FEATURES, BenchData.WINDOW,
        BenchData.HORIZON);
    List<INDArray> inputs = new ArrayList<>();
    Batches.of(rows.iterator(), batch).forEachRemaining(b -> inputs.add(tensors.features(b, 3)));
    BatchScorer scorer = BatchScorer.of(jsc, zip, BenchData.identityScaler(), "bench", BenchData.FEATURES,
        BenchData.WINDOW, BenchData.HORIZON, batch);
    Side scored = new Side("BatchScorer.score, local[1], to noop sink", "windows/s");
    Side plain = new Side("output(), tensors in memory", "windows/s");
    Side plainWithTensors = new Side("output incl. rows to tensors", "windows/s");
    scoreOnce(scorer, windows);
    outputOnce(net, inputs);
    for (int rep = 0; rep < p.reps(); rep++) {
      double a = n / scoreOnce(scorer, windows);
      scored.add(a);
      double b = n / outputOnce(net, inputs);
      plain.add(b);
      long t0 = System.nanoTime();
      Batches.of(rows.iterator(), batch).forEachRemaining(x -> org.seqml.model.Networks.output(net, tensors.features(x, 3), null));
      plainWithTensors.add(n / ((System.nanoTime() - t0) / 1e9));
      System.out.printf("scoring rep %d: score %.0f windows/s, output %.0f windows/s, load %.2f%n", rep + 1, a, b,
          Machine.load1());
    }
    Result r = Result.throughput("scoring", "BatchScorer (model as bytes, restored per partition, rows to tensors, "
        + "score rows) vs output() on prebuilt tensors; ticks model, " + n + " windows", scored, plain, 0.80);
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

package org.seqml.train;

import static org.apache.spark.sql.functions.col;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.seqml.config.SeqmlConfig;
import org.seqml.model.ModelFactory;
import org.seqml.model.WindowTensors;
import org.seqml.score.BatchScorer;
import org.seqml.window.Scaler;
import org.seqml.window.SlidingWindows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a network on the training windows with DL4J's parameter averaging: each of the workers
 * fits averaging-frequency minibatches of batch-size-per-worker windows, then the parameters (and
 * updater state) are averaged on the driver. The RDD is prepared as STACK.md requires: Direct
 * approach, persisted MEMORY_ONLY_SER by us, never cache()d. Validation loss is computed after
 * each epoch with the broadcast-free scorer.
 */
public final class ParameterAveragingTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(ParameterAveragingTrainer.class);

  /** One epoch's figures. Losses are mean squared errors of standardised targets. */
  public record Epoch(int epoch, double trainLoss, double validationLoss, double samplesPerSecond,
      double seconds) {}

  /** The trained network (best or last epoch, per train.keep-best) and its history. */
  public record Result(MultiLayerNetwork network, List<Epoch> epochs, int publishedEpoch, long trainWindows,
      long validationWindows, int workers, double wallSeconds) {}

  private ParameterAveragingTrainer() {}

  public static Result train(Dataset<Row> windows, Scaler scaler, SeqmlConfig config) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(windows.sparkSession().sparkContext());
    SeqmlConfig.Train t = config.train();
    int f = config.featureCount();
    int w = config.window().size();
    int h = config.window().horizon();
    int workers = t.workers() > 0 ? t.workers() : jsc.defaultParallelism();

    Dataset<Row> complete = windows.filter(col("n_known").equalTo(h));
    Dataset<Row> trainWindows = complete.filter(col("split").equalTo(SlidingWindows.TRAIN));
    Dataset<Row> validation = complete.filter(col("split").equalTo(SlidingWindows.VALIDATION)).cache();
    long trainCount = trainWindows.count();
    if (t.maxWindows() > 0 && trainCount > t.maxWindows()) {
      trainWindows = trainWindows.sample(false, (double) t.maxWindows() / trainCount, config.model().seed());
    }
    long validationCount = validation.count();
    if (validationCount == 0) {
      throw new IllegalStateException("no validation windows: more data or a larger split.validation is needed");
    }

    WindowTensors tensors = new WindowTensors(scaler, f, w, h);
    int batch = t.batchSizePerWorker();
    JavaRDD<DataSet> data = trainWindows.select("features", "target")
        .withColumn("order", functions.rand(config.model().seed()))
        .repartition(workers, col("order"))
        .sortWithinPartitions("order")
        .javaRDD()
        .mapPartitions(rows -> batches(rows, tensors, batch))
        .persist(StorageLevel.MEMORY_ONLY_SER());
    long batches = data.count();
    long samples = trainWindows.count();
    LOG.info("training {} on {} windows ({} batches of {}) with {} workers, {} validation windows",
        config.model().family(), samples, batches, batch, workers, validationCount);

    ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(batch)
        .batchSizePerWorker(batch)
        .averagingFrequency(t.averagingFrequency())
        .workerPrefetchNumBatches(t.prefetchBatches())
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .storageLevel(StorageLevel.MEMORY_ONLY_SER())
        .repartionData(Repartition.Never)
        .saveUpdater(true)
        .build();
    MultiLayerNetwork net = ModelFactory.forecaster(config.model(), f, w, h);
    SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(jsc, net, master);

    List<Epoch> epochs = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    INDArray bestParams = null;
    int bestEpoch = 0;
    long start = System.nanoTime();
    for (int epoch = 1; epoch <= t.epochs(); epoch++) {
      long t0 = System.nanoTime();
      spark.fit(data);
      double seconds = (System.nanoTime() - t0) / 1e9;
      net = spark.getNetwork();
      double trainLoss = spark.getScore();
      double validationLoss = validationLoss(jsc, net, scaler, validation, config);
      if (!Double.isFinite(trainLoss) || !Double.isFinite(validationLoss)) {
        throw new IllegalStateException("training diverged at epoch " + epoch + ": train loss " + trainLoss
            + ", validation loss " + validationLoss + "; lower model.learning-rate");
      }
      Epoch e = new Epoch(epoch, trainLoss, validationLoss, samples / seconds, seconds);
      epochs.add(e);
      double elapsed = (System.nanoTime() - start) / 1e9;
      LOG.info(String.format("epoch %d/%d train_loss=%.5f val_loss=%.5f samples/s=%.0f epoch_s=%.1f elapsed_s=%.1f eta_s=%.0f",
          epoch, t.epochs(), trainLoss, validationLoss, e.samplesPerSecond(), seconds, elapsed,
          elapsed / epoch * (t.epochs() - epoch)));
      if (validationLoss < best) {
        best = validationLoss;
        bestEpoch = epoch;
        bestParams = t.keepBest() ? net.params().dup() : null;
      }
    }
    data.unpersist(false);
    validation.unpersist();
    int published = t.epochs();
    if (t.keepBest() && bestParams != null) {
      net.setParams(bestParams);
      published = bestEpoch;
    }
    LOG.info("publishing the parameters of epoch {} (best validation loss {} at epoch {})", published,
        String.format("%.5f", best), bestEpoch);
    return new Result(net, epochs, published, samples, validationCount, workers,
        (System.nanoTime() - start) / 1e9);
  }

  private static double validationLoss(JavaSparkContext jsc, MultiLayerNetwork net, Scaler scaler,
      Dataset<Row> validation, SeqmlConfig config) {
    BatchScorer scorer = BatchScorer.of(jsc, bytes(net), scaler, "validation", config.featureCount(),
        config.window().size(), config.window().horizon(), config.score().batchSize());
    try {
      double[] sse = scorer.squaredError(validation);
      return sse[0] / sse[1];
    } finally {
      scorer.release();
    }
  }

  static byte[] bytes(MultiLayerNetwork net) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ModelSerializer.writeModel(net, out, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Iterator<DataSet> batches(Iterator<Row> rows, WindowTensors tensors, int batch) {
    List<DataSet> out = new ArrayList<>();
    List<Row> pending = new ArrayList<>(batch);
    while (rows.hasNext()) {
      pending.add(rows.next());
      if (pending.size() == batch || !rows.hasNext()) {
        out.add(tensors.dataSet(pending, 0, 1));
        pending = new ArrayList<>(batch);
      }
    }
    return out.iterator();
  }
}

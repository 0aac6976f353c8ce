package org.seqml.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.util.ComputationGraphUtil;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.seqml.config.SeqmlConfig;
import org.seqml.model.Networks;
import org.seqml.util.Batches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a network with parameter averaging: each of the workers fits averaging-frequency
 * minibatches of batch-size-per-worker examples, then the parameters (and updater state) are
 * averaged, by the workers among themselves in a barrier stage ({@link BarrierAveraging}, the
 * default) or on the driver by DL4J's master (train.averaging-engine=dl4j). The RDD is prepared as
 * STACK.md requires for DL4J's master: Direct approach, persisted MEMORY_ONLY_SER by us, never cache()d. Validation loss is computed after each epoch without
 * broadcasting an INDArray (the network travels as bytes). Task-agnostic: the caller supplies the
 * network, the batcher and the loss.
 */
public final class ParameterAveragingTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(ParameterAveragingTrainer.class);
  private static final int EVAL_BATCH = 512;
  private static final long TRAIN_PROBE_MAX = 16_384;

  /** One epoch's figures: the task's loss on a sample of training rows and on the validation rows. */
  public record Epoch(int epoch, double trainLoss, double validationLoss, double samplesPerSecond,
      double seconds) {}

  /** The trained network (best or last epoch, per train.keep-best) and its history. */
  public record Result(ComputationGraph network, List<Epoch> epochs, int publishedEpoch, long trainWindows,
      long validationWindows, int workers, double wallSeconds,
      com.fasterxml.jackson.databind.node.ObjectNode executors) {}

  private ParameterAveragingTrainer() {}

  /**
   * Trains {@code net} on {@code train} rows (shuffled, cut into minibatches by {@code batcher}) and
   * reports {@code loss} on {@code validation} after each epoch.
   */
  public static Result train(ComputationGraph net, Dataset<Row> train, Dataset<Row> validation, Batcher batcher,
      Loss loss, SeqmlConfig.Train t, long seed, Checkpoints checkpoints) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(train.sparkSession().sparkContext());
    int workers = t.workers() > 0 ? t.workers() : jsc.defaultParallelism();
    if (t.barrierAveraging()) {
      BarrierAveraging.unsupported(jsc.getConf(), workers).ifPresent(why -> {
        throw new IllegalStateException(why);
      });
    }
    Dataset<Row> trainRows = train;
    long trainCount = trainRows.count();
    if (trainCount == 0) {
      throw new IllegalStateException("no training examples: more data, a smaller window or a larger "
          + "training split is needed");
    }
    if (t.maxWindows() > 0 && trainCount > t.maxWindows()) {
      trainRows = trainRows.sample(false, (double) t.maxWindows() / trainCount, seed);
    }
    Dataset<Row> validationRows = validation.cache();
    long validationCount = validationRows.count();
    if (validationCount == 0) {
      throw new IllegalStateException("no validation examples: more data or a larger validation split is needed");
    }
    // DL4J's own score is the last minibatch's (with dropout and the L2 term): the epoch's train loss
    // is measured like the validation loss, on a seeded sample of the training rows, the same every
    // epoch; 16,384 rows at most, enough for its mean's standard error to stay under 1 % of the loss.
    long probeSize = Math.min(Math.max(validationCount, 4096), TRAIN_PROBE_MAX);
    Dataset<Row> trainProbe = (trainCount > probeSize
        ? trainRows.sample(false, (double) probeSize / trainCount, seed + 1) : trainRows).cache();

    int batch = t.batchSizePerWorker();
    // MultiDataSets, as a ComputationGraph trains on: given DataSets, DL4J maps them to new
    // MultiDataSets, persists, and counts that RDD again in every epoch (and never unpersists it).
    // Equal shares: a worker with more batches would keep the others waiting every epoch.
    JavaRDD<MultiDataSet> data = WorkerShares.of(trainRows, workers, seed)
        .javaRDD()
        .mapPartitions(rows -> Batches.flatMap(rows, batch,
            b -> List.of(ComputationGraphUtil.toMultiDataSet(batcher.batch(b)))))
        .persist(StorageLevel.MEMORY_ONLY_SER());
    List<Long> batchesPerWorker = data.mapPartitions(BatchCount::of).collect();
    long batches = batchesPerWorker.stream().mapToLong(Long::longValue).sum();
    long samples = trainRows.count();
    int rounds = BarrierAveraging.rounds(batchesPerWorker, t.averagingFrequency());
    LOG.info("training on {} examples ({} batches of {}; per worker {}) with {} workers, {} validation examples; "
        + "averaging with {} ({} rounds an epoch)", samples, batches, batch, batchesPerWorker, workers, validationCount,
        t.barrierAveraging() ? "barrier stages" : "DL4J's master", t.barrierAveraging() ? rounds : "~" + rounds);

    ExecutorUsage usage = ExecutorUsage.listen(jsc.sc());
    EpochPolicy policy = new EpochPolicy(t.patience(), t.minDelta(), t.divergenceFactor());
    List<Epoch> epochs = new ArrayList<>();
    INDArray bestParams = null;
    ComputationGraph current = net;
    int first = 1;
    if (t.resume()) {
      Checkpoints.Loaded from = checkpoints.newest().orElseThrow(() -> new IllegalStateException(
          "train.resume: no complete checkpoint in " + checkpoints.dir() + "; train without --resume"));
      current = from.network();
      bestParams = from.bestParams();
      epochs.addAll(from.history());
      policy.resume(from.best(), from.bestEpoch(), from.epochsWithoutImprovement());
      first = from.epoch() + 1;
      LOG.info("resuming after epoch {} from {} (best validation loss {} at epoch {})", from.epoch(),
          checkpoints.dir(), String.format("%.5f", from.best()), from.bestEpoch());
    } else {
      checkpoints.clear();
    }
    long start = System.nanoTime();
    int last = first - 1;
    BarrierAveraging averaging = new BarrierAveraging(jsc, data, rounds, t.averagingFrequency(), t.exchangePort(),
        t.shuffleBuffer());
    try {
      for (int epoch = first; epoch <= t.epochs(); epoch++) {
        long t0 = System.nanoTime();
        // A master per epoch, seeded by the epoch: a resumed run assigns data to averaging rounds
        // exactly as an uninterrupted one would.
        if (t.barrierAveraging()) {
          BarrierAveraging.EpochResult result = averaging.fitEpoch(current, seed + epoch);
          current = result.network();
          LOG.info(String.format("epoch %d: %d averaging rounds in %.2f s; workers fitted for up to %.2f s (that "
              + "worker's training thread ran %.2f s of it) and exchanged for up to %.2f s (waiting for each other "
              + "up to %.2f s of it)", epoch, rounds, (System.nanoTime() - t0) / 1e9, result.fitSeconds(),
              result.slowestFitCpuSeconds(), result.syncSeconds(), result.waitSeconds()));
        } else {
          SparkComputationGraph spark = new SparkComputationGraph(jsc, current, master(workers, batch, t, seed + epoch));
          spark.fitMultiDataSet(data);
          current = spark.getNetwork();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double trainLoss = ValidationLoss.of(jsc, current, trainProbe, batcher, loss, EVAL_BATCH);
        double validationLoss = ValidationLoss.of(jsc, current, validationRows, batcher, loss, EVAL_BATCH);
        EpochPolicy.Verdict verdict = policy.judge(epoch, trainLoss, validationLoss);
        if (verdict == EpochPolicy.Verdict.DIVERGED) {
          throw new org.seqml.util.Refusal(String.format("training diverged at epoch %d: train loss %s, validation "
                  + "loss %s (best %.5f at epoch %d; limit %.0fx); the last good checkpoint (epoch %d) in %s is "
                  + "untouched and no model was published: lower model.learning-rate or raise "
                  + "train.divergence-factor", epoch, trainLoss, validationLoss, policy.best(), policy.bestEpoch(),
              policy.divergenceFactor(), epoch - 1, checkpoints.dir()));
        }
        Epoch e = new Epoch(epoch, trainLoss, validationLoss, samples / seconds, seconds);
        epochs.add(e);
        last = epoch;
        double elapsed = (System.nanoTime() - start) / 1e9;
        int done = epoch - first + 1;
        LOG.info(String.format("epoch %d/%d train_loss=%.5f val_loss=%.5f samples/s=%.0f epoch_s=%.1f elapsed_s=%.1f "
                + "eta_s=%.0f", epoch, t.epochs(), trainLoss, validationLoss, e.samplesPerSecond(), seconds, elapsed,
            elapsed / done * (t.epochs() - epoch)));
        if (verdict == EpochPolicy.Verdict.IMPROVED && t.keepBest()) {
          Networks.close(bestParams);
          bestParams = current.params().dup();
        }
        checkpoints.save(epoch, current, bestParams, policy, epochs);
        if (verdict == EpochPolicy.Verdict.STOP_EARLY) {
          LOG.info("stopping early after epoch {}: no validation improvement for {} epochs", epoch, t.patience());
          break;
        }
      }
    } finally {
      averaging.close();
      usage.close();
      data.unpersist(false);
      validationRows.unpersist();
      trainProbe.unpersist();
    }
    int published = last;
    if (t.keepBest() && bestParams != null) {
      current.setParams(bestParams);
      published = policy.bestEpoch();
    }
    LOG.info("publishing the parameters of epoch {} (best validation loss {} at epoch {})", published,
        String.format("%.5f", policy.best()), policy.bestEpoch());
    return new Result(current, epochs, published, samples, validationCount, workers,
        (System.nanoTime() - start) / 1e9, usage.toJson());
  }

  /** Minibatches in one partition, as a one-element iterator. */
  private static final class BatchCount {
    static java.util.Iterator<Long> of(java.util.Iterator<MultiDataSet> it) {
      long n = 0;
      for (; it.hasNext(); it.next()) {
        n++;
      }
      return List.of(n).iterator();
    }
  }

  private static ParameterAveragingTrainingMaster master(int workers, int batch, SeqmlConfig.Train t, long seed) {
    // numWorkers must match the RDD's partitions, or each worker fits more or fewer minibatches than
    // averaging-frequency between averagings; the seed fixes DL4J's assignment of data to rounds.
    return new ParameterAveragingTrainingMaster.Builder(workers, batch)
        .rngSeed(seed)
        .batchSizePerWorker(batch)
        .averagingFrequency(t.averagingFrequency())
        .workerPrefetchNumBatches(t.prefetchBatches())
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .storageLevel(StorageLevel.MEMORY_ONLY_SER())
        .repartionData(Repartition.Never)
        .saveUpdater(true)
        .build();
  }

}

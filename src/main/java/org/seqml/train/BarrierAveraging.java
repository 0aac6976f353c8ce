package org.seqml.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.seqml.model.Networks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Synchronous parameter averaging, one Spark barrier stage per epoch. Each worker (a partition of
 * the training minibatches) restores the network once, fits averaging-frequency minibatches, then
 * the workers exchange parameters and updater state with {@code allGather} and each sets the
 * example-weighted mean, so all hold the same state after every round. DL4J's master runs a Spark
 * job per round instead (broadcast, rebuild, a pass over the whole cached RDD to pick the round's
 * minibatches, aggregate): about 60 ms a round on this machine, where an exchange takes a few.
 *
 * <p>Each epoch visits a worker's minibatches in the same order (their content was shuffled once
 * when they were cut). A failed attempt (a lost executor fails the whole barrier stage) is retried
 * from the driver's network, which changes only when an epoch completes.
 */
public final class BarrierAveraging {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierAveraging.class);
  /** Bytes per allGather message: Spark's RPC caps a message at spark.rpc.message.maxSize (128 MiB). */
  static final int CHUNK_BYTES = 4 << 20;
  private static final int ATTEMPTS = 3;

  private BarrierAveraging() {}

  /** What one worker did in an epoch; worker 0 also carries the averaged network. */
  public record WorkerReport(int worker, long batches, long examples, int rounds, double fitSeconds,
      double syncSeconds, byte[] model) implements Serializable {}

  /** The network after the epoch and each worker's report (without the network bytes). */
  public record EpochResult(ComputationGraph network, List<WorkerReport> workers) {
    public double syncSeconds() {
      return workers.stream().mapToDouble(WorkerReport::syncSeconds).max().orElse(0);
    }

    public double fitSeconds() {
      return workers.stream().mapToDouble(WorkerReport::fitSeconds).max().orElse(0);
    }
  }

  /** Averaging rounds of an epoch: enough for the worker with the most minibatches. */
  static int rounds(List<Long> batchesPerWorker, int frequency) {
    long most = batchesPerWorker.stream().mapToLong(Long::longValue).max().orElse(0);
    return (int) ((most + frequency - 1) / frequency);
  }

  /**
   * Why Spark would refuse or stall the barrier stage, or empty when it can run: dynamic
   * allocation, or more workers than a local master has threads.
   */
  static java.util.Optional<String> unsupported(SparkConf conf, int workers) {
    String master = conf.get("spark.master", "local[*]");
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false) && !master.startsWith("local")) {
      return java.util.Optional.of("train.averaging-engine=barrier runs a Spark barrier stage, which Spark refuses "
          + "with dynamic allocation: set spark.dynamicAllocation.enabled=false or train.averaging-engine=dl4j");
    }
    int slots = localSlots(master);
    if (slots > 0 && workers > slots) {
      return java.util.Optional.of("train.workers=" + workers + " but the local master " + master + " runs " + slots
          + " tasks at once; a barrier stage needs a task slot per worker: lower train.workers or use "
          + "train.averaging-engine=dl4j");
    }
    return java.util.Optional.empty();
  }

  /** Task threads of a local master (local, local[N], local[*], local[N,F]); 0 for any other master. */
  static int localSlots(String master) {
    if (master.equals("local")) {
      return 1;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\*|\\d+)(,\\d+)?]").matcher(master);
    if (!m.matches()) {
      return 0;
    }
    return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
  }

  /** One epoch over {@code data} (one partition per worker), starting from {@code net}'s state. */
  public static EpochResult fitEpoch(JavaSparkContext jsc, ComputationGraph net, JavaRDD<MultiDataSet> data,
      int rounds, int frequency) {
    byte[] start = Networks.bytes(net, true);
    for (int attempt = 1; ; attempt++) {
      Broadcast<byte[]> model = jsc.broadcast(start);
      try {
        List<WorkerReport> reports = new ArrayList<>(data.rdd().barrier()
            .mapPartitions(new EpochTask(model, rounds, frequency), false, ClassTag$.MODULE$.apply(WorkerReport.class))
            .toJavaRDD().collect());
        reports.sort(Comparator.comparingInt(WorkerReport::worker));
        ComputationGraph trained = Networks.restore(reports.get(0).model(), true);
        trained.incrementEpochCount();
        List<WorkerReport> summaries = reports.stream().map(r -> new WorkerReport(r.worker(), r.batches(),
            r.examples(), r.rounds(), r.fitSeconds(), r.syncSeconds(), null)).toList();
        return new EpochResult(trained, summaries);
      } catch (Exception e) { // Scala throws the checked SparkException undeclared
        if (!(e instanceof SparkException)) {
          throw e;
        }
        if (attempt == ATTEMPTS) {
          throw new IllegalStateException("the averaging stage failed " + ATTEMPTS + " times; last: " + e.getMessage(), e);
        }
        LOG.warn("averaging stage attempt {} of {} failed, retrying the epoch from its start: {}", attempt, ATTEMPTS,
            e.getMessage());
      } finally {
        model.destroy();
      }
    }
  }

  /** A worker's epoch: fit, exchange, average, for each round; returns its report. */
  private static final class EpochTask
      extends AbstractFunction1<scala.collection.Iterator<MultiDataSet>, scala.collection.Iterator<WorkerReport>>
      implements Serializable {
    private final Broadcast<byte[]> model;
    private final int rounds;
    private final int frequency;

    EpochTask(Broadcast<byte[]> model, int rounds, int frequency) {
      this.model = model;
      this.rounds = rounds;
      this.frequency = frequency;
    }

    @Override
    public scala.collection.Iterator<WorkerReport> apply(scala.collection.Iterator<MultiDataSet> partition) {
      BarrierTaskContext task = BarrierTaskContext.get();
      BarrierExchange exchange = BarrierExchange.of(task);
      Iterator<MultiDataSet> batches = JavaConverters.asJavaIterator(partition);
      ComputationGraph net = Networks.restore(model.value(), true);
      try {
        DataType type = net.params().dataType();
        long fitNanos = 0;
        long syncNanos = 0;
        long batchCount = 0;
        long exampleCount = 0;
        for (int round = 0; round < rounds; round++) {
          long t0 = System.nanoTime();
          long examples = 0;
          for (int n = 0; n < frequency && batches.hasNext(); n++) {
            MultiDataSet batch = batches.next();
            net.fit(batch);
            examples += batch.getFeatures(0).size(0);
            batchCount++;
          }
          long t1 = System.nanoTime();
          if (task.getTaskInfos().length > 1) {
            exchange(exchange, net, examples, type);
          }
          fitNanos += t1 - t0;
          syncNanos += System.nanoTime() - t1;
          exampleCount += examples;
        }
        byte[] bytes = task.partitionId() == 0 ? Networks.bytes(net, true) : null;
        WorkerReport report = new WorkerReport(task.partitionId(), batchCount, exampleCount, rounds, fitNanos / 1e9,
            syncNanos / 1e9, bytes);
        return JavaConverters.asScalaIterator(List.of(report).iterator());
      } finally {
        Networks.release(net);
      }
    }

    /** Sends this worker's state, receives every worker's, and sets their weighted mean. */
    private static void exchange(BarrierExchange exchange, ComputationGraph net, long examples, DataType type) {
      List<String> mine = AveragedState.encode(AveragedState.of(net, examples), type, CHUNK_BYTES);
      List<List<String>> byWorker = new ArrayList<>();
      for (String chunk : mine) {
        String[] all = exchange.allGather(chunk);
        for (int w = 0; w < all.length; w++) {
          if (byWorker.size() <= w) {
            byWorker.add(new ArrayList<>());
          }
          byWorker.get(w).add(all[w]);
        }
      }
      AveragedState.apply(net, AveragedState.average(byWorker.stream()
          .map(chunks -> AveragedState.decode(chunks, type)).toList()));
    }
  }
}

package org.seqml.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.seqml.model.Networks;
import org.seqml.util.ShuffleBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Synchronous parameter averaging, one Spark barrier stage per epoch. Each worker (a partition of
 * the training minibatches) fits averaging-frequency minibatches, then the workers exchange
 * parameters and updater state ({@link PeerExchange}) and each sets the example-weighted mean,
 * so all hold the same state after every round. DL4J's master runs a Spark job per round instead
 * (broadcast, rebuild, a pass over the whole cached RDD to pick the round's minibatches,
 * aggregate): about 60 ms a round on this machine, where an exchange takes a few. Workers keep
 * their network between epochs ({@link WorkerNets}); worker 0 sends the averaged state back.
 *
 * <p>Each epoch visits a worker's minibatches in a new order (a seeded shuffle buffer; their content
 * was shuffled once, when they were cut). A failed attempt (a lost executor fails the whole barrier stage) is retried
 * from the driver's network, which changes only when an epoch completes.
 */
public final class BarrierAveraging {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierAveraging.class);
  private static final int ATTEMPTS = 3;
  /** Networks workers built from the broadcast, in this JVM (tests read it in local mode). */
  static final java.util.concurrent.atomic.AtomicInteger BUILT = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * What one worker did in an epoch; worker 0 also carries the averaged state ({@link AveragedState#wire}).
   * {@code syncSeconds} is the time of its exchanges; {@code waitSeconds}, of that, the time it waited for
   * its peers' bytes (worker 0 for the others' states, the others for the mean): the workers' fits
   * differing, not the exchange's own work.
   */
  public record WorkerReport(int worker, long batches, long examples, int rounds, double fitSeconds,
      double fitCpuSeconds, double syncSeconds, double waitSeconds, byte[] model) implements Serializable {}

  /** The network after the epoch and each worker's report (without the network bytes). */
  public record EpochResult(ComputationGraph network, List<WorkerReport> workers) {
    public double syncSeconds() {
      return workers.stream().mapToDouble(WorkerReport::syncSeconds).max().orElse(0);
    }

    /** The longest any worker waited for its peers in the epoch's exchanges. */
    public double waitSeconds() {
      return workers.stream().mapToDouble(WorkerReport::waitSeconds).max().orElse(0);
    }

    public double fitSeconds() {
      return slowest().fitSeconds();
    }

    /**
     * The CPU time the slowest fitting worker's training thread got while it fitted: well under its
     * fit's wall time means it waited for a core (executors sharing cores with other work).
     */
    public double slowestFitCpuSeconds() {
      return slowest().fitCpuSeconds();
    }

    private WorkerReport slowest() {
      return workers.stream().max(Comparator.comparingDouble(WorkerReport::fitSeconds)).orElseThrow();
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

  /** What a worker needs to build the starting network when it holds no cached copy of it. */
  private record Start(String configuration, byte[] state) implements Serializable {}

  private final JavaSparkContext jsc;
  private final JavaRDD<MultiDataSet> data;
  private final int rounds;
  private final int frequency;
  private final int exchangePort;
  private final int shuffleBuffer;
  private final String run = UUID.randomUUID().toString();
  private ComputationGraph lastOutput;
  private String lastToken;
  private int lastStateHash;
  private String configuration;

  /**
   * Epochs over {@code data} (one partition per worker): {@code rounds} rounds of {@code frequency}
   * minibatches; task 0 listens for the others on {@code exchangePort} (0 = any free port); each
   * worker visits its minibatches through a {@link ShuffleBuffer} of {@code shuffleBuffer} of them.
   */
  public BarrierAveraging(JavaSparkContext jsc, JavaRDD<MultiDataSet> data, int rounds, int frequency,
      int exchangePort, int shuffleBuffer) {
    this.shuffleBuffer = shuffleBuffer;
    this.jsc = jsc;
    this.data = data;
    this.rounds = rounds;
    this.frequency = frequency;
    this.exchangePort = exchangePort;
  }

  /**
   * One epoch starting from {@code net}'s state; {@code net} is updated in place and returned. When
   * {@code net} is the network the previous epoch returned, with the same parameters and updater
   * state, the workers start from the copies they kept; otherwise they build it from the broadcast
   * configuration and state.
   */
  public EpochResult fitEpoch(ComputationGraph net, long shuffleSeed) {
    byte[] state = AveragedState.wire(net, 0);
    if (net != lastOutput || AveragedState.stateHash(state) != lastStateHash) {
      configuration = net.getConfiguration().toJson();
      lastToken = null; // changed since the workers kept it: they build it from the broadcast
    }
    Start start = new Start(configuration, state);
    String next = UUID.randomUUID().toString();
    for (int attempt = 1; ; attempt++) {
      Broadcast<Start> payload = jsc.broadcast(start);
      try {
        EpochTask task = new EpochTask(payload, run, lastToken, next, net.getConfiguration().getEpochCount(), rounds,
            frequency, exchangePort, shuffleBuffer, shuffleSeed);
        List<WorkerReport> reports = new ArrayList<>(data.rdd().barrier()
            .mapPartitions(task, false, ClassTag$.MODULE$.apply(WorkerReport.class)).toJavaRDD().collect());
        reports.sort(Comparator.comparingInt(WorkerReport::worker));
        byte[] trained = reports.get(0).model();
        AveragedState.apply(net, trained);
        net.incrementEpochCount();
        lastOutput = net;
        lastToken = next;
        // the wire form is in the network's precision: what the network now holds, value for value
        lastStateHash = AveragedState.stateHash(trained);
        List<WorkerReport> summaries = reports.stream().map(r -> new WorkerReport(r.worker(), r.batches(),
            r.examples(), r.rounds(), r.fitSeconds(), r.fitCpuSeconds(), r.syncSeconds(), r.waitSeconds(), null))
            .toList();
        return new EpochResult(net, summaries);
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
        payload.destroy();
      }
    }
  }

  /** Frees the workers' networks held in this JVM (all of them in local mode; executors free theirs at the next run). */
  public void close() {
    WorkerNets.release(run);
  }

  /** A worker's epoch: fit, exchange, average, for each round; returns its report. */
  private static final class EpochTask
      extends AbstractFunction1<scala.collection.Iterator<MultiDataSet>, scala.collection.Iterator<WorkerReport>>
      implements Serializable {
    private final Broadcast<Start> start;
    private final String run;
    private final String startToken;
    private final String endToken;
    private final int epochCount;
    private final int rounds;
    private final int frequency;
    private final int exchangePort;
    private final int shuffleBuffer;
    private final long shuffleSeed;

    EpochTask(Broadcast<Start> start, String run, String startToken, String endToken, int epochCount, int rounds,
        int frequency, int exchangePort, int shuffleBuffer, long shuffleSeed) {
      this.exchangePort = exchangePort;
      this.shuffleBuffer = shuffleBuffer;
      this.shuffleSeed = shuffleSeed;
      this.start = start;
      this.run = run;
      this.startToken = startToken;
      this.endToken = endToken;
      this.epochCount = epochCount;
      this.rounds = rounds;
      this.frequency = frequency;
    }

    /** The cached network if it holds the epoch's starting state, else one built from the broadcast. */
    private ComputationGraph network(int partition) {
      ComputationGraph net = WorkerNets.take(run, partition, startToken);
      if (net == null) {
        Start s = start.value();
        net = new ComputationGraph(ComputationGraphConfiguration.fromJson(s.configuration()));
        net.init();
        AveragedState.apply(net, s.state());
        BUILT.incrementAndGet();
      }
      net.getConfiguration().setEpochCount(epochCount);
      return net;
    }

    @Override
    public scala.collection.Iterator<WorkerReport> apply(scala.collection.Iterator<MultiDataSet> partition) {
      BarrierTaskContext task = BarrierTaskContext.get();
      Iterator<MultiDataSet> batches = ShuffleBuffer.of(JavaConverters.asJavaIterator(partition), shuffleBuffer,
          shuffleSeed * 31 + task.partitionId());
      ComputationGraph net = network(task.partitionId());
      boolean kept = false;
      PeerExchange peers = task.getTaskInfos().length > 1
          ? PeerExchange.open(task, exchangePort) : null;
      Exchanges exchanges = peers == null ? null : new Exchanges(peers, task.partitionId());
      try {
        DataType type = net.params().dataType();
        long fitNanos = 0;
        long fitCpuNanos = 0;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean cpuTimed = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        long syncNanos = 0;
        long waitNanos = 0;
        long batchCount = 0;
        long exampleCount = 0;
        for (int round = 0; round < rounds; round++) {
          long t0 = System.nanoTime();
          long cpu0 = cpuTimed ? threads.getCurrentThreadCpuTime() : 0;
          long examples = 0;
          for (int n = 0; n < frequency && batches.hasNext(); n++) {
            MultiDataSet batch = batches.next();
            net.fit(batch);
            examples += batch.getFeatures(0).size(0);
            batchCount++;
          }
          long t1 = System.nanoTime();
          fitCpuNanos += cpuTimed ? threads.getCurrentThreadCpuTime() - cpu0 : 0;
          if (exchanges != null) {
            waitNanos += exchanges.exchange(net, examples, type);
          }
          fitNanos += t1 - t0;
          syncNanos += System.nanoTime() - t1;
          exampleCount += examples;
        }
        byte[] state = task.partitionId() == 0 ? AveragedState.wire(net, exampleCount) : null;
        WorkerNets.put(run, task.partitionId(), endToken, net);
        kept = true;
        WorkerReport report = new WorkerReport(task.partitionId(), batchCount, exampleCount, rounds, fitNanos / 1e9,
            cpuTimed ? fitCpuNanos / 1e9 : Double.NaN, syncNanos / 1e9, waitNanos / 1e9, state);
        return JavaConverters.asScalaIterator(List.of(report).iterator());
      } finally {
        if (peers != null) {
          peers.close();
        }
        if (!kept) {
          Networks.release(net);
        }
      }
    }
  }

  /** One worker's side of an epoch's exchanges; its state arrays are reused from round to round. */
  private static final class Exchanges {
    private final PeerExchange peers;
    private final int partition;
    private byte[] mine;
    private byte[] mean;
    private List<byte[]> received = List.of();

    Exchanges(PeerExchange peers, int partition) {
      this.peers = peers;
      this.partition = partition;
    }

    /**
     * Sends this worker's state and sets the example-weighted mean of all: task 0 gathers, averages
     * (in partition order, so every run sums alike) and sends the mean back. Returns the nanoseconds it
     * waited for its peers' bytes.
     */
    long exchange(ComputationGraph net, long examples, DataType type) {
      mine = AveragedState.wire(net, examples, mine);
      long t0;
      long waited;
      if (partition == 0) {
        t0 = System.nanoTime();
        received = peers.gather(received);
        waited = System.nanoTime() - t0;
        List<byte[]> all = new ArrayList<>(List.of(mine));
        all.addAll(received);
        mean = AveragedState.average(all, type, mean);
        peers.sendToAll(mean);
      } else {
        peers.sendToFirst(mine);
        t0 = System.nanoTime();
        mean = peers.receiveFromFirst(mean);
        waited = System.nanoTime() - t0;
      }
      AveragedState.apply(net, mean);
      return waited;
    }
  }
}

package org.seqml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.util.ComputationGraphUtil;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.seqml.SparkTestSession;
import org.seqml.model.Networks;

/**
 * Barrier-stage averaging against the same training done step by step in one JVM. Tolerance: 1e-6
 * on every parameter (the same float operations on another thread; the weighted mean is taken in
 * double precision on both sides).
 */
class BarrierAveragingTest {
  private static final double TOLERANCE = 1e-6;

  private static List<MultiDataSet> batches(int count, int size) {
    Nd4j.getRandom().setSeed(11);
    List<MultiDataSet> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(ComputationGraphUtil.toMultiDataSet(new org.nd4j.linalg.dataset.DataSet(
          Nd4j.rand(DataType.FLOAT, size + i, 3, 6), Nd4j.rand(DataType.FLOAT, size + i, 2))));
    }
    return out;
  }

  private static ComputationGraph copy(ComputationGraph net) {
    return Networks.restore(Networks.bytes(net, true), true);
  }

  private static JavaRDD<MultiDataSet> rdd(List<MultiDataSet> batches, int workers) {
    return jsc().parallelize(batches, workers).persist(StorageLevel.MEMORY_ONLY_SER());
  }

  private static JavaSparkContext jsc() {
    return JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
  }

  /** Parameters and updater state of {@code got} equal {@code want}'s within the tolerance. */
  private static void assertSameState(ComputationGraph want, ComputationGraph got, String what) {
    assertTrue(maxDiff(want.params(), got.params()) <= TOLERANCE,
        what + ": parameters differ by " + maxDiff(want.params(), got.params()));
    assertTrue(maxDiff(want.getUpdater().getStateViewArray(), got.getUpdater().getStateViewArray()) <= TOLERANCE,
        what + ": updater state");
  }

  private static double maxDiff(INDArray a, INDArray b) {
    return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
  }

  @Test
  void oneWorkerTrainsExactlyAsPlainFitOverTheSameMinibatches() {
    List<MultiDataSet> data = batches(7, 8);
    ComputationGraph start = AveragedStateTest.net(3);
    ComputationGraph plain = copy(start);
    JavaSparkContext jsc = jsc();
    JavaRDD<MultiDataSet> rdd = rdd(data, 1);
    int epochs = start.getConfiguration().getEpochCount();
    BarrierAveraging.EpochResult result = new BarrierAveraging(jsc, rdd, 3, 3, 0, 1).fitEpoch(start, 0);
    data.forEach(plain::fit);
    ComputationGraph trained = result.network();
    assertSameState(plain, trained, "one worker");
    assertEquals(7, trained.getConfiguration().getIterationCount());
    assertEquals(epochs + 1, trained.getConfiguration().getEpochCount());
    assertEquals(1, result.workers().size());
    assertEquals(7, result.workers().get(0).batches());
    assertEquals(8 * 7 + 21, result.workers().get(0).examples());
    // the training thread's CPU time while it fitted: measured, and never more than the fit's wall time
    BarrierAveraging.WorkerReport worker = result.workers().get(0);
    assertTrue(worker.fitCpuSeconds() > 0, "fit CPU " + worker.fitCpuSeconds());
    assertTrue(worker.fitCpuSeconds() <= worker.fitSeconds() + 1e-3,
        "fit CPU " + worker.fitCpuSeconds() + " s in " + worker.fitSeconds() + " s");
    rdd.unpersist();
  }

  @Test
  void anEpochReportsTheCpuTimeOfItsSlowestFittingWorker() {
    BarrierAveraging.EpochResult epoch = new BarrierAveraging.EpochResult(null, List.of(
        new BarrierAveraging.WorkerReport(0, 4, 32, 2, 1.5, 1.5, 0.4, 0.35, null),
        new BarrierAveraging.WorkerReport(1, 4, 32, 2, 2.0, 1.4, 0.1, 0.02, null)));
    assertEquals(2.0, epoch.fitSeconds());
    assertEquals(1.4, epoch.slowestFitCpuSeconds()); // worker 1's, not the largest CPU time
    assertEquals(0.4, epoch.syncSeconds());
    assertEquals(0.35, epoch.waitSeconds());
  }

  /**
   * A rogue hammering task 0's exchange port with garbage and unproven handshakes while two workers train:
   * training finishes with exactly the result of a run without it.
   */
  @Test
  void aRogueOnTheExchangePortChangesNothing() throws Exception {
    List<MultiDataSet> data = batches(5, 8);
    ComputationGraph start = AveragedStateTest.net(4);
    JavaSparkContext jsc = jsc();
    JavaRDD<MultiDataSet> rdd = rdd(data, 2);
    int rounds = BarrierAveraging.rounds(List.of(2L, 3L), 2);
    ComputationGraph quiet = new BarrierAveraging(jsc, rdd, rounds, 2, 0, 1).fitEpoch(copy(start), 0).network();
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String host = jsc.getConf().get("spark.driver.host", "127.0.0.1");
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger connected = new java.util.concurrent.atomic.AtomicInteger();
    int refusedBefore = PeerExchange.REFUSED.get();
    List<Thread> rogues = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      long seed = r;
      Thread rogue = new Thread(() -> {
        java.util.Random random = new java.util.Random(seed);
        while (!done.get()) {
          try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(host, port), 200);
            connected.incrementAndGet();
            byte[] junk = new byte[36 + random.nextInt(64)];
            random.nextBytes(junk);
            s.getOutputStream().write(junk);
            s.getOutputStream().flush();
          } catch (java.io.IOException notListening) {
            // the port is closed between stages: try again
          }
        }
      }, "rogue-" + r);
      rogue.start();
      rogues.add(rogue);
    }
    ComputationGraph attacked;
    try {
      attacked = new BarrierAveraging(jsc, rdd, rounds, 2, port, 1).fitEpoch(copy(start), 0).network();
    } finally {
      done.set(true);
      for (Thread rogue : rogues) {
        rogue.join(5000);
      }
    }
    assertSameState(quiet, attacked, "with a rogue on the exchange port");
    assertTrue(connected.get() > 0, "the rogue never reached the port");
    System.out.println("rogue connections " + connected.get() + ", refused by task 0 "
        + (PeerExchange.REFUSED.get() - refusedBefore));
    rdd.unpersist();
  }

  /**
   * Two workers with 2 and 3 minibatches, averaging every 2: in round 2 the first worker has none
   * left, fits nothing and takes the second's state; in round 1 the mean is weighted by examples.
   */
  @Test
  void twoWorkersAverageParametersAndUpdaterStateEveryRoundWeightedByExamples() {
    List<MultiDataSet> data = batches(5, 8); // Spark slices 5 into [0, 2) and [2, 5)
    ComputationGraph start = AveragedStateTest.net(4);
    ComputationGraph[] workers = {copy(start), copy(start)};
    JavaSparkContext jsc = jsc();
    JavaRDD<MultiDataSet> rdd = rdd(data, 2);
    assertEquals(List.of(2L, 3L), rdd.glom().map(p -> (long) p.size()).collect());
    int rounds = BarrierAveraging.rounds(List.of(2L, 3L), 2);
    assertEquals(2, rounds);
    BarrierAveraging.EpochResult result = new BarrierAveraging(jsc, rdd, rounds, 2, 0, 1).fitEpoch(start, 0);

    List<List<MultiDataSet>> parts = List.of(data.subList(0, 2), data.subList(2, 5));
    for (int round = 0; round < rounds; round++) {
      long[] examples = new long[2];
      for (int w = 0; w < 2; w++) {
        List<MultiDataSet> part = parts.get(w);
        for (int i = round * 2; i < Math.min(part.size(), round * 2 + 2); i++) {
          workers[w].fit(part.get(i));
          examples[w] += part.get(i).getFeatures(0).size(0);
        }
      }
      average(workers, examples);
    }
    ComputationGraph trained = result.network();
    assertSameState(workers[0], trained, "two workers");
    assertEquals(3, trained.getConfiguration().getIterationCount(), "the furthest worker's iterations");
    assertEquals(List.of(2L, 3L), result.workers().stream().map(BarrierAveraging.WorkerReport::batches).toList());
    for (BarrierAveraging.WorkerReport w : result.workers()) {
      assertTrue(w.waitSeconds() >= 0 && w.waitSeconds() <= w.syncSeconds(),
          "worker " + w.worker() + " waited " + w.waitSeconds() + " s of " + w.syncSeconds() + " s of exchanges");
    }
    // in round 2 worker 0 has nothing to fit: it waits in its gather while worker 1 fits its last minibatch
    assertTrue(result.workers().get(0).waitSeconds() > 0, "worker 0 never waited");
    rdd.unpersist();
  }

  /**
   * Workers keep their network between epochs; a worker without a copy (a new run, a new executor)
   * or with a stale one (parameters edited on the driver) builds it from the broadcast. Every path
   * gives plain fit's result, and close() frees the copies held in this JVM.
   */
  @Test
  void workersKeepTheirNetworkBetweenEpochsAndRebuildItWhenItIsStale() {
    List<MultiDataSet> data = batches(4, 8);
    JavaSparkContext jsc = jsc();
    JavaRDD<MultiDataSet> rdd = rdd(data, 1);
    ComputationGraph kept = AveragedStateTest.net(5);
    ComputationGraph rebuilt = copy(kept);
    ComputationGraph plain = copy(kept);
    for (int epoch = 0; epoch < 2; epoch++) {
      BarrierAveraging fresh = new BarrierAveraging(jsc, rdd, 2, 2, 0, 1); // a new run: nothing kept for it
      fresh.fitEpoch(rebuilt, 0);
      fresh.close();
      data.forEach(plain::fit);
    }
    assertSameState(plain, rebuilt, "rebuilt networks");

    BarrierAveraging session = new BarrierAveraging(jsc, rdd, 2, 2, 0, 1);
    int built = BarrierAveraging.BUILT.get();
    session.fitEpoch(kept, 0);
    assertEquals(built + 1, BarrierAveraging.BUILT.get(), "the first epoch builds the network");
    assertEquals(1, WorkerNets.size(), "the worker kept its network");
    session.fitEpoch(kept, 0);
    assertEquals(built + 1, BarrierAveraging.BUILT.get(), "the second epoch starts from the kept network");
    assertSameState(plain, kept, "kept networks");
    assertEquals(8, kept.getConfiguration().getIterationCount());

    kept.params().muli(0.5); // edited on the driver: the kept copy is stale
    plain.params().muli(0.5);
    session.fitEpoch(kept, 0);
    data.forEach(plain::fit);
    assertEquals(built + 2, BarrierAveraging.BUILT.get(), "a stale copy is rebuilt");
    assertSameState(plain, kept, "after an edit on the driver");
    session.close();
    assertEquals(0, WorkerNets.size(), "close frees the kept networks");
    rdd.unpersist();
  }

  /** Each epoch's seed orders the minibatches anew: the same seed trains alike, another differently. */
  @Test
  void theEpochSeedShufflesTheMinibatchOrder() {
    List<MultiDataSet> data = batches(6, 8);
    JavaRDD<MultiDataSet> rdd = rdd(data, 1);
    ComputationGraph a = AveragedStateTest.net(6);
    ComputationGraph b = copy(a);
    ComputationGraph c = copy(a);
    shuffledEpoch(rdd, a, 1);
    shuffledEpoch(rdd, b, 1);
    shuffledEpoch(rdd, c, 2);
    assertTrue(maxDiff(a.params(), b.params()) <= TOLERANCE, "the same seed");
    assertTrue(maxDiff(a.params(), c.params()) > 1e-4, "another seed: " + maxDiff(a.params(), c.params()));
    rdd.unpersist();
  }

  private static void shuffledEpoch(JavaRDD<MultiDataSet> rdd, ComputationGraph net, long seed) {
    BarrierAveraging session = new BarrierAveraging(jsc(), rdd, 3, 2, 0, 8);
    session.fitEpoch(net, seed);
    session.close();
  }

  /** The reference mean, with INDArray arithmetic: both networks take it. */
  private static void average(ComputationGraph[] nets, long[] examples) {
    long total = examples[0] + examples[1];
    INDArray params = nets[0].params().castTo(DataType.DOUBLE).mul((double) examples[0] / total)
        .add(nets[1].params().castTo(DataType.DOUBLE).mul((double) examples[1] / total)).castTo(DataType.FLOAT);
    INDArray state = nets[0].getUpdater().getStateViewArray().castTo(DataType.DOUBLE).mul((double) examples[0] / total)
        .add(nets[1].getUpdater().getStateViewArray().castTo(DataType.DOUBLE).mul((double) examples[1] / total))
        .castTo(DataType.FLOAT);
    for (ComputationGraph net : nets) {
      net.params().assign(params);
      net.getUpdater().getStateViewArray().assign(state);
    }
  }

  @Test
  void mastersThatCannotRunABarrierStageAreRefusedWithTheReason() {
    SparkConf dynamic = new SparkConf().setMaster("spark://127.0.0.1:7077")
        .set("spark.dynamicAllocation.enabled", "true");
    Optional<String> why = BarrierAveraging.unsupported(dynamic, 2);
    assertTrue(why.isPresent() && why.get().contains("dynamic allocation")
        && why.get().contains("train.averaging-engine=dl4j"), why.toString());
    Optional<String> slots = BarrierAveraging.unsupported(new SparkConf().setMaster("local[2]"), 3);
    assertTrue(slots.isPresent() && slots.get().contains("train.workers=3"), slots.toString());
    assertEquals(Optional.empty(), BarrierAveraging.unsupported(new SparkConf().setMaster("local[2]"), 2));
    assertEquals(Optional.empty(), BarrierAveraging.unsupported(new SparkConf().setMaster("spark://h:7077"), 64));
    assertEquals(1, BarrierAveraging.localSlots("local"));
    assertEquals(4, BarrierAveraging.localSlots("local[4,2]"));
    assertEquals(Runtime.getRuntime().availableProcessors(), BarrierAveraging.localSlots("local[*]"));
    assertEquals(0, BarrierAveraging.localSlots("local-cluster[2,1,1024]"));
    assertEquals("10.0.0.7", PeerExchange.hostOf("10.0.0.7:41234"));
    assertEquals("fe80::1", PeerExchange.hostOf("[fe80::1]:41234"));
    assertEquals("worker-3", PeerExchange.hostOf("worker-3"));
  }
}

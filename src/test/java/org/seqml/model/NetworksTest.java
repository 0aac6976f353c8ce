package org.seqml.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqml.SparkTestSession;

/**
 * Native memory is freed where seqml allocates it: a task's copy of the network is closed when the
 * task ends, and a scored batch's arrays when they are scored (the collector may be off, and when it
 * is on it frees promoted arrays late).
 */
class NetworksTest {
  /** Networks restored inside tasks; local mode runs tasks in this JVM, so the test can look at them. */
  static final ConcurrentLinkedQueue<ComputationGraph> RESTORED = new ConcurrentLinkedQueue<>();

  @Test
  void aTasksNetworkIsClosedWhenTheTaskEnds() {
    RESTORED.clear();
    ComputationGraph net = ModelFactory.forecaster(ModelFamiliesTest.model("lstm"), 3, 6, 2);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    Broadcast<byte[]> zip = jsc.broadcast(Networks.bytes(net, false));
    try {
      List<Long> params = jsc.parallelize(List.of(1, 2, 3, 4), 4).mapPartitions(it -> {
        ComputationGraph copy = Networks.restoreForTask(zip.value());
        RESTORED.add(copy);
        assertFalse(copy.params().wasClosed(), "open while the task runs");
        return List.of(copy.numParams()).iterator();
      }).collect();
      assertEquals(4, params.size());
      assertEquals(4, RESTORED.size());
      for (ComputationGraph copy : RESTORED) {
        assertTrue(copy.params().wasClosed(), "a task's network outlived its task");
      }
      assertFalse(net.params().wasClosed(), "the driver's network is not the tasks'");
    } finally {
      zip.destroy();
      RESTORED.clear();
    }
  }

  /**
   * release frees parameters, gradients and updater state without ComputationGraph.close()'s two
   * System.gc() calls (full collections at the end of every task). A concurrent young collection
   * may happen, hence at most one.
   */
  @Test
  void releaseFreesTheNetworksArraysWithoutForcingCollections() {
    ComputationGraph net = ModelFactory.forecaster(ModelFamiliesTest.model("lstm"), 3, 6, 2);
    net.fit(new org.nd4j.linalg.dataset.DataSet(Nd4j.rand(DataType.FLOAT, 4, 3, 6), Nd4j.rand(DataType.FLOAT, 4, 2)));
    INDArray gradients = net.getGradientsViewArray();
    INDArray updater = net.getUpdater().getStateViewArray();
    long before = collections();
    Networks.release(net);
    long forced = collections() - before;
    assertTrue(net.params().wasClosed() && gradients.wasClosed() && updater.wasClosed(), "all three freed");
    assertTrue(forced <= 1, forced + " collections during release");
  }

  private static long collections() {
    return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionCount).sum();
  }

  @Test
  void closeFreesOnlyWhatCanBeClosed() {
    INDArray own = Nd4j.rand(DataType.FLOAT, 3, 4);
    INDArray view = own.getRow(0);
    Networks.close(view, null); // a view does not own its buffer: left alone, no error
    assertFalse(own.wasClosed());
    Networks.close(own);
    assertTrue(own.wasClosed());
  }
}

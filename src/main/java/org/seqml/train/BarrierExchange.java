package org.seqml.train;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.RequestMethod$;
import org.apache.spark.RequestToSync;
import org.apache.spark.SparkEnv;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcTimeout;
import org.apache.spark.util.RpcUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Await;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;
import scala.reflect.ClassTag$;

/**
 * {@code allGather} among a barrier stage's tasks without BarrierTaskContext's wait: Spark 3.5
 * polls the reply with {@code Thread.sleep(1000)}, so each call costs up to a second (0.75 s on
 * average measured here, against milliseconds of work). This sends the same request to the same
 * coordinator on the driver ("barrierSync") and returns as soon as the reply is there. It uses Spark-internal
 * classes (public in bytecode); if they are missing, it falls back to BarrierTaskContext.allGather.
 * A task must use one or the other for all its calls: the coordinator counts them (the barrier epoch).
 */
final class BarrierExchange {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierExchange.class);
  private static final RpcTimeout TIMEOUT =
      new RpcTimeout(FiniteDuration.apply(365, TimeUnit.DAYS), "spark.barrier.sync.timeout");
  private static final FiniteDuration SLICE = FiniteDuration.apply(1, TimeUnit.SECONDS);
  private final BarrierTaskContext task;
  private final RpcEndpointRef coordinator;
  private int epoch;

  private BarrierExchange(BarrierTaskContext task, RpcEndpointRef coordinator) {
    this.task = task;
    this.coordinator = coordinator;
  }

  static BarrierExchange of(BarrierTaskContext task) {
    RpcEndpointRef coordinator = null;
    try {
      SparkEnv env = SparkEnv.get();
      coordinator = RpcUtils.makeDriverRef("barrierSync", env.conf(), env.rpcEnv());
    } catch (LinkageError e) {
      LOG.warn("Spark's barrier coordinator is not reachable directly ({}): using BarrierTaskContext.allGather, "
          + "which waits up to 1 s per call", e.toString());
    }
    return new BarrierExchange(task, coordinator);
  }

  /** Every task's message, in partition order; blocks until all tasks of the stage have sent theirs. */
  String[] allGather(String message) {
    if (coordinator == null) {
      return task.allGather(message);
    }
    RequestToSync request = new RequestToSync(task.numPartitions(), task.stageId(), task.stageAttemptNumber(),
        task.taskAttemptId(), epoch, task.partitionId(), message, RequestMethod$.MODULE$.ALL_GATHER());
    Future<String[]> reply = coordinator.ask(request, TIMEOUT, ClassTag$.MODULE$.apply(String[].class));
    // Wait in one-second slices: when a barrier stage fails, Spark kills its other tasks without
    // interrupting them, and a task that kept waiting would hold its slot from the retry.
    while (!reply.isCompleted()) {
      try {
        Await.ready(reply, SLICE);
      } catch (TimeoutException | InterruptedException slice) {
        task.killTaskIfInterrupted();
      }
    }
    String[] all = reply.value().get().get();
    epoch++;
    return all;
  }
}

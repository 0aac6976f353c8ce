package org.seqml.train;

import org.apache.spark.BarrierTaskContext;

/**
 * What the parameter exchange needs of its barrier stage: the task's place in it, the host of task 0's
 * executor and an allGather through Spark's own (authenticated, when the cluster is) channel. Threads stand
 * in for tasks in the exchange's tests and its bench.
 */
interface ExchangeStage {
  int partition();

  int tasks();

  /** The host of task 0's executor, where task 0 listens. */
  String firstHost();

  /** Every task's message in partition order, once all have sent theirs. */
  String[] allGather(String message);

  /** Throws when Spark killed the task (it kills a failed barrier stage's tasks without interrupting them). */
  void stopIfKilled();

  static ExchangeStage of(BarrierTaskContext task) {
    BarrierExchange rpc = BarrierExchange.of(task);
    return new ExchangeStage() {
      @Override
      public int partition() {
        return task.partitionId();
      }

      @Override
      public int tasks() {
        return task.getTaskInfos().length;
      }

      @Override
      public String firstHost() {
        return PeerExchange.hostOf(task.getTaskInfos()[0].address());
      }

      @Override
      public String[] allGather(String message) {
        return rpc.allGather(message);
      }

      @Override
      public void stopIfKilled() {
        task.killTaskIfInterrupted();
      }
    };
  }
}

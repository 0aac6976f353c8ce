package org.seqml.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Rounds of the parameter exchange between threads standing in for a barrier stage's tasks, over loopback
 * TCP: every task but 0 sends a state of the given size, task 0 gathers and sends one back to all, as
 * BarrierAveraging does each round. For the bench's before-and-after of the messages' integrity tags.
 */
public final class ExchangeTiming {
  private ExchangeTiming() {}

  /** Seconds per round, the median of {@code rounds} after as many untimed ones. */
  public static double secondsPerRound(int tasks, int stateBytes, int rounds, boolean tagged) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(tasks);
    try {
      String[] messages = new String[tasks];
      CyclicBarrier gathered = new CyclicBarrier(tasks);
      List<Future<double[]>> sides = new ArrayList<>();
      for (int p = 0; p < tasks; p++) {
        ExchangeStage stage = local(p, tasks, messages, gathered);
        sides.add(threads.submit(() -> run(stage, stateBytes, rounds, tagged)));
      }
      double[] times = sides.get(0).get();
      for (Future<double[]> side : sides) {
        side.get();
      }
      Arrays.sort(times);
      return times[times.length / 2];
    } finally {
      threads.shutdownNow();
    }
  }

  private static double[] run(ExchangeStage stage, int stateBytes, int rounds, boolean tagged) {
    try (PeerExchange peers = PeerExchange.open(stage, 0, tagged)) {
      byte[] mine = new byte[stateBytes];
      Arrays.fill(mine, (byte) stage.partition());
      List<byte[]> received = List.of();
      byte[] reply = null;
      double[] times = new double[rounds];
      for (int round = -rounds; round < rounds; round++) {
        long t0 = System.nanoTime();
        if (stage.partition() == 0) {
          received = peers.gather(received);
          peers.sendToAll(mine);
        } else {
          peers.sendToFirst(mine);
          reply = peers.receiveFromFirst(reply);
        }
        if (round >= 0) {
          times[round] = (System.nanoTime() - t0) / 1e9;
        }
      }
      return times;
    }
  }

  private static ExchangeStage local(int partition, int tasks, String[] messages, CyclicBarrier gathered) {
    return new ExchangeStage() {
      @Override
      public int partition() {
        return partition;
      }

      @Override
      public int tasks() {
        return tasks;
      }

      @Override
      public String firstHost() {
        return "127.0.0.1";
      }

      @Override
      public String[] allGather(String message) {
        messages[partition] = message;
        try {
          gathered.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return messages.clone();
      }

      @Override
      public void stopIfKilled() {}
    };
  }
}

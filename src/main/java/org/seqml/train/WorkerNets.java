package org.seqml.train;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.seqml.model.Networks;

/**
 * The networks barrier-averaging workers keep in their executor JVM between epochs, so that an epoch
 * starts without rebuilding the network. Each is filed under its training run, its partition and a
 * token the driver gave the state it holds; a task takes its network out (a failed task leaves
 * nothing half-trained behind) and files it back at the end of the epoch. Filing a network of a new
 * run frees every other run's: an executor keeps at most one run's networks, until the next run.
 */
final class WorkerNets {
  private record Key(String run, int partition) {}

  private record Entry(String token, ComputationGraph net) {}

  private static final Map<Key, Entry> NETS = new HashMap<>();

  private WorkerNets() {}

  /** The partition's network if it holds the state named {@code token}, removed from the cache; else null. */
  static synchronized ComputationGraph take(String run, int partition, String token) {
    Entry e = NETS.remove(new Key(run, partition));
    if (e == null) {
      return null;
    }
    if (token != null && token.equals(e.token())) {
      return e.net();
    }
    Networks.release(e.net());
    return null;
  }

  static synchronized void put(String run, int partition, String token, ComputationGraph net) {
    for (Iterator<Map.Entry<Key, Entry>> it = NETS.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Entry> e = it.next();
      if (!e.getKey().run().equals(run) || e.getKey().partition() == partition) {
        Networks.release(e.getValue().net());
        it.remove();
      }
    }
    NETS.put(new Key(run, partition), new Entry(token, net));
  }

  /** Frees a run's networks held in this JVM (the driver's, in local mode). */
  static synchronized void release(String run) {
    for (Iterator<Map.Entry<Key, Entry>> it = NETS.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Entry> e = it.next();
      if (e.getKey().run().equals(run)) {
        Networks.release(e.getValue().net());
        it.remove();
      }
    }
  }

  static synchronized int size() {
    return NETS.size();
  }
}

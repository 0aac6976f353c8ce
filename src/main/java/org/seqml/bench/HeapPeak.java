package org.seqml.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The peak of the JVM's live heap, sampled: every {@code periodMillis} a full collection, then the
 * heap in use (so floating garbage does not count), and the same less the bytes Spark holds in
 * memory for cached RDDs and Datasets (in local mode the driver JVM is also the executor, whose
 * block store grows with data by design; on a cluster it lives on the executors). Also the largest
 * heap in use at all, which follows the collector's sizing more than the data.
 */
final class HeapPeak implements AutoCloseable {
  private final AtomicLong live = new AtomicLong();
  private final AtomicLong liveWithoutCache = new AtomicLong();
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong samples = new AtomicLong();
  private final Thread sampler;
  private volatile boolean running = true;
  private volatile LongSupplier cachedBytes = () -> 0L;

  HeapPeak(long periodMillis) {
    sampler = new Thread(() -> {
      long next = System.currentTimeMillis();
      while (running) {
        var heap = ManagementFactory.getMemoryMXBean();
        used.accumulateAndGet(heap.getHeapMemoryUsage().getUsed(), Math::max);
        if (System.currentTimeMillis() >= next) {
          System.gc();
          long inUse = heap.getHeapMemoryUsage().getUsed();
          live.accumulateAndGet(inUse, Math::max);
          liveWithoutCache.accumulateAndGet(inUse - cachedBytes.getAsLong(), Math::max);
          samples.incrementAndGet();
          next = System.currentTimeMillis() + periodMillis;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-peak");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Bytes of cached data held in this JVM's memory (e.g. Spark's block store), subtracted from live. */
  void cachedBytes(LongSupplier supplier) {
    this.cachedBytes = supplier;
  }

  long livePeak() {
    return live.get();
  }

  long liveWithoutCachePeak() {
    return liveWithoutCache.get();
  }

  long usedPeak() {
    return used.get();
  }

  long samples() {
    return samples.get();
  }

  static long max() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}

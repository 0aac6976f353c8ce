package org.seqml.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap peaks of this JVM. The main figure is the live heap: the heap in use at the end of every full
 * collection, from the collectors' notifications, with a full collection forced every
 * {@code periodMillis}. Beside it the heap in use at the end of every collection, young ones too: none
 * is missed, but after a young collection it still counts old garbage and what other threads hold in
 * flight, so it is an upper bound of the live heap (74-80 MiB at 10x where a class
 * histogram taken at that peak found less live data than at 1x). Beside it, the heap read right after each
 * forced collection returns (racy: other threads may have allocated in between). Also the largest heap in use at all, which follows the collector's sizing more than data.
 */
final class HeapPeak implements AutoCloseable {
  private final AtomicLong live = new AtomicLong();
  private final AtomicLong afterGc = new AtomicLong();
  private final AtomicLong afterFullGc = new AtomicLong();
  private final AtomicLong fullCollections = new AtomicLong();
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong samples = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();
  private final Thread sampler;
  private final List<Runnable> unsubscribe = new ArrayList<>();
  private volatile boolean running = true;

  HeapPeak(long periodMillis) {
    NotificationListener listener = (notification, handback) -> {
      if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
        return;
      }
      var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
      long after = 0;
      for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
        after += u.getUsed();
      }
      // the map also holds non-heap pools (metaspace, code cache): keep heap pools only
      after -= nonHeap(info);
      afterGc.accumulateAndGet(after, Math::max);
      collections.incrementAndGet();
      if (info.getGcAction().contains("major")) { // "end of major GC": G1's full collections
        afterFullGc.accumulateAndGet(after, Math::max);
        fullCollections.incrementAndGet();
      }
    };
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        unsubscribe.add(() -> {
          try {
            emitter.removeNotificationListener(listener);
          } catch (javax.management.ListenerNotFoundException e) {
            // already gone
          }
        });
      }
    }
    sampler = new Thread(() -> {
      long next = System.currentTimeMillis();
      while (running) {
        var heap = ManagementFactory.getMemoryMXBean();
        used.accumulateAndGet(heap.getHeapMemoryUsage().getUsed(), Math::max);
        if (System.currentTimeMillis() >= next) {
          System.gc();
          live.accumulateAndGet(heap.getHeapMemoryUsage().getUsed(), Math::max);
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

  private static long nonHeap(GarbageCollectionNotificationInfo info) {
    long bytes = 0;
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.NON_HEAP) {
        MemoryUsage u = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
        bytes += u == null ? 0 : u.getUsed();
      }
    }
    return bytes;
  }

  long livePeak() {
    return live.get();
  }

  long afterGcPeak() {
    return afterGc.get();
  }

  long afterFullGcPeak() {
    return afterFullGc.get();
  }

  long fullCollections() {
    return fullCollections.get();
  }

  long usedPeak() {
    return used.get();
  }

  long samples() {
    return samples.get();
  }

  long collections() {
    return collections.get();
  }

  static long max() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
    unsubscribe.forEach(Runnable::run);
  }
}

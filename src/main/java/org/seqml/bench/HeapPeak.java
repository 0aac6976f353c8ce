package org.seqml.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The peak of the JVM's heap: the largest heap in use right after a collection (the live data the
 * run held; what grows with data if anything is collected to the driver) and the largest heap in
 * use at all (sampled every 20 ms; depends on the collector's sizing more than on the data).
 */
final class HeapPeak implements AutoCloseable {
  private final AtomicLong afterGc = new AtomicLong();
  private final AtomicLong used = new AtomicLong();
  private final Thread sampler;
  private volatile boolean running = true;

  HeapPeak() {
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
          var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          long sum = 0;
          for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (isHeap(e.getKey())) {
              sum += e.getValue().getUsed();
            }
          }
          afterGc.accumulateAndGet(sum, Math::max);
        }
      }, null, null);
    }
    sampler = new Thread(() -> {
      while (running) {
        used.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
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

  private static boolean isHeap(String pool) {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getName().equals(pool)) {
        return p.getType() == MemoryType.HEAP;
      }
    }
    return false;
  }

  long afterGcPeak() {
    return afterGc.get();
  }

  long usedPeak() {
    return used.get();
  }

  static long max() {
    MemoryUsage u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return u.getMax();
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}

package org.seqml.bench;

import java.lang.management.ManagementFactory;

/**
 * Wall time and this process's CPU time (all threads) since start. On a machine shared with other
 * busy processes the wall time of a side depends on the other load; the CPU time much less so, so
 * both are recorded.
 */
final class Clock {
  private final long wall0 = System.nanoTime();
  private final long cpu0 = cpu();

  static long cpu() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  double wallSeconds() {
    return (System.nanoTime() - wall0) / 1e9;
  }

  double cpuSeconds() {
    return (cpu() - cpu0) / 1e9;
  }
}

package org.seqml.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.seqml.io.Json;

/** What the figures were measured on: CPU, memory, load, JVM and thread settings. */
final class Machine {
  private Machine() {}

  /** The 1-minute load average (/proc/loadavg; the JVM's figure elsewhere). */
  static double load1() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
  }

  static ObjectNode describe() {
    ObjectNode m = Json.object();
    m.put("cpu", cpuModel());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memory_gib", Math.round(totalMemoryBytes() / (1024.0 * 1024 * 1024) * 10) / 10.0);
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("load_1m_at_start", load1());
    // OpenBLAS's kernel choice moves the DL4J step figures by ~15% on AVX-512 CPUs (BENCHMARKS.md)
    m.put("openblas_coretype", System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(detected)"));
    return m;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static long totalMemoryBytes() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : -1;
  }
}

package org.seqml.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A standalone cluster for one measure: submit/local-cluster's Master and two 1-core Workers on
 * loopback (their executors get the launcher's OpenBLAS kernels from the script), stopped on close.
 */
final class BenchCluster implements AutoCloseable {
  private final Path home = Path.of(System.getProperty("seqml.home", "."));
  private final Map<String, String> env;

  private BenchCluster(Path dir, int port) {
    env = Map.of("SEQML_CLUSTER_PORT", Integer.toString(port), "SEQML_CLUSTER_UI_PORT",
        Integer.toString(port + 1000), "SEQML_CLUSTER_DIR", dir.toString());
  }

  static BenchCluster start(Path dir, int port, String workerMemory) throws Exception {
    Files.createDirectories(dir);
    BenchCluster cluster = new BenchCluster(dir, port);
    cluster.run("start", "2", "1", workerMemory);
    return cluster;
  }

  @Override
  public void close() throws Exception {
    run("stop");
  }

  private void run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", home.resolve("submit/local-cluster").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    pb.environment().putAll(env);
    int code = pb.start().waitFor();
    if (code != 0) {
      throw new IllegalStateException("submit/local-cluster " + String.join(" ", args) + " failed (exit " + code + ")");
    }
  }
}

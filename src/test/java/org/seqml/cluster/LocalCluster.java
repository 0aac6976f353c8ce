package org.seqml.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.seqml.SeqmlProcess;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: a Spark standalone Master and Workers started by submit/local-cluster on loopback
 * ports of their own, and seqml runs driven against it from a separate driver JVM (one JVM can hold
 * only one SparkContext, and the test JVM's is local).
 */
final class LocalCluster implements AutoCloseable {
  final int port;
  final Path dir;

  private LocalCluster(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** A port free on this host now (two builds on one host must not collide on fixed ones). */
  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  static LocalCluster start(int workers, int port, Path dir) throws IOException, InterruptedException {
    LocalCluster cluster = new LocalCluster(port, dir);
    int code = cluster.script("start", Integer.toString(workers), "1", "2g");
    if (code != 0) {
      cluster.close();
      throw new IllegalStateException("local cluster did not start (exit " + code + "); logs in " + dir);
    }
    return cluster;
  }

  String master() {
    return "spark://127.0.0.1:" + port;
  }

  private int script(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", "submit/local-cluster"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("script.log").toFile());
    Files.createDirectories(dir);
    pb.environment().putAll(Map.of("SEQML_CLUSTER_PORT", Integer.toString(port),
        "SEQML_CLUSTER_UI_PORT", "0", "SEQML_CLUSTER_DIR", dir.toString()));
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /** Starts the seqml CLI in its own driver JVM against this cluster. */
  Process seqml(Path log, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--conf", "spark.master=" + master()));
    return SeqmlProcess.start(log, all);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    script("stop");
  }
}

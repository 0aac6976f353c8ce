package org.seqml.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: a Spark standalone Master and Workers started by submit/local-cluster on loopback
 * ports of their own, and seqml runs driven against it from a separate driver JVM (one JVM can hold
 * only one SparkContext, and the test JVM's is local).
 */
final class LocalCluster implements AutoCloseable {
  static final String JAVA_OPTS = "-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED "
      + "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED "
      + "--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED "
      + "--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED "
      + "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED "
      + "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED "
      + "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED "
      + "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED "
      + "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false "
      + "-Dio.netty.tryReflectionSetAccessible=true -Dorg.bytedeco.javacpp.nopointergc=true";

  final int port;
  final Path dir;

  private LocalCluster(int port, Path dir) {
    this.port = port;
    this.dir = dir;
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
        "SEQML_CLUSTER_UI_PORT", Integer.toString(port + 1000), "SEQML_CLUSTER_DIR", dir.toString()));
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /** Runs the seqml CLI in its own driver JVM against this cluster; returns the exit code. */
  int seqml(Path log, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx2g");
    command.addAll(List.of(JAVA_OPTS.split(" ")));
    command.add("-Dlog4j.configurationFile=" + new File("conf/log4j2.properties").getAbsolutePath());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.seqml.cli.SeqmlMain");
    command.addAll(List.of(args));
    command.add("--conf");
    command.add("spark.master=" + master());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    script("stop");
  }
}

package org.seqml.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SeqmlProcess;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.run.CodeVersion;
import org.seqml.pipeline.Phases;
import org.seqml.run.RunContext;

/**
 * The ticks pipeline trained with parameter averaging on a real standalone cluster (two worker
 * JVMs, one core each) against the same config run locally. Tolerance: the two test RMSEs within 3%
 * of each other (averaging over two executor processes changes the order of floating-point work
 * and of minibatches, not the method), and both beat the repeat baseline.
 */
@Tag("cluster")
class DistributedTrainingTest {
  static final List<String> CONFIG = List.of("--pipeline", "ticks", "--env", "ci", "--ds", "2024-03-04");
  @TempDir static Path work;
  static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = LocalCluster.start(2, LocalCluster.freePort(), work.resolve("cluster"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void twoExecutorsTrainAsWellAsOneJvmAndBothDoWork() throws Exception {
    Path localOut = work.resolve("local");
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("ticks", "ci", List.of("output.dir=" + localOut));
    Phases.run(new RunContext(config, SparkTestSession.get(), "2024-03-04", "local-1", CodeVersion.get(),
        Layout.of(config.outputDir(), "ticks")));

    Path clusterOut = work.resolve("distributed");
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(CONFIG);
    args.addAll(List.of("--conf", "output.dir=" + clusterOut));
    Path log = work.resolve("driver.log");
    Process driver = cluster.seqml(log, args.toArray(new String[0]));
    assertTrue(driver.waitFor(10, TimeUnit.MINUTES), "cluster run timed out");
    assertEquals(0, driver.exitValue(), () -> "cluster run failed:\n" + SeqmlProcess.tail(log));

    var hadoop = SparkTestSession.get().sparkContext().hadoopConfiguration();
    JsonNode local = Json.read(localOut.resolve("ticks/metrics.json").toString(), hadoop).get("overall");
    JsonNode distributed = Json.read(clusterOut.resolve("ticks/metrics.json").toString(), hadoop).get("overall");
    double a = local.get("model").get("rmse").asDouble();
    double b = distributed.get("model").get("rmse").asDouble();
    JsonNode training = Json.read(clusterOut.resolve("ticks/model/metadata.json").toString(), hadoop).get("training");
    JsonNode localTraining = Json.read(localOut.resolve("ticks/model/metadata.json").toString(), hadoop)
        .get("training");
    System.out.printf("distributed check: test RMSE local %.4f vs 2 executors %.4f (repeat %.4f, zero %.4f); "
        + "training wall %.1f s local[2] vs %.1f s on 2 executors; executors %s%n", a, b,
        distributed.get("repeat").get("rmse").asDouble(), distributed.get("zero").get("rmse").asDouble(),
        localTraining.get("wall_seconds").asDouble(), training.get("wall_seconds").asDouble(),
        training.get("executors"));
    assertTrue(Math.abs(a - b) / a <= 0.03, "test RMSE local " + a + " vs 2 executors " + b);
    assertTrue(b < distributed.get("repeat").get("rmse").asDouble(), distributed.toString());

    JsonNode executors = Json.read(clusterOut.resolve("ticks/model/metadata.json").toString(), hadoop)
        .get("training").get("executors");
    List<String> working = new ArrayList<>();
    executors.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("driver") && e.getValue().get("tasks").asLong() > 0) {
        working.add(e.getKey());
      }
    });
    assertEquals(2, working.size(), "both executors ran training tasks: " + executors);
    for (String id : working) {
      assertTrue(executors.get(id).get("task_seconds").asDouble() > 1, "executor " + id + ": " + executors);
    }
  }

  @Test
  void aKilledExecutorIsReplacedAndTheRunFinishes() throws Exception {
    Path out = work.resolve("killed-executor");
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(CONFIG);
    args.addAll(List.of("--conf", "output.dir=" + out, "--conf", "train.epochs=3"));
    Path log = work.resolve("driver-kill.log");
    long started = System.currentTimeMillis() - 1000;
    Process driver = cluster.seqml(log, args.toArray(new String[0]));
    Path firstEpoch = out.resolve("ticks/checkpoints/epoch-0001/SHA256SUMS");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(firstEpoch) && driver.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertTrue(Files.exists(firstEpoch), () -> "training never got past epoch 1:\n" + SeqmlProcess.tail(log));
    ProcessHandle executor = ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend")
            && c.contains(work.toString())).orElse(false))
        .findFirst().orElseThrow(() -> new AssertionError("no executor JVM of the test cluster found"));
    executor.destroyForcibly(); // SIGKILL, in epoch 2
    System.out.println("killed executor JVM " + executor.pid() + " during epoch 2");
    assertTrue(driver.waitFor(10, TimeUnit.MINUTES), "run timed out after the executor was killed");
    assertEquals(0, driver.exitValue(), () -> "run failed after the executor was killed:\n" + SeqmlProcess.tail(log));
    var hadoop = SparkTestSession.get().sparkContext().hadoopConfiguration();
    JsonNode overall = Json.read(out.resolve("ticks/metrics.json").toString(), hadoop).get("overall");
    assertTrue(overall.get("model").get("rmse").asDouble() < overall.get("repeat").get("rmse").asDouble());
    // The workers' own record: one folder per executor they launched for this application. Whether
    // the replacement gets training tasks depends on timing, so the count of launches is what is checked.
    long launched;
    try (var apps = Files.walk(cluster.dir, 2)) {
      launched = apps.filter(p -> p.getFileName().toString().startsWith("app-")
              && p.toFile().lastModified() >= started)
          .mapToLong(app -> app.toFile().listFiles(java.io.File::isDirectory).length).sum();
    }
    assertTrue(launched >= 3, "2 executors and a replacement were launched for the run, found " + launched);
  }
}

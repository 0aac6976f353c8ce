package org.seqml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.seqml.io.Json;

/**
 * What this machine gives two compute-bound trainers at once, with no Spark in the way: the scaling
 * measure's per-executor work (the LSTM step network, one thread, its batch) as plain DL4J fits in two
 * JVMs that start their timed run together, against one JVM alone. rate(both) / (2 x rate(alone)) is
 * the best a two-executor scaling figure can read on this machine: on 2 cores that also carry the
 * driver, the Master, the Workers and whatever else the machine runs, it can be well under 1.
 */
final class MachineCeiling {
  static final String PREFIX = "CEILING-RESULT ";
  private static final int WARM_UP_STEPS = 10;
  private static final int BATCHES = 8;

  private MachineCeiling() {}

  /** Alone, then in pairs, {@code reps} times each; the result's "ceiling" is the ratio of medians. */
  static ObjectNode measure(Params p, int batch, int reps) throws Exception {
    double seconds = p.pick(8, 20);
    Side alone = new Side("1 plain fit JVM alone, batch " + batch, "samples/s");
    Side pair = new Side("2 plain fit JVMs at once, batch " + batch + " each (sum)", "samples/s");
    List<Double> pairBalance = new ArrayList<>();
    for (int rep = 0; rep < reps; rep++) {
      double one = run(p, batch, seconds, 1, rep).get(0);
      alone.add(one);
      List<Double> two = run(p, batch, seconds, 2, rep);
      pair.add(two.get(0) + two.get(1));
      pairBalance.add(Math.min(two.get(0), two.get(1)) / Math.max(two.get(0), two.get(1)));
      System.out.printf("machine ceiling rep %d: alone %.0f samples/s, pair %.0f + %.0f samples/s, load %.2f%n",
          rep + 1, one, two.get(0), two.get(1), Machine.load1());
    }
    ObjectNode out = Json.object();
    out.set("alone", alone.toJson());
    out.set("pair", pair.toJson());
    out.set("pair_slower_over_faster", Json.MAPPER.valueToTree(pairBalance));
    out.put("seconds_per_run", seconds);
    out.put("ceiling", pair.median() / (2 * alone.median()));
    return out;
  }

  /** Starts {@code jvms} children that wait for each other after their warm-up; their samples/s. */
  private static List<Double> run(Params p, int batch, double seconds, int jvms, int rep) throws Exception {
    Path gate = Files.createTempDirectory(p.out(), "ceiling-gate");
    List<CompletableFuture<JsonNode>> children = new ArrayList<>();
    for (int i = 0; i < jvms; i++) {
      List<String> cmd = Children.javaCommand(List.of(), BenchPart.class.getName(), List.of("ceiling-fit",
          p.quick() ? "quick" : "full", "1", "1", p.out().toString(), Integer.toString(batch),
          Double.toString(seconds), gate.toString(), Integer.toString(jvms)));
      Path log = p.out().resolve("logs").resolve("ceiling-" + jvms + "-" + (rep + 1) + "-" + (i + 1) + ".log");
      children.add(CompletableFuture.supplyAsync(() -> {
        try {
          return Children.run(cmd, Map.of("OMP_NUM_THREADS", "1"), log, PREFIX, null);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    List<Double> rates = new ArrayList<>();
    try {
      for (CompletableFuture<JsonNode> c : children) {
        JsonNode r = c.get();
        if (r == null) {
          throw new IllegalStateException("a machine-ceiling fit failed; see out/bench/logs/ceiling-*.log");
        }
        rates.add(r.get("samples_per_s").asDouble());
      }
    } finally {
      try (var marks = Files.list(gate)) {
        for (Path m : marks.toList()) {
          Files.delete(m);
        }
      }
      Files.delete(gate);
    }
    return rates;
  }

  /**
   * One child: warms up for half of {@code seconds}, marks itself ready in {@code gate}, waits until
   * {@code jvms} are ready (so a pair's timed runs overlap whole, whatever each JVM's start-up took), then
   * fits for {@code seconds}.
   */
  static void child(int batch, double seconds, Path gate, int jvms) throws Exception {
    ComputationGraph net = BenchNetworks.lstm("fused");
    List<DataSet> batches = BenchNetworks.randomBatches(BATCHES, batch, BenchNetworks.FEATURES,
        BenchNetworks.LENGTH, BenchNetworks.HORIZON);
    // long enough for the JIT's work on the step to end before the timed run (one in a pair competes for
    // the cores with the other's compiler otherwise)
    Clock warmUp = new Clock();
    for (int i = 0; i < WARM_UP_STEPS || warmUp.wallSeconds() < seconds / 2; i++) {
      net.fit(batches.get(i % BATCHES));
    }
    Files.createTempFile(gate, "ready", "");
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (countReady(gate) < jvms) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the other machine-ceiling JVMs were not ready within 2 minutes");
      }
      Thread.sleep(2);
    }
    Clock clock = new Clock();
    long steps = 0;
    while (clock.wallSeconds() < seconds) {
      net.fit(batches.get((int) (steps++ % BATCHES)));
    }
    ObjectNode out = Json.object();
    out.put("samples_per_s", steps * batch / clock.wallSeconds());
    out.put("samples_per_cpu_s", steps * batch / clock.cpuSeconds());
    out.put("steps", steps);
    Children.printResult(PREFIX, out);
  }

  private static long countReady(Path gate) throws java.io.IOException {
    try (var files = Files.list(gate)) {
      return files.count();
    }
  }
}

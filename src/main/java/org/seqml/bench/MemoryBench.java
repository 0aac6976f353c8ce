package org.seqml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.pipeline.Phases;
import org.seqml.run.RunContext;
import org.seqml.pipeline.SparkSessions;

/**
 * Driver heap peak of the whole ticks pipeline (ingest, window, train, score, evaluate) at 1x and
 * 10x the ticks per symbol, with the driver a JVM of its own against a standalone cluster
 * (submit/local-cluster: two 1-core executors on loopback), as in production: the data lives on
 * the executors, and what grows in the driver with data is what the driver collects. Each run is a
 * fresh driver JVM; training is capped at train.max-windows so the 10x run stays short, every other
 * phase sees all data.
 */
final class MemoryBench {
  static final String PREFIX = "MEMORY-RESULT ";

  private MemoryBench() {}

  static Result run(Params p) throws Exception {
    int base = p.pick(5_000, 20_000);
    int port = 17577;
    Side one = new Side("driver live heap (end of full GCs), peak, 1x (" + base + " ticks/symbol)", "MiB");
    Side ten = new Side("driver live heap (end of full GCs), peak, 10x", "MiB");
    // the end of every collection, young ones too: also counts old garbage and objects in flight
    Side oneAnyGc = new Side("driver heap after any GC, peak, 1x", "MiB");
    Side tenAnyGc = new Side("driver heap after any GC, peak, 10x", "MiB");
    // read after System.gc() returns, so it also counts what other threads allocated in between
    Side oneSampled = new Side("driver heap read right after a full GC, peak, 1x", "MiB");
    Side tenSampled = new Side("driver heap read right after a full GC, peak, 10x", "MiB");
    Side oneUsed = new Side("driver heap used, peak, 1x", "MiB");
    Side tenUsed = new Side("driver heap used, peak, 10x", "MiB");
    try (BenchCluster cluster = BenchCluster.start(p.out().resolve("memory-cluster"), port, "3g")) {
      for (int scale : new int[] {1, 10}) {
        List<String> cmd = Children.javaCommand(List.of(), BenchPart.class.getName(),
            List.of("memory-run", p.quick() ? "quick" : "full", Integer.toString(p.threads()), "1",
                p.out().toString(), Integer.toString(base * scale), Integer.toString(port)));
        JsonNode r = Children.run(cmd, Map.of("OMP_NUM_THREADS", "1"),
            p.out().resolve("logs").resolve("memory-" + scale + "x.log"), PREFIX, null);
        if (r == null) {
          throw new IllegalStateException("memory run at " + scale + "x failed; see out/bench/logs");
        }
        (scale == 1 ? one : ten).add(r.get("after_full_gc_mib").asDouble());
        (scale == 1 ? oneAnyGc : tenAnyGc).add(r.get("after_gc_mib").asDouble());
        (scale == 1 ? oneSampled : tenSampled).add(r.get("live_mib").asDouble());
        (scale == 1 ? oneUsed : tenUsed).add(r.get("used_mib").asDouble());
        System.out.printf("memory %dx: driver live heap peak %.0f MiB (%d full collections), after any GC %.0f MiB "
                + "(%d collections), read after full GC %.0f MiB, used peak %.0f MiB (%d samples, %.0f s), load %.2f%n",
            scale, r.get("after_full_gc_mib").asDouble(), r.get("full_collections").asLong(),
            r.get("after_gc_mib").asDouble(), r.get("collections").asLong(), r.get("live_mib").asDouble(),
            r.get("used_mib").asDouble(),
            r.get("samples").asLong(), r.get("seconds").asDouble(), Machine.load1());
      }
    }
    Result r = new Result("memory", "Driver heap peak of the whole ticks pipeline at 1x and 10x ticks per symbol "
        + "(4 symbols, 1 epoch, train.max-windows=4096), driver JVM against a standalone cluster of two 1-core "
        + "executors: heap in use at the end of every full collection (GC notifications; a full GC forced every "
        + "second)", ten, one,
        "1x peak / 10x peak (>= 0.83 means 10x within 20% of 1x)", one.median() / ten.median(), 1 / 1.2);
    r.extra.set("after_any_gc_peak_1x", oneAnyGc.toJson());
    r.extra.set("after_any_gc_peak_10x", tenAnyGc.toJson());
    r.extra.put("after_any_gc_ratio", oneAnyGc.median() / tenAnyGc.median());
    r.extra.set("read_after_full_gc_peak_1x", oneSampled.toJson());
    r.extra.set("read_after_full_gc_peak_10x", tenSampled.toJson());
    r.extra.set("used_peak_1x", oneUsed.toJson());
    r.extra.set("used_peak_10x", tenUsed.toJson());
    r.settings.put("driver_xmx_mib", HeapPeak.max() / (1024 * 1024));
    r.settings.put("spark_master", "spark://127.0.0.1:" + port + " (2 workers x 1 core, executor memory 2g)");
    return r;
  }

  /** One pipeline run with this JVM as the driver; prints its heap peaks. */
  static void child(Params p, int ticksPerSymbol, int port) throws Exception {
    Path dir = p.out().resolve("memory-" + ticksPerSymbol);
    SeqmlConfig config = BenchConfig.load(null, List.of("output.dir=" + dir,
        "spark.master=\"spark://127.0.0.1:" + port + "\"", "spark.conf.\"spark.ui.enabled\"=false",
        "spark.conf.\"spark.cores.max\"=2", "spark.conf.\"spark.executor.cores\"=1",
        "spark.conf.\"spark.executor.memory\"=2g",
        "ingest.generator.ticks-per-symbol=" + ticksPerSymbol, "train.epochs=1", "train.max-windows=4096"));
    long t0 = System.nanoTime();
    try (HeapPeak peak = new HeapPeak(1000)) {
      SparkSession spark = SparkSessions.create(config);
      RunContext run = PipelineBench.context(config, spark);
      Phases.ingest(run);
      Phases.window(run);
      Phases.train(run);
      Phases.score(run);
      Phases.evaluate(run);
      spark.stop();
      ObjectNode out = Json.object();
      out.put("ticks_per_symbol", ticksPerSymbol);
      out.put("live_mib", peak.livePeak() / 1048576.0);
      out.put("after_gc_mib", peak.afterGcPeak() / 1048576.0);
      out.put("collections", peak.collections());
      out.put("after_full_gc_mib", peak.afterFullGcPeak() / 1048576.0);
      out.put("full_collections", peak.fullCollections());
      out.put("samples", peak.samples());
      out.put("used_mib", peak.usedPeak() / 1048576.0);
      out.put("seconds", (System.nanoTime() - t0) / 1e9);
      Children.printResult(PREFIX, out);
    }
  }
}

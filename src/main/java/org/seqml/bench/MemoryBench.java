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
import org.seqml.pipeline.RunContext;
import org.seqml.pipeline.SparkSessions;

/**
 * Driver heap peak of the ticks pipeline (ingest, window, train, score, evaluate) at 1x and 10x the
 * ticks per symbol, each run in a fresh JVM (local[2]: the driver JVM is also the executor, so this
 * is an upper bound of the driver's own share). Training is capped at train.max-windows so the
 * 10x run stays short; every other phase sees all data.
 */
final class MemoryBench {
  static final String PREFIX = "MEMORY-RESULT ";

  private MemoryBench() {}

  static Result run(Params p) throws Exception {
    int base = p.pick(5_000, 20_000);
    Side one = new Side("heap after GC, peak, 1x (" + base + " ticks/symbol)", "MiB");
    Side ten = new Side("heap after GC, peak, 10x", "MiB");
    Side oneUsed = new Side("heap used, peak, 1x", "MiB");
    Side tenUsed = new Side("heap used, peak, 10x", "MiB");
    int reps = Math.min(p.reps(), p.quick() ? 1 : 2);
    for (int rep = 0; rep < reps; rep++) {
      for (int scale : new int[] {1, 10}) {
        List<String> cmd = Children.javaCommand(List.of(), BenchPart.class.getName(),
            List.of("memory-run", p.quick() ? "quick" : "full", Integer.toString(p.threads()), "1",
                p.out().toString(), Integer.toString(base * scale)));
        JsonNode r = Children.run(cmd, Map.of("OMP_NUM_THREADS", "1"),
            p.out().resolve("logs").resolve("memory-" + scale + "x-" + (rep + 1) + ".log"), PREFIX, null);
        if (r == null) {
          throw new IllegalStateException("memory run at " + scale + "x failed; see out/bench/logs");
        }
        (scale == 1 ? one : ten).add(r.get("after_gc_mib").asDouble());
        (scale == 1 ? oneUsed : tenUsed).add(r.get("used_mib").asDouble());
        System.out.printf("memory rep %d %dx: after-GC peak %.0f MiB, used peak %.0f MiB (%.0f s), load %.2f%n",
            rep + 1, scale, r.get("after_gc_mib").asDouble(), r.get("used_mib").asDouble(),
            r.get("seconds").asDouble(), Machine.load1());
      }
    }
    Result r = new Result("memory", "Driver heap peak (after GC) of the whole ticks pipeline at 1x and 10x ticks "
        + "per symbol (4 symbols, local[2], 1 epoch, train.max-windows=4096)", ten, one,
        "1x peak / 10x peak (>= 0.83 means 10x within 20% of 1x)", one.median() / ten.median(), 1 / 1.2);
    r.extra.set("used_peak_1x", oneUsed.toJson());
    r.extra.set("used_peak_10x", tenUsed.toJson());
    r.settings.put("xmx_mib", HeapPeak.max() / (1024 * 1024));
    return r;
  }

  /** One pipeline run in this JVM; prints its heap peaks. */
  static void child(Params p, int ticksPerSymbol) throws Exception {
    Path dir = p.out().resolve("memory-" + ticksPerSymbol);
    SeqmlConfig config = BenchConfig.load(null, List.of("output.dir=" + dir, "spark.master=local[2]", "spark.conf.\"spark.ui.enabled\"=false",
            "ingest.generator.ticks-per-symbol=" + ticksPerSymbol, "train.epochs=1", "train.max-windows=4096"));
    long t0 = System.nanoTime();
    try (HeapPeak peak = new HeapPeak()) {
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
      out.put("after_gc_mib", peak.afterGcPeak() / 1048576.0);
      out.put("used_mib", peak.usedPeak() / 1048576.0);
      out.put("seconds", (System.nanoTime() - t0) / 1e9);
      System.out.println(PREFIX + Json.MAPPER.writer().without(
          com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    }
  }
}

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
    Side one = new Side("live heap less Spark's cached blocks, peak, 1x (" + base + " ticks/symbol)", "MiB");
    Side ten = new Side("live heap less Spark's cached blocks, peak, 10x", "MiB");
    Side oneLive = new Side("live heap, peak, 1x", "MiB");
    Side tenLive = new Side("live heap, peak, 10x", "MiB");
    Side oneUsed = new Side("heap used, peak, 1x", "MiB");
    Side tenUsed = new Side("heap used, peak, 10x", "MiB");
    int reps = 1; // a fresh JVM per run; the sampled full GCs make each run slow
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
        (scale == 1 ? one : ten).add(r.get("live_without_cache_mib").asDouble());
        (scale == 1 ? oneLive : tenLive).add(r.get("live_mib").asDouble());
        (scale == 1 ? oneUsed : tenUsed).add(r.get("used_mib").asDouble());
        System.out.printf("memory rep %d %dx: live peak %.0f MiB, less cached blocks %.0f MiB, used peak %.0f MiB "
                + "(%d samples, %.0f s), load %.2f%n", rep + 1, scale, r.get("live_mib").asDouble(),
            r.get("live_without_cache_mib").asDouble(), r.get("used_mib").asDouble(), r.get("samples").asLong(),
            r.get("seconds").asDouble(), Machine.load1());
      }
    }
    Result r = new Result("memory", "Driver heap peak of the whole ticks pipeline at 1x and 10x ticks per symbol "
        + "(4 symbols, local[2], 1 epoch, train.max-windows=4096): live heap (full GC every 2 s) less Spark's "
        + "cached blocks, which live on executors on a cluster", ten, one,
        "1x peak / 10x peak (>= 0.83 means 10x within 20% of 1x)", one.median() / ten.median(), 1 / 1.2);
    r.extra.set("live_peak_1x", oneLive.toJson());
    r.extra.set("live_peak_10x", tenLive.toJson());
    r.extra.put("live_ratio", oneLive.median() / tenLive.median());
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
    try (HeapPeak peak = new HeapPeak(2000)) {
      SparkSession spark = SparkSessions.create(config);
      peak.cachedBytes(() -> {
        long bytes = 0;
        for (var info : spark.sparkContext().getRDDStorageInfo()) {
          bytes += info.memSize();
        }
        return bytes;
      });
      RunContext run = PipelineBench.context(config, spark);
      Phases.ingest(run);
      Phases.window(run);
      Phases.train(run);
      Phases.score(run);
      Phases.evaluate(run);
      peak.cachedBytes(() -> 0L);
      spark.stop();
      ObjectNode out = Json.object();
      out.put("ticks_per_symbol", ticksPerSymbol);
      out.put("live_mib", peak.livePeak() / 1048576.0);
      out.put("live_without_cache_mib", peak.liveWithoutCachePeak() / 1048576.0);
      out.put("samples", peak.samples());
      out.put("used_mib", peak.usedPeak() / 1048576.0);
      out.put("seconds", (System.nanoTime() - t0) / 1e9);
      System.out.println(PREFIX + Json.MAPPER.writer().without(
          com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    }
  }
}

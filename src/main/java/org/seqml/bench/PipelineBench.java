package org.seqml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.run.CodeVersion;
import org.seqml.pipeline.Phases;
import org.seqml.run.RunContext;
import org.seqml.pipeline.SparkSessions;

/**
 * Measures over the ticks pipeline itself: windowing throughput against a plain Parquet copy of
 * the same ticks, and the accuracy of the published model against a PyTorch model of the same
 * shape trained on exactly the windows seqml trained on.
 */
final class PipelineBench {
  static final String DS = "2024-03-04";

  private PipelineBench() {}

  static RunContext context(SeqmlConfig config, SparkSession spark) {
    return new RunContext(config, spark, DS, "bench", CodeVersion.get(), Layout.of(config.outputDir(), "ticks"));
  }

  /**
   * 10 M generated ticks (1 M quick): ingest + window phase to Parquet vs read + write the ticks Parquet.
   * The window phase writes the steps windows are cut from; what a reading phase then pays to cut
   * every window is timed on its own (cut on read), so that no cost is hidden by the change of table.
   */
  static Result windowing(Params p) {
    int symbols = 100;
    int perSymbol = p.pick(10_000, 100_000);
    Path dir = p.out().resolve("windowing");
    SeqmlConfig config = windowingConfig(dir, symbols, perSymbol);
    SparkSession spark = SparkSessions.create(config);
    RunContext run = context(config, spark);
    // Untimed, both sides on 100 k ticks first: the seqml side runs first in each rep, and a cold JVM's
    // first jobs (class loading, code generation, JIT) would otherwise fall on it alone.
    RunContext warmUp = context(windowingConfig(dir.resolve("warm-up"), symbols, 1_000), spark);
    Phases.ingest(warmUp);
    Phases.window(warmUp);
    plainCopy(warmUp, dir.resolve("warm-up/plain-copy"));
    cutEveryWindow(warmUp);
    long ticks = (long) symbols * perSymbol;
    Side seqml = new Side("ingest + window to Parquet", "ticks/s");
    Side plain = new Side("Parquet read + write of the ticks", "ticks/s");
    Side ingest = new Side("ingest phase", "s");
    Side window = new Side("window phase", "s");
    Side cut = new Side("cut every window on read (to a noop sink)", "s");
    int reps = p.reps(); // 10 M ticks: about a minute per rep
    for (int rep = 0; rep < reps; rep++) {
      long t0 = System.nanoTime();
      Phases.ingest(run);
      double ingestSeconds = (System.nanoTime() - t0) / 1e9;
      Phases.window(run);
      double seconds = (System.nanoTime() - t0) / 1e9;
      ingest.add(ingestSeconds);
      window.add(seconds - ingestSeconds);
      double a = ticks / seconds;
      seqml.add(a);
      long t1 = System.nanoTime();
      plainCopy(run, dir.resolve("plain-copy"));
      double b = ticks / ((System.nanoTime() - t1) / 1e9);
      plain.add(b);
      long t2 = System.nanoTime();
      cutEveryWindow(run);
      cut.add((System.nanoTime() - t2) / 1e9);
      System.out.printf("windowing rep %d: seqml %.0f ticks/s, plain %.0f ticks/s, load %.2f%n", rep + 1, a, b,
          Machine.load1());
    }
    Result r = Result.throughput("windowing", ticks + " generated ticks (" + symbols + " symbols): ingest + "
        + "window phase (features per step and split cuts, to Parquet; windows W=32, S=2, H=3 are cut on read) "
        + "vs Parquet read + write of the same ticks", seqml, plain,
        0.50);
    r.settings.put("ticks", ticks);
    r.extra.set("ingest_seconds", ingest.toJson());
    r.extra.set("window_seconds", window.toJson());
    r.extra.set("cut_on_read_seconds", cut.toJson());
    r.settings.put("spark_master", "local[2]");
    r.settings.put("shuffle_partitions", 16);
    JsonNode manifest = PartitionSink.manifest(run, Layout.STEPS);
    r.extra.set("steps_manifest_rows", manifest.get("rows"));
    r.extra.put("steps_written", manifest.get("rows_written").asLong());
    r.extra.put("windows_cut", Phases.windows(run).count());
    spark.stop();
    return r;
  }

  /** The peer side: the run's ticks read from Parquet and written again, as they are. */
  private static void plainCopy(RunContext run, Path out) {
    PartitionSink.read(run, Layout.TICKS).write().mode("overwrite").parquet(out.toString());
  }

  /** What a reading phase pays to cut the run's windows from its steps, to a sink that keeps nothing. */
  private static void cutEveryWindow(RunContext run) {
    Phases.windows(run).write().format("noop").mode("overwrite").save();
  }

  private static SeqmlConfig windowingConfig(Path dir, int symbols, int perSymbol) {
    return BenchConfig.load(null, List.of("output.dir=" + dir, "spark.master=local[2]", "spark.shuffle-partitions=16",
        "spark.conf.\"spark.ui.enabled\"=false",
        "ingest.generator.symbols=" + symbols, "ingest.generator.ticks-per-symbol=" + perSymbol,
        "ingest.generator.partitions=16"));
  }

  /** The ticks pipeline's test RMSE against the PyTorch model of the same shape on the same windows. */
  static Result accuracy(Params p) {
    Path dir = p.out().resolve("accuracy");
    List<String> overrides = new ArrayList<>(List.of("output.dir=" + dir, "spark.master=local[2]",
        "spark.conf.\"spark.ui.enabled\"=false"));
    SeqmlConfig config = BenchConfig.load(p.quick() ? "ci" : null, overrides);
    SparkSession spark = SparkSessions.create(config);
    RunContext run = context(config, spark);
    Phases.ingest(run);
    Phases.window(run);
    Phases.train(run);
    Phases.score(run);
    ObjectNode metrics = Phases.evaluate(run);
    String root = run.layout().root();
    // The peer reads windows from Parquet: the very windows seqml cut from its steps, written out.
    String windows = root + "/peer-windows";
    Phases.windows(run).write().mode("overwrite").parquet(windows);
    spark.stop();
    SeqmlConfig.Model m = config.model();
    SeqmlConfig.Train t = config.train();
    JsonNode torch = Python.fromProperties().run("torch_peer.py", 2,
        "--windows", windows, "--scores", root + "/scores/ds=" + DS,
        "--metadata", root + "/model/metadata.json", "--epochs", Integer.toString(t.epochs()),
        "--batch", Integer.toString(t.batchSizePerWorker()), "--lr", Double.toString(m.learningRate()),
        "--l2", Double.toString(m.l2()), "--clip", Double.toString(m.gradientClip()),
        "--hidden", m.hidden().stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow(),
        "--dense", Integer.toString(m.dense()), "--seed", Long.toString(m.seed()),
        "--keep-best", Boolean.toString(t.keepBest()), "--threads", "2");
    double seqmlRmse = metrics.get("overall").get("model").get("rmse").asDouble();
    double torchRmse = torch.get("torch_test_rmse").asDouble();
    Side seqml = new Side("seqml test RMSE (metrics.json)", "bps");
    seqml.add(seqmlRmse);
    Side peer = new Side("PyTorch, same shape and windows", "bps");
    peer.add(torchRmse);
    Result r = new Result("accuracy", "Ticks pipeline (" + (p.quick() ? "env ci" : "defaults") + "): test RMSE "
        + "of the published model vs a PyTorch model of the same shape trained on the same windows",
        seqml, peer, "peer RMSE / seqml RMSE (lower RMSE is better)", torchRmse / seqmlRmse, 0.98);
    r.extra.set("torch", torch);
    r.extra.set("seqml_overall", metrics.get("overall"));
    r.settings.put("epochs", t.epochs());
    r.settings.put("batch_size", t.batchSizePerWorker());
    r.settings.put("learning_rate", m.learningRate());
    return r;
  }
}

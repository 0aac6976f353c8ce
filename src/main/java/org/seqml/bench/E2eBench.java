package org.seqml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.ticks.TickGenerator;
import org.seqml.io.Json;

/**
 * The ticks pipeline end to end, seqml against Spark's own deep-learning path on the same input Parquet:
 * {@code submit/seqml run --pipeline ticks-table} (local[2]) against bench/e2e_peer.py (PySpark local[2],
 * TorchDistributor with two local processes, predict_batch_udf). Per side and data size: wall time per
 * phase and in total, training samples/s, peak RSS of every process of the side, test RMSE of the model
 * and of the zero forecast. The sides alternate which runs first, rep by rep. The ratio is the peer's total
 * time over seqml's (higher is better for seqml; the goal, 1.25, is seqml's total at most 0.8x the peer's).
 */
final class E2eBench {
  /** Symbols and ticks per symbol of the demo (pipelines/ticks.conf): 1x. */
  private static final int DEMO_SYMBOLS = 4;
  private static final int DEMO_TICKS = 20_000;

  private E2eBench() {}

  static Result run(Params p) throws Exception {
    List<Integer> scales = p.quick() ? List.of(1) : List.of(1, 10);
    // both sides train the pipeline's epochs, or those of `bench --conf train.epochs=N`
    int epochs = BenchConfig.load(null, List.of()).train().epochs();
    Path home = Path.of(System.getProperty("seqml.home", "."));
    Python python = Python.fromProperties();
    Map<Integer, Path> inputs = new LinkedHashMap<>();
    for (int scale : scales) {
      inputs.put(scale, input(p.out().resolve("e2e/input-" + scale + "x"), scale));
    }
    Map<Integer, List<JsonNode>> seqmlRuns = new LinkedHashMap<>();
    Map<Integer, List<JsonNode>> peerRuns = new LinkedHashMap<>();
    for (int rep = 0; rep < p.reps(); rep++) {
      for (int scale : scales) {
        Path work = p.out().resolve("e2e/run-" + scale + "x");
        boolean seqmlFirst = rep % 2 == 0;
        for (int side = 0; side < 2; side++) {
          boolean isSeqml = (side == 0) == seqmlFirst;
          JsonNode r = isSeqml ? seqmlSide(home, inputs.get(scale), work.resolve("seqml"), epochs, p)
              : peerSide(python, inputs.get(scale), work.resolve("peer"), epochs, p);
          (isSeqml ? seqmlRuns : peerRuns).computeIfAbsent(scale, k -> new ArrayList<>()).add(r);
          System.out.printf("e2e %dx rep %d %s: total %.1f s, rmse %.4f (zero %.4f), peak rss %.0f MB%n", scale,
              rep + 1, isSeqml ? "seqml" : "peer", r.at("/seconds/total").asDouble(), r.at("/rmse/model").asDouble(),
              r.at("/rmse/zero").asDouble(), r.get("peak_rss_mb").asDouble());
        }
      }
    }
    int top = scales.get(scales.size() - 1);
    Side seqml = new Side("seqml run (local[2])", "s");
    Side peer = new Side("PySpark + TorchDistributor + predict_batch_udf", "s");
    for (int i = 0; i < p.reps(); i++) {
      seqml.add(seqmlRuns.get(top).get(i).at("/seconds/total").asDouble());
      peer.add(peerRuns.get(top).get(i).at("/seconds/total").asDouble());
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < p.reps(); i++) {
      ratios.add(peer.values().get(i) / seqml.values().get(i));
    }
    Result r = new Result("e2e", "the ticks pipeline end to end at " + top + "x the demo's ticks ("
        + (long) top * DEMO_SYMBOLS * DEMO_TICKS + "): seqml run vs PySpark + TorchDistributor(2 local processes)"
        + " + predict_batch_udf on the same Parquet", seqml, peer,
        "peer total seconds / seqml total seconds, median over the repetitions", Side.median(ratios), 1.25);
    r.settings.put("epochs", epochs);
    r.settings.put("scales", Json.MAPPER.valueToTree(scales));
    SparkSession spark = SparkSession.builder().master("local[2]").appName("seqml-e2e-check")
        .config("spark.ui.enabled", "false").getOrCreate();
    for (int scale : scales) {
      ObjectNode s = r.extra.putObject(scale + "x");
      s.put("ticks", (long) scale * DEMO_SYMBOLS * DEMO_TICKS);
      s.set("seqml", summary(seqmlRuns.get(scale)));
      s.set("peer", summary(peerRuns.get(scale)));
      Path work = p.out().resolve("e2e/run-" + scale + "x");
      s.set("same_data", sameData(spark, work.resolve("seqml/ticks-table"), seqmlRuns.get(scale).get(0),
          work.resolve("peer"), peerRuns.get(scale).get(0)));
    }
    spark.stop();
    return r;
  }

  /**
   * The demo's generated ticks at {@code scale}x as a trades/quotes table (the columns ticks-table reads):
   * a quote's price is its mid and its size 0, so log volume is the traded size as in the demo. Written once.
   */
  static Path input(Path dir, int scale) {
    if (Files.isDirectory(dir) && Files.exists(dir.resolve("_SUCCESS"))) {
      return dir;
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("seqml-e2e-input")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      // the demo's generator (pipelines/ticks.conf); 10x as twice the symbols, each five times as long
      SeqmlConfig.Generator demo = new org.seqml.config.ConfigLoader(Path.of(System.getProperty("seqml.home", ".")))
          .load("ticks", null, List.of()).ingest().generator();
      int symbols = demo.symbols() * (scale >= 10 ? scale / 5 : 1);
      SeqmlConfig.Generator g = new SeqmlConfig.Generator(symbols, demo.ticksPerSymbol() * (scale >= 10 ? 5 : scale),
          demo.seed(), demo.start(), demo.meanIntervalMs(), demo.signalStrength(), symbols);
      TickGenerator.generate(spark, g).accepted()
          .select(functions.col("symbol"), functions.col("ts").as("timestamp"),
              functions.coalesce(functions.col("price"), functions.col("bid").plus(functions.col("ask")).divide(2))
                  .as("price"),
              functions.when(functions.col("event").equalTo("trade"), functions.col("size")).otherwise(0.0)
                  .as("size"),
              functions.col("bid"), functions.col("ask"), functions.col("bid_size"), functions.col("ask_size"))
          .coalesce(2).write().mode("overwrite").parquet(dir.toString());
    } finally {
      spark.stop();
    }
    return dir;
  }

  private static JsonNode seqmlSide(Path home, Path input, Path out, int epochs, Params p) throws Exception {
    deleteTree(out);
    List<String> cmd = List.of(home.resolve("submit/seqml").toString(), "run", "--pipeline", "ticks-table",
        "--ds", "2024-03-04", "--conf", "ingest.path=" + input, "--conf", "ingest.file-format=parquet",
        "--conf", "output.dir=" + out, "--conf", "train.epochs=" + epochs);
    // each phase ends when its log line appears: the seconds since the start at which it did
    Map<String, Double> marks = new LinkedHashMap<>();
    Map<String, String> when = Map.of("TicksDomain: window ds=", "ingest_window", "published model", "train",
        "ForecastTask: score ds=", "score", "ForecastEvaluation: evaluate ds=", "evaluate");
    long t0 = System.nanoTime();
    Watched w = watch(new ProcessBuilder(cmd), p.out().resolve("logs/e2e-seqml.log"), line -> when.forEach(
        (text, phase) -> {
          if (line.contains(text)) {
            marks.putIfAbsent(phase, (System.nanoTime() - t0) / 1e9);
          }
        }));
    Path root = out.resolve("ticks-table");
    JsonNode metrics = Json.MAPPER.readTree(root.resolve("metrics.json").toFile());
    JsonNode training = Json.MAPPER.readTree(root.resolve("model/metadata.json").toFile()).get("training");
    ObjectNode r = Json.object();
    ObjectNode sec = r.putObject("seconds");
    double last = 0;
    for (String phase : List.of("ingest_window", "train", "score", "evaluate")) {
      double at = marks.getOrDefault(phase, Double.NaN);
      sec.put(phase, at - last);
      last = at;
    }
    sec.put("total", w.seconds);
    List<Double> rates = new ArrayList<>();
    training.get("epochs").forEach(e -> rates.add(e.get("samples_per_second").asDouble()));
    r.put("train_samples_per_s", Side.median(rates));
    r.putObject("rmse").put("model", metrics.at("/overall/model/rmse").asDouble())
        .put("zero", metrics.at("/overall/zero/rmse").asDouble());
    r.put("peak_rss_mb", w.peakRssMb);
    r.set("scaler", Json.MAPPER.readTree(root.resolve("model/metadata.json").toFile()).path("scaler"));
    r.put("log_lines", w.lines);
    return r;
  }

  private static JsonNode peerSide(Python python, Path input, Path out, int epochs, Params p) throws Exception {
    ProcessBuilder pb = python.builder("e2e_peer.py", 1, "--input", input.toString(), "--out", out.toString(),
        "--epochs", Integer.toString(epochs));
    pb.environment().put("PYSPARK_PYTHON", python.executable().toString());
    pb.redirectError(ProcessBuilder.Redirect.PIPE);
    List<String> json = new ArrayList<>();
    Watched w = watch(pb, p.out().resolve("logs/e2e-peer.log"), line -> {
      int at = line.indexOf("{\"seconds\"");
      if (at >= 0) {
        json.add(line.substring(at));
      }
    });
    if (json.isEmpty()) {
      throw new IllegalStateException("the peer printed no result: " + p.out().resolve("logs/e2e-peer.log"));
    }
    ObjectNode r = (ObjectNode) Json.MAPPER.readTree(json.get(json.size() - 1));
    ((ObjectNode) r.get("seconds")).put("total", w.seconds); // the process's wall time, start-up included
    r.put("peak_rss_mb", w.peakRssMb);
    return r;
  }

  /**
   * Whether both sides worked on the same data: the peer's sample of steps against seqml's steps table
   * (largest difference of each feature), the split cuts, the window counts and the scalers.
   */
  static ObjectNode sameData(SparkSession spark, Path seqmlRoot, JsonNode seqml, Path peerOut, JsonNode peer)
      throws IOException {
    ObjectNode s = Json.object();
    JsonNode sample = Json.MAPPER.readTree(peerOut.resolve("sample_steps.json").toFile());
    Map<String, double[]> ours = new java.util.HashMap<>();
    for (org.apache.spark.sql.Row r : spark.read().parquet(seqmlRoot.resolve("steps").toString())
        .where("seq % 997 = 0").select("key", "seq", "ret", "spread", "imbalance", "volume").collectAsList()) {
      ours.put(r.getString(0) + "/" + r.getLong(1), new double[] {r.getDouble(2), r.getDouble(3), r.getDouble(4),
          r.getDouble(5)});
    }
    double[] worst = new double[4];
    int matched = 0;
    for (JsonNode row : sample) {
      double[] mine = ours.get(row.get(0).asText() + "/" + row.get(1).asLong());
      if (mine != null) {
        matched++;
        for (int f = 0; f < 4; f++) {
          worst[f] = Math.max(worst[f], Math.abs(mine[f] - row.get(2 + f).asDouble()));
        }
      }
    }
    s.put("sample_steps", sample.size());
    s.put("sample_steps_in_seqml", matched);
    s.put("seqml_sample_steps", ours.size());
    ObjectNode diff = s.putObject("largest_feature_difference");
    String[] names = {"ret", "spread", "imbalance", "volume"};
    for (int f = 0; f < 4; f++) {
      diff.put(names[f], worst[f]);
    }
    JsonNode split = Json.MAPPER.readTree(seqmlRoot.resolve("steps/ds=2024-03-04/_manifest.json").toFile())
        .get("split");
    double c1 = java.time.Instant.parse(split.get("validation_from").asText()).toEpochMilli() * 1000.0;
    double c2 = java.time.Instant.parse(split.get("test_from").asText()).toEpochMilli() * 1000.0;
    s.put("validation_cut_difference_s", Math.abs(c1 - peer.at("/cuts_us/0").asDouble()) / 1e6);
    s.put("test_cut_difference_s", Math.abs(c2 - peer.at("/cuts_us/1").asDouble()) / 1e6);
    JsonNode data = Json.MAPPER.readTree(seqmlRoot.resolve("model/metadata.json").toFile()).get("data");
    s.put("seqml_train_windows", data.path("train_windows").asLong());
    s.put("peer_train_windows", peer.at("/windows/train").asLong());
    s.put("seqml_validation_windows", data.path("validation_windows").asLong());
    s.put("peer_validation_windows", peer.at("/windows/validation").asLong());
    double scalerWorst = 0;
    for (int f = 0; f < 4; f++) {
      scalerWorst = Math.max(scalerWorst, relative(seqml.at("/scaler/mean/" + f), peer.at("/scaler/mean/" + f), seqml.at(
          "/scaler/std/" + f)));
      scalerWorst = Math.max(scalerWorst, relative(seqml.at("/scaler/std/" + f), peer.at("/scaler/std/" + f), seqml.at(
          "/scaler/std/" + f)));
    }
    s.put("scaler_largest_difference_in_std", scalerWorst);
    return s;
  }

  private static double relative(JsonNode a, JsonNode b, JsonNode scale) {
    return Math.abs(a.asDouble() - b.asDouble()) / scale.asDouble();
  }

  private static ObjectNode summary(List<JsonNode> runs) {
    ObjectNode s = Json.object();
    for (String phase : List.of("ingest_window", "train", "score", "evaluate", "total")) {
      List<Double> v = new ArrayList<>();
      runs.forEach(r -> v.add(r.at("/seconds/" + phase).asDouble()));
      s.put(phase + "_s", Side.median(v));
    }
    for (String k : List.of("train_samples_per_s", "peak_rss_mb")) {
      List<Double> v = new ArrayList<>();
      runs.forEach(r -> v.add(r.get(k).asDouble()));
      s.put(k, Side.median(v));
    }
    List<Double> model = new ArrayList<>();
    runs.forEach(r -> model.add(r.at("/rmse/model").asDouble()));
    s.put("rmse_model", Side.median(model));
    s.put("rmse_zero", runs.get(0).at("/rmse/zero").asDouble());
    s.set("runs", Json.MAPPER.valueToTree(runs));
    return s;
  }

  /** A finished process: its wall time, its tree's peak resident memory, lines it printed. */
  private record Watched(double seconds, double peakRssMb, int lines) {}

  /**
   * Runs {@code pb} with stdout and stderr read line by line into {@code log}, each line handed to
   * {@code onLine} as it arrives. The resident memory of the process and all its descendants is sampled
   * every 200 ms.
   */
  private static Watched watch(ProcessBuilder pb, Path log, java.util.function.Consumer<String> onLine)
      throws Exception {
    Files.createDirectories(log.getParent());
    pb.redirectErrorStream(true);
    long t0 = System.nanoTime();
    Process process = pb.start();
    double[] peak = {0};
    Thread sampler = new Thread(() -> {
      while (process.isAlive()) {
        peak[0] = Math.max(peak[0], treeRssMb(process.toHandle()));
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    int lines = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8)); Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write(line);
        out.write('\n');
        lines++;
        onLine.accept(line);
      }
    }
    int exit = process.waitFor();
    double seconds = (System.nanoTime() - t0) / 1e9;
    sampler.interrupt();
    if (exit != 0) {
      throw new IllegalStateException(pb.command().get(0) + " exited " + exit + ": see " + log);
    }
    return new Watched(seconds, peak[0], lines);
  }

  /** Resident memory of a process and its descendants, from /proc (0 where unreadable). */
  static double treeRssMb(ProcessHandle root) {
    double kb = rssKb(root.pid());
    for (ProcessHandle child : root.descendants().toList()) {
      kb += rssKb(child.pid());
    }
    return kb / 1024;
  }

  private static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended between listing and reading
    }
    return 0;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}

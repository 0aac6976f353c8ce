package org.seqml.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.model.ModelArtifact;
import org.seqml.model.ModelFactory;
import org.seqml.model.ModelMetadata;
import org.seqml.model.Runtimes;
import org.seqml.task.Compatibility;
import org.seqml.window.Scaler;
import org.seqml.window.SlidingWindows;

/**
 * Published models keep loading: saved reference artifacts (a fused-kernel LSTM and a fused-kernel
 * Transformer forecaster, with the windows they score and their scores) under
 * {@code src/test/resources/reference/} are loaded and scored, and must score the same. Renaming or
 * moving a layer class, or changing how a layer reads its saved parameters, fails this test.
 *
 * <p>To write them anew (only when a change is meant to break old artifacts):
 * {@code mvn test -Dtest=ReferenceArtifactTest -Dseqml.reference.write=true}.
 */
class ReferenceArtifactTest {
  static final Path ROOT = Path.of("src/test/resources/reference");
  static final int W = 8;
  static final int H = 2;
  static final int WINDOWS = 12;

  /**
   * forecast-lstm and forecast-transformer: written by this test; forecast-ticks-c51538b: the shipped ticks
   * pipeline's model as seqml wrote it at commit c51538b, before model metadata was a typed record.
   */
  @ParameterizedTest
  @ValueSource(strings = {"lstm", "transformer", "ticks-c51538b"})
  void aSavedForecasterLoadsAndScoresAsItDidWhenSaved(String family) throws Exception {
    Path dir = ROOT.resolve("forecast-" + family);
    if (Boolean.getBoolean("seqml.reference.write")) {
      if (family.contains("-")) {
        writeWindowsAndScores(ModelArtifact.load(dir.resolve("model").toString(), new Configuration()), dir);
      } else {
        write(family, dir);
      }
    }
    Configuration hadoop = new Configuration();
    ModelArtifact artifact = ModelArtifact.load(dir.resolve("model").toString(), hadoop);
    ModelMetadata meta = artifact.typed();
    assertEquals("forecast", meta.task());
    if (family.equals("ticks-c51538b")) { // the shipped ticks config still fits the model it trained then
      SeqmlConfig ticks = new ConfigLoader(Path.of(".")).load("ticks", null, List.of());
      Compatibility.check(artifact, Json.MAPPER.readTree(ticks.resolvedJson()),
          Json.MAPPER.readTree(ConfigLoader.defaultsJson()), List.of("window.size", "window.horizon",
              "forecast.scaling", "forecast.reference", "features.columns", "features.return-scale", "features.bar"));
    }
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> windows = spark.createDataFrame(windows(Json.read(dir.resolve("windows.json").toString(), hadoop), meta.window().horizon()),
        SlidingWindows.SCHEMA);
    BatchScorer scorer = BatchScorer.of(JavaSparkContext.fromSparkContext(spark.sparkContext()), artifact,
        meta.window().features().size(), meta.window().size(), meta.window().horizon(), 5);
    List<Row> scores = scorer.score(windows).orderBy("end_pos", "horizon_step").collectAsList();
    scorer.release();
    JsonNode expected = Json.read(dir.resolve("scores.json").toString(), hadoop);
    assertEquals(expected.size(), scores.size());
    for (int i = 0; i < scores.size(); i++) {
      assertEquals(expected.get(i).asDouble(), scores.get(i).getDouble(4), 1e-5,
          family + " score " + i + " (window " + scores.get(i).getLong(2) + ", step " + scores.get(i).getInt(3) + ")");
    }
  }

  /** A forecaster with random weights of a fixed seed, its metadata as a run writes it, windows and scores. */
  private static void write(String family, Path dir) throws Exception {
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("ticks", "ci", List.of("model.family=" + family,
        "window.size=" + W, "window.horizon=" + H, "model.hidden=[6]", "model.dense=4",
        "model.transformer.d-model=8", "model.transformer.heads=2", "model.transformer.feed-forward=8",
        "model.transformer.blocks=1"));
    List<String> features = config.features().columns();
    ComputationGraph net = ModelFactory.forecaster(config.model(), features.size(), W, H);
    Scaler scaler = new Scaler(features, new double[] {0.1, 2.0, -0.05, 3.0}, new double[] {1.5, 0.5, 0.3, 1.2},
        0.02, 1.7);
    ModelMetadata meta = new ModelMetadata(null, "reference", "forecast", "2026-12-06T00:00:00Z", "reference",
        "2026-12-06", "reference", config.configHash(), Json.MAPPER.readTree(config.resolvedJson()),
        Runtimes.current(config.model()), new ModelMetadata.WindowSpec(W, 1, H, features.get(0), features, null, null,
        null, null), scaler.toJson(), null, null, null, null, null, null);
    Files.createDirectories(dir);
    Configuration hadoop = new Configuration();
    ModelArtifact artifact = ModelArtifact.of(net, meta);
    artifact.save(dir.resolve("model").toString(), hadoop);
    writeWindowsAndScores(artifact, dir);
  }

  /** Random windows of the artifact's shape, and its scores of them. */
  private static void writeWindowsAndScores(ModelArtifact artifact, Path dir) {
    Configuration hadoop = new Configuration();
    ModelMetadata.WindowSpec spec = artifact.typed().window();
    int values = spec.size() * spec.features().size();
    ArrayNode windows = Json.MAPPER.createArrayNode();
    SplittableRandom rng = new SplittableRandom(11);
    for (int i = 0; i < WINDOWS; i++) {
      ArrayNode x = windows.addObject().put("end_pos", i).putArray("features");
      for (int v = 0; v < values; v++) {
        x.add((float) rng.nextGaussian());
      }
    }
    Json.write(dir.resolve("windows.json").toString(), windows, hadoop);
    SparkSession spark = SparkTestSession.get();
    BatchScorer scorer = BatchScorer.of(JavaSparkContext.fromSparkContext(spark.sparkContext()), artifact,
        spec.features().size(), spec.size(), spec.horizon(), 5);
    ArrayNode scores = Json.MAPPER.createArrayNode();
    scorer.score(spark.createDataFrame(windows(windows, spec.horizon()), SlidingWindows.SCHEMA))
        .orderBy("end_pos", "horizon_step").collectAsList().forEach(r -> scores.add(r.getDouble(4)));
    scorer.release();
    Json.write(dir.resolve("scores.json").toString(), scores, hadoop);
  }

  private static List<Row> windows(JsonNode saved, int horizon) {
    List<Float> unknownTargets = java.util.Collections.nCopies(horizon, Float.NaN);
    List<Row> rows = new ArrayList<>();
    for (JsonNode w : saved) {
      List<Float> x = new ArrayList<>();
      w.get("features").forEach(v -> x.add((float) v.asDouble()));
      long end = w.get("end_pos").asLong();
      Timestamp ts = new Timestamp(1_700_000_000_000L + end * 1000);
      rows.add(RowFactory.create("REF", ts, ts, end, x, unknownTargets, 0, ts, "test", List.of()));
    }
    return rows;
  }
}

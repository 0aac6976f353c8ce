package org.seqml.window;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.io.Json;

/**
 * Per-key standardisation of forecasting windows: each key's mean and deviation of every feature,
 * fitted on the steps of its training windows only (each step once; the target is feature 0); a key
 * with fewer than {@code minSteps} training steps, or one first seen at scoring, uses the statistics
 * pooled over every training key. The target is scaled with
 * its feature's statistics, and scores are put back into the key's own units. Travels in the model
 * artifact as data.
 */
public record KeyScaling(int features, Map<String, double[][]> byKey, double[] pooledMean, double[] pooledStd)
    implements Serializable {
  private static final StructType STATS = new StructType().add("key", DataTypes.StringType, false)
      .add("_mean", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("_std", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

  /** Fits on the train split of {@code windows} (SlidingWindows.SCHEMA, F features per step). */
  public static KeyScaling fit(Dataset<Row> windows, int features, int minSteps) {
    return fit(windows, features, minSteps, java.util.Set.of());
  }

  /**
   * As {@link #fit(Dataset, int, int)}, with the {@code pooled} features scaled by the statistics pooled over
   * every key for every key: a feature constant within a key (a static) would be centred to zero by its own.
   */
  public static KeyScaling fit(Dataset<Row> windows, int features, int minSteps, java.util.Set<Integer> pooled) {
    Dataset<Row> train = windows.filter(col("split").equalTo(SlidingWindows.TRAIN));
    // each training step once, whatever the number of windows it is in (so a key's statistics are those of its
    // training rows, as the forecasting benchmarks standardise): a window's inputs are the steps
    // end_pos - W + 1 .. end_pos, its known targets (of feature 0) the steps after
    Column firstStep = col("end_pos").minus(functions.size(col("features")).divide(features).cast("long")).plus(1);
    Dataset<Row> inputs = train.select(col("key"), firstStep.as("_first"),
            functions.posexplode(col("features")).as(new String[] {"i", "v"}))
        .select(col("key"), col("_first").plus(functions.floor(col("i").divide(features))).as("step"),
            functions.pmod(col("i"), functions.lit(features)).as("f"), col("v").cast("double").as("v"));
    Dataset<Row> targets = train.select(col("key"), col("end_pos"),
            functions.posexplode(col("target")).as(new String[] {"k", "v"}))
        .filter(functions.not(functions.isnan(col("v"))))
        .select(col("key"), col("end_pos").plus(1).plus(col("k")).as("step"), functions.lit(0).as("f"),
            col("v").cast("double").as("v"));
    Dataset<Row> values = inputs.unionByName(targets).dropDuplicates("key", "step", "f");
    List<Row> perKey = values.groupBy("key", "f").agg(functions.count("v"), functions.sum("v"),
        functions.sum(col("v").multiply(col("v")))).collectAsList();
    Map<String, double[][]> sums = new TreeMap<>();
    double[][] pooledSums = new double[3][features];
    for (Row r : perKey) {
      double[][] s = sums.computeIfAbsent(r.getString(0), k -> new double[3][features]);
      int f = r.getInt(1);
      double[] add = {r.getLong(2), r.getDouble(3), r.getDouble(4)};
      for (int j = 0; j < 3; j++) {
        s[j][f] += add[j];
        pooledSums[j][f] += add[j];
      }
    }
    if (pooledSums[0][0] == 0) {
      throw new IllegalStateException("no training windows to fit per-key scaling on: more data, a smaller "
          + "window.size or a larger split.train is needed");
    }
    Map<String, double[][]> byKey = new TreeMap<>();
    sums.forEach((key, s) -> {
      if (s[0][0] >= minSteps) { // training steps of the key
        byKey.put(key, moments(s, features));
      }
    });
    double[][] p = moments(pooledSums, features);
    for (double[][] m : byKey.values()) {
      for (int f : pooled) {
        m[0][f] = p[0][f];
        m[1][f] = p[1][f];
      }
    }
    return new KeyScaling(features, byKey, p[0], p[1]);
  }

  /** One pooled scaling for every key: a global scaler's statistics. */
  public static KeyScaling global(Scaler scaler) {
    return new KeyScaling(scaler.mean().length, Map.of(), scaler.mean(), scaler.std());
  }

  private static double[][] moments(double[][] s, int features) {
    double[][] m = new double[2][features];
    for (int f = 0; f < features; f++) {
      m[0][f] = s[1][f] / s[0][f];
      double variance = s[2][f] / s[0][f] - m[0][f] * m[0][f];
      double std = Math.sqrt(Math.max(variance, 0));
      m[1][f] = std < 1e-12 ? 1.0 : std; // a constant feature is centred, not blown up
    }
    return m;
  }

  /** The windows with features and target scaled by their key's statistics ({@code target}: its feature). */
  public Dataset<Row> apply(Dataset<Row> windows, int target) {
    Dataset<Row> joined = withStats(windows);
    String f = Integer.toString(features);
    Column scaledFeatures = functions.expr("transform(features, (x, i) -> CAST((x - _mean[i % " + f + "]) / _std[i % "
        + f + "] AS FLOAT))");
    Column scaledTarget = functions.expr("transform(target, y -> CAST((y - _mean[" + target + "]) / _std[" + target
        + "] AS FLOAT))");
    List<Column> out = new ArrayList<>();
    for (String c : windows.columns()) {
      out.add(c.equals("features") ? scaledFeatures.as(c) : c.equals("target") ? scaledTarget.as(c) : col(c));
    }
    return joined.select(out.toArray(Column[]::new));
  }

  /** Score rows with {@code prediction}, {@code actual} and {@code quantiles} put back into their key's units. */
  public Dataset<Row> invert(Dataset<Row> scores, String keyColumn, int target) {
    Dataset<Row> joined = withStats(scores.withColumnRenamed(keyColumn, "key"));
    Column mean = functions.expr("_mean[" + target + "]");
    Column std = functions.expr("_std[" + target + "]");
    List<Column> out = new ArrayList<>();
    for (String c : scores.columns()) {
      String name = c.equals(keyColumn) ? "key" : c;
      Column value = c.equals("prediction") || c.equals("actual") ? col(name).multiply(std).plus(mean)
          : c.equals("quantiles") ? functions.expr("transform_values(quantiles, (k, v) -> v * _std[" + target
              + "] + _mean[" + target + "])") : col(name);
      out.add(value.as(c));
    }
    return joined.select(out.toArray(Column[]::new));
  }

  /** {@code rows} with their key's statistics as {@code _mean} and {@code _std} (pooled for an unknown key). */
  public Dataset<Row> withStats(Dataset<Row> rows) {
    SparkSession spark = rows.sparkSession();
    List<Row> stats = new ArrayList<>();
    byKey.forEach((key, m) -> stats.add(RowFactory.create(key, boxed(m[0]), boxed(m[1]))));
    Dataset<Row> table = functions.broadcast(spark.createDataFrame(stats, STATS));
    return rows.join(table, rows.col("key").equalTo(table.col("key")), "left_outer").drop(table.col("key"))
        .withColumn("_mean", functions.coalesce(col("_mean"), literal(pooledMean)))
        .withColumn("_std", functions.coalesce(col("_std"), literal(pooledStd)));
  }

  private static Column literal(double[] values) {
    Column[] items = new Column[values.length];
    for (int i = 0; i < values.length; i++) {
      items[i] = functions.lit(values[i]);
    }
    return functions.array(items);
  }

  private static List<Double> boxed(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return out;
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("features", features);
    node.set("pooled_mean", Json.MAPPER.valueToTree(pooledMean));
    node.set("pooled_std", Json.MAPPER.valueToTree(pooledStd));
    ObjectNode keys = node.putObject("by_key");
    byKey.forEach((key, m) -> {
      ArrayNode pair = keys.putArray(key);
      pair.add(Json.MAPPER.valueToTree(m[0]));
      pair.add(Json.MAPPER.valueToTree(m[1]));
    });
    return node;
  }

  public static KeyScaling fromJson(JsonNode node) {
    Map<String, double[][]> byKey = new TreeMap<>();
    node.get("by_key").fields().forEachRemaining(e -> byKey.put(e.getKey(),
        new double[][] {doubles(e.getValue().get(0)), doubles(e.getValue().get(1))}));
    return new KeyScaling(node.get("features").asInt(), byKey, doubles(node.get("pooled_mean")),
        doubles(node.get("pooled_std")));
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }
}

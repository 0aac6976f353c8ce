package org.seqml.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.seqml.io.Json;

/**
 * Standardisation fitted on the training split only: a mean and standard deviation per input
 * feature (pooled over every time step of every training window) and for the target (pooled over
 * horizon steps). Immutable; travels inside the model artifact.
 */
public record Scaler(List<String> features, double[] mean, double[] std, double targetMean, double targetStd)
    implements Serializable {

  /** Fits on the rows of {@code windows} whose split is train and whose targets are all known. */
  public static Scaler fit(Dataset<Row> windows, List<String> featureNames) {
    int f = featureNames.size();
    Dataset<Row> train = windows.filter(functions.col("split").equalTo(SlidingWindows.TRAIN))
        .select("features", "target");
    double[] sums = train.javaRDD().mapPartitions(rows -> {
      double[] acc = new double[3 * f + 3]; // per feature: n, sum, sumsq; then target n, sum, sumsq
      while (rows.hasNext()) {
        Row r = rows.next();
        List<Float> x = r.getList(0);
        List<Float> y = r.getList(1);
        if (y.stream().anyMatch(v -> Float.isNaN(v))) {
          continue;
        }
        for (int i = 0; i < x.size(); i++) {
          int k = i % f;
          double v = x.get(i);
          acc[3 * k] += 1;
          acc[3 * k + 1] += v;
          acc[3 * k + 2] += v * v;
        }
        for (Float v : y) {
          acc[3 * f] += 1;
          acc[3 * f + 1] += v;
          acc[3 * f + 2] += (double) v * v;
        }
      }
      return List.of(acc).iterator();
    }).reduce((a, b) -> {
      double[] c = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        c[i] = a[i] + b[i];
      }
      return c;
    });
    if (sums[3 * f] == 0) {
      throw new IllegalStateException("no training windows with known targets: more data, a smaller "
          + "window.size or a larger split.train is needed");
    }
    double[] mean = new double[f];
    double[] std = new double[f];
    for (int k = 0; k < f; k++) {
      mean[k] = sums[3 * k + 1] / sums[3 * k];
      std[k] = safeStd(sums[3 * k + 2] / sums[3 * k] - mean[k] * mean[k]);
    }
    double tm = sums[3 * f + 1] / sums[3 * f];
    double ts = safeStd(sums[3 * f + 2] / sums[3 * f] - tm * tm);
    return new Scaler(List.copyOf(featureNames), mean, std, tm, ts);
  }

  private static double safeStd(double variance) {
    double s = Math.sqrt(Math.max(variance, 0));
    return s < 1e-12 ? 1.0 : s; // a constant feature is centred, not blown up
  }

  public float scaleFeature(int feature, float value) {
    return (float) ((value - mean[feature]) / std[feature]);
  }

  public float scaleTarget(float value) {
    return (float) ((value - targetMean) / targetStd);
  }

  public double unscaleTarget(double scaled) {
    return scaled * targetStd + targetMean;
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    ArrayNode names = node.putArray("features");
    features.forEach(names::add);
    ArrayNode m = node.putArray("mean");
    ArrayNode s = node.putArray("std");
    for (int i = 0; i < mean.length; i++) {
      m.add(mean[i]);
      s.add(std[i]);
    }
    node.put("target_mean", targetMean);
    node.put("target_std", targetStd);
    return node;
  }

  public static Scaler fromJson(JsonNode node) {
    int n = node.get("mean").size();
    double[] mean = new double[n];
    double[] std = new double[n];
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      mean[i] = node.get("mean").get(i).asDouble();
      std[i] = node.get("std").get(i).asDouble();
      names[i] = node.get("features").get(i).asText();
    }
    return new Scaler(List.of(names), mean, std, node.get("target_mean").asDouble(),
        node.get("target_std").asDouble());
  }
}

package org.seqml.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.io.Manifest;
import org.seqml.window.TimeHistogram;

/**
 * What a steps manifest says about its steps (ticks and series): the split's cuts and the settings
 * their values were computed with, written by the window phase and checked by every phase that cuts
 * windows from them.
 */
final class Steps {
  private Steps() {}

  /**
   * The split's cuts the steps were written with. A config whose split differs from the one the cuts
   * were taken at, or whose bar or return scale differs from the steps', is refused: the steps would
   * not be its steps.
   */
  static Timestamp[] cuts(Manifest manifest, SeqmlConfig config, JsonNode computedWith, String ds) {
    JsonNode split = manifest.get("split");
    if (split.isMissingNode()) {
      throw new org.seqml.util.Refusal("the steps of ds=" + ds + " carry no split cuts: re-run the window phase");
    }
    if (split.get("train").asDouble() != config.split().train()
        || split.get("validation").asDouble() != config.split().validation()) {
      throw new org.seqml.util.Refusal("the steps of ds=" + ds + " were split at train=" + split.get("train")
          + ", validation=" + split.get("validation") + " but the config asks for " + config.split()
          + ": re-run the window phase with this config");
    }
    JsonNode features = manifest.get("features");
    if (!features.equals(computedWith)) {
      throw new org.seqml.util.Refusal("the steps of ds=" + ds + " were computed with features " + features
          + " but the config asks for " + computedWith + ": re-run the window phase with this config");
    }
    return new Timestamp[] {
        Timestamp.from(Instant.parse(split.get("validation_from").asText())),
        Timestamp.from(Instant.parse(split.get("test_from").asText()))};
  }

  /**
   * A histogram over the times the steps can have: from the ingest's first tick to its last (plus a bar,
   * whose step is stamped with its end); null when the ticks' manifest has no time range.
   */
  static TimeHistogram times(SparkSession spark, JsonNode data, long barMicros) {
    if (data == null || !data.hasNonNull("first_ts") || !data.hasNonNull("last_ts")) {
      return null;
    }
    long first = micros(Instant.parse(data.get("first_ts").asText()));
    long last = micros(Instant.parse(data.get("last_ts").asText()));
    return TimeHistogram.register(spark, first, last + barMicros);
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  /** What the ticks' steps' values depend on (the columns are chosen on read). */
  static ObjectNode featuresJson(SeqmlConfig.Features features) {
    ObjectNode node = Json.object();
    node.put("bar", features.bar().toString());
    node.put("return_scale", features.returnScale());
    return node;
  }

  static ObjectNode splitJson(SeqmlConfig.Split split, Timestamp[] cuts) {
    ObjectNode node = Json.object();
    node.put("train", split.train());
    node.put("validation", split.validation());
    node.put("validation_from", cuts[0].toInstant().toString());
    node.put("test_from", cuts[1].toInstant().toString());
    return node;
  }
}

package org.seqml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;

/**
 * The ticks pipeline's config as a measure needs it: the measure's own overrides, then the user's
 * `bench --conf key=value` overrides (which win), so a tuning can be measured before and after
 * without code changes.
 */
final class BenchConfig {
  static final String PROPERTY = "seqml.bench.conf";

  private BenchConfig() {}

  static SeqmlConfig load(String env, List<String> overrides) {
    List<String> all = new ArrayList<>(overrides);
    all.addAll(user());
    return new ConfigLoader(Path.of(System.getProperty("seqml.home", "."))).load("ticks", env, all);
  }

  /** The user's overrides, passed to child JVMs as a JSON array in a system property. */
  static List<String> user() {
    String json = System.getProperty(PROPERTY);
    List<String> out = new ArrayList<>();
    if (json == null || json.isBlank()) {
      return out;
    }
    try {
      for (JsonNode n : Json.MAPPER.readTree(json)) {
        out.add(n.asText());
      }
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(PROPERTY + " is not a JSON array: " + json, e);
    }
    return out;
  }

  static String property(List<String> overrides) {
    var arr = Json.MAPPER.createArrayNode();
    overrides.forEach(arr::add);
    return "-D" + PROPERTY + "=" + arr.toString();
  }
}

package org.seqml.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import org.seqml.model.ModelArtifact;

/**
 * The one check that a model fits the windows a config makes: the values of the config keys the
 * windows depend on, as the model's metadata recorded them at training, against the config's. Names
 * every key that differs.
 */
public final class Compatibility {
  private Compatibility() {}

  /**
   * Throws naming each of {@code keys} whose value differs between the artifact's config and {@code config}.
   * A key the artifact's config lacks (it was written before the key existed) counts as its value in
   * {@code defaults}.
   */
  public static void check(ModelArtifact artifact, JsonNode config, JsonNode defaults, List<String> keys) {
    JsonNode trained = artifact.metadata().path("config");
    List<String> differ = new ArrayList<>();
    for (String key : keys) {
      JsonNode then = at(trained, key);
      if (then.isMissingNode()) {
        then = at(defaults, key);
      }
      JsonNode now = at(config, key);
      boolean same = then.isNumber() && now.isNumber() ? then.doubleValue() == now.doubleValue() : then.equals(now);
      if (!same) {
        differ.add(key + " = " + render(then) + " at training, " + render(now) + " now");
      }
    }
    if (!differ.isEmpty()) {
      throw new org.seqml.util.Refusal("model " + artifact.modelId() + " was trained on other windows than this config "
          + "makes: " + String.join("; ", differ) + ": retrain, or score with the config it was trained with");
    }
  }

  /** The value at a dotted config path ("window.size"), or a missing node. */
  static JsonNode at(JsonNode root, String key) {
    JsonNode node = root;
    for (String part : key.split("\\.")) {
      node = node == null ? MissingNode.getInstance() : node.path(part);
    }
    return node;
  }

  private static String render(JsonNode value) {
    return value.isMissingNode() ? "(absent)" : value.toString();
  }
}

package org.seqml.task;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seqml.io.Json;
import org.seqml.model.ModelArtifact;

/** One check serves every task: a model is refused for a config whose windows differ, naming each key. */
class CompatibilityTest {
  private static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  private static ModelArtifact trainedWith(String config) throws Exception {
    return new ModelArtifact("m-1", new byte[0], json("{\"model_id\":\"m-1\",\"config\":" + config + "}"));
  }

  @Test
  void theSameWindowsPass() throws Exception {
    ModelArtifact model = trainedWith("{\"window\":{\"size\":32,\"horizon\":3},\"model\":{\"hidden\":[64]},"
        + "\"features\":{\"return-scale\":10000}}");
    assertDoesNotThrow(() -> Compatibility.check(model,
        json("{\"window\":{\"size\":32,\"horizon\":3},\"model\":{\"hidden\":[8]},\"features\":"
            + "{\"return-scale\":10000.0}}"), json("{}"),
        List.of("window.size", "window.horizon", "features.return-scale")), "numbers compare by value");
  }

  @Test
  void everyKeyThatDiffersIsNamedWithBothValues() throws Exception {
    ModelArtifact model = trainedWith("{\"window\":{\"size\":32,\"horizon\":3},\"features\":{\"bar\":\"\"}}");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Compatibility.check(model,
        json("{\"window\":{\"size\":16,\"horizon\":3},\"features\":{\"bar\":\"1s\"}}"), json("{}"),
        List.of("window.size", "window.horizon", "features.bar")));
    assertEquals("model m-1 was trained on other windows than this config makes: window.size = 32 at training, "
        + "16 now; features.bar = \"\" at training, \"1s\" now: retrain, or score with the config it was trained "
        + "with", e.getMessage());
  }

  @Test
  void aKeyTheModelNeverRecordedCountsAsItsDefault() throws Exception {
    ModelArtifact model = trainedWith("{\"window\":{\"size\":32}}");
    JsonNode defaults = json("{\"forecast\":{\"reference\":\"none\"}}");
    assertDoesNotThrow(() -> Compatibility.check(model, json("{\"window\":{\"size\":32},\"forecast\":"
        + "{\"reference\":\"none\"}}"), defaults, List.of("window.size", "forecast.reference")));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Compatibility.check(model,
        json("{\"window\":{\"size\":32},\"forecast\":{\"reference\":\"last\"}}"), defaults,
        List.of("window.size", "forecast.reference")));
    assertEquals(true, e.getMessage().contains("forecast.reference = \"none\" at training, \"last\" now"),
        e.getMessage());
    IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> Compatibility.check(model,
        json("{\"bio\":{\"k\":3}}"), defaults, List.of("bio.k")));
    assertEquals(true, unknown.getMessage().contains("bio.k = (absent) at training, 3 now"), unknown.getMessage());
  }
}

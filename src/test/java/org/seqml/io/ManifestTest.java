package org.seqml.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A manifest is a typed record whose JSON keeps the shape readers (pyarrow users, Airflow) already parse. */
class ManifestTest {
  private static Manifest manifest(ObjectNode extra) {
    return new Manifest("steps", "ticks", "2024-03-04", "run-1", "abc", "0.1.0+abc", null, new RowCounts(10, 8, 2),
        8, 2, "key STRING", "2024-03-04T00:00:00Z", extra);
  }

  @Test
  void itsJsonHasTheFixedFieldsThenTheStagesBlocks() {
    ObjectNode extra = Json.object();
    extra.putObject("split").put("train", 0.7);
    JsonNode json = manifest(extra).toJson();
    List<String> names = new ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("table", "pipeline", "ds", "run_id", "config_hash", "code_version", "model_id", "rows",
        "rows_written", "schema_version", "schema", "written_at", "split"), names);
    assertTrue(json.get("model_id").isNull(), "no model yet: null, as before");
    assertEquals(10, json.get("rows").get("in").asLong());
    assertEquals(0.7, json.get("split").get("train").asDouble());
  }

  @Test
  void readingItBackGivesTheRecordAndItsBlocks() {
    ObjectNode extra = Json.object();
    extra.putObject("data").put("source", "generator");
    Manifest back = Manifest.fromJson(manifest(extra).toJson());
    assertEquals(new RowCounts(10, 8, 2), back.rows());
    assertEquals("run-1", back.runId());
    assertEquals(8, back.rowsWritten());
    assertEquals("generator", back.get("data").get("source").asText());
    assertTrue(back.get("clustering").isMissingNode());
  }

  @Test
  void aBlockMayNotReplaceAFixedField() {
    ObjectNode extra = Json.object();
    extra.put("rows", 3);
    assertThrows(IllegalArgumentException.class, () -> manifest(extra).toJson());
  }

  @Test
  void brokenRowAccountingIsRefusedOnRead() {
    ObjectNode json = manifest(null).toJson();
    ((ObjectNode) json.get("rows")).put("accepted", 7);
    assertThrows(IllegalStateException.class, () -> Manifest.fromJson(json));
  }
}

package org.seqml.io;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * A partition's {@code _manifest.json}: which table, pipeline, ds, run, config and code wrote it, the
 * ingest's row accounting (input = accepted + rejected), the rows written, the declared schema, and a
 * stage's own blocks ({@code extra}: data provenance, split cuts, clustering, rejects by reason, a
 * scoring rule), which stand at the top level of the JSON beside the fixed fields.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
    String table,
    String pipeline,
    String ds,
    String runId,
    String configHash,
    String codeVersion,
    @JsonInclude(JsonInclude.Include.ALWAYS) String modelId,
    RowCounts rows,
    long rowsWritten,
    int schemaVersion,
    String schema,
    String writtenAt,
    @com.fasterxml.jackson.annotation.JsonIgnore ObjectNode extra) {

  private static final Set<String> FIXED = Set.of("table", "pipeline", "ds", "run_id", "config_hash",
      "code_version", "model_id", "rows", "rows_written", "schema_version", "schema", "written_at");

  /** The JSON document: the fixed fields, then the extra blocks. */
  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.valueToTree(this);
    if (extra != null) {
      extra.fieldNames().forEachRemaining(name -> {
        if (FIXED.contains(name)) {
          throw new IllegalArgumentException("a manifest's extra block may not replace its field " + name);
        }
      });
      node.setAll(extra);
    }
    return node;
  }

  /** Reads a manifest document; the fields it does not know are its extra blocks. */
  public static Manifest fromJson(JsonNode node) {
    try {
      Manifest fixed = Json.MAPPER.treeToValue(node, Manifest.class);
      ObjectNode extra = Json.object();
      node.fields().forEachRemaining(e -> {
        if (!FIXED.contains(e.getKey())) {
          extra.set(e.getKey(), e.getValue());
        }
      });
      return new Manifest(fixed.table, fixed.pipeline, fixed.ds, fixed.runId, fixed.configHash, fixed.codeVersion,
          fixed.modelId, fixed.rows, fixed.rowsWritten, fixed.schemaVersion, fixed.schema, fixed.writtenAt, extra);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable manifest: " + e.getOriginalMessage(), e);
    }
  }

  /** An extra block by name (a missing node when absent). */
  public JsonNode get(String block) {
    return extra == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : extra.path(block);
  }
}

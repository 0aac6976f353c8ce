package org.seqml.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Ingest accounting carried into every manifest: input = accepted + rejected. */
public record RowCounts(@JsonProperty("in") long input, long accepted, long rejected) {
  public RowCounts {
    if (input != accepted + rejected) {
      throw new IllegalStateException(
          "row accounting broken: input " + input + " != accepted " + accepted + " + rejected " + rejected);
    }
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("in", input);
    node.put("accepted", accepted);
    node.put("rejected", rejected);
    return node;
  }

  public static RowCounts fromJson(JsonNode node) {
    return new RowCounts(node.get("in").asLong(), node.get("accepted").asLong(), node.get("rejected").asLong());
  }
}

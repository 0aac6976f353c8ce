package org.seqml.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.seqml.io.Json;

/**
 * Event ids seen in the training split, as class indices: 0 is padding, 1 is the explicit unknown
 * id (any event never seen in training), then the known events in sorted order. Part of the model
 * artifact.
 */
public final class Vocabulary implements Serializable {
  public static final int PAD = 0;
  public static final int UNKNOWN = 1;
  private final List<String> events;
  private final Map<String, Integer> index = new HashMap<>();

  public Vocabulary(List<String> events) {
    this.events = List.copyOf(events);
    for (int i = 0; i < this.events.size(); i++) {
      index.put(this.events.get(i), i + 2);
    }
  }

  /** Fits on the events of training sessions (SessionWindows.SESSIONS rows), plus END when used. */
  public static Vocabulary fit(Dataset<Row> sessions, boolean endToken) {
    List<String> known = new java.util.ArrayList<>(sessions.filter(functions.col("split").equalTo(SlidingWindows.TRAIN))
        .select(functions.explode(functions.col("events")).as("e")).distinct().orderBy("e")
        .collectAsList().stream().map(r -> r.getString(0)).toList());
    if (known.isEmpty()) {
      throw new IllegalStateException("no training sessions: more data or a larger split.train is needed");
    }
    if (endToken) {
      known.add(SessionWindows.END);
    }
    return new Vocabulary(known);
  }

  public int indexOf(String event) {
    if (event == null || event.equals(SessionWindows.PAD)) {
      return PAD;
    }
    return index.getOrDefault(event, UNKNOWN);
  }

  public boolean known(String event) {
    return index.containsKey(event);
  }

  /** Classes the model predicts over: padding, unknown and the known events. */
  public int classes() {
    return events.size() + 2;
  }

  public List<String> events() {
    return events;
  }

  public ArrayNode toJson() {
    ArrayNode node = Json.MAPPER.createArrayNode();
    events.forEach(node::add);
    return node;
  }

  public static Vocabulary fromJson(JsonNode node) {
    String[] events = new String[node.size()];
    for (int i = 0; i < events.length; i++) {
      events[i] = node.get(i).asText();
    }
    return new Vocabulary(List.of(events));
  }
}

package org.seqml.ingest.logs;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One log line split by a {@link LogFormat}: every header field in format order, {@code Content}
 * included. A field is {@code null} when it sits in an optional part of the format that did not
 * take part in the match (as Python's {@code match.group} gives {@code None}).
 */
public record ParsedLine(Map<String, String> fields) implements Serializable {
  public ParsedLine {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** The free-text message after the headers: what templates are mined from. */
  public String content() {
    return fields.get(LogFormat.CONTENT);
  }
}

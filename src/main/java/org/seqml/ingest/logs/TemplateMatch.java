package org.seqml.ingest.logs;

import java.io.Serializable;
import java.util.List;

/**
 * A line matched to a template, with the line's tokens at the template's wildcard positions. A
 * token the {@link Masking} already replaced stays {@code <*>} here.
 */
public record TemplateMatch(LogTemplate template, List<String> parameters) implements Serializable {
  public TemplateMatch {
    parameters = List.copyOf(parameters);
  }

  public String id() {
    return template.id();
  }
}

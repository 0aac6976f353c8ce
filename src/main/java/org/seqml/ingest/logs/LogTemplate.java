package org.seqml.ingest.logs;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A mined event template: tokens where variable positions are {@link #WILDCARD}. The id depends only
 * on the template text (first 8 hex digits of its SHA-256, in the manner of loghub's MD5-based
 * EventId), so the same template gets the same id in every JVM, run and partition.
 *
 * @param occurrences lines of the mining sample that ended in this template
 */
public record LogTemplate(String id, List<String> tokens, long occurrences) implements Serializable {
  /** The variable token, as in Drain and the loghub ground truth. */
  public static final String WILDCARD = "<*>";

  public LogTemplate {
    tokens = List.copyOf(tokens);
  }

  /** A template with its text-derived id. */
  public static LogTemplate of(List<String> tokens, long occurrences) {
    return new LogTemplate(idOf(String.join(" ", tokens)), tokens, occurrences);
  }

  /** Tokens joined by single spaces, as loghub's {@code EventTemplate}. */
  public String text() {
    return String.join(" ", tokens);
  }

  /** The id of a template text: first 8 hex digits of SHA-256 over its UTF-8 bytes. */
  public static String idOf(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}

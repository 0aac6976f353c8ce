package org.seqml.ingest.logs;

import java.util.ArrayList;
import java.util.List;

/**
 * Whitespace as Python's {@code str.isspace}, so that {@code strip()} and {@code split()} cut lines
 * exactly where the reference log parsers (logpai/logparser) do. Java's
 * {@link Character#isWhitespace} leaves out the no-break spaces and NEL, which Python counts.
 */
final class Whitespace {
  private Whitespace() {}

  static boolean isSpace(char c) {
    return Character.isWhitespace(c) || c == '\u00a0' || c == '\u2007' || c == '\u202f' || c == '\u0085';
  }

  /** Fails naming the first token that is empty or holds whitespace, which no tokenizer here makes. */
  static String[] requireTokens(String[] tokens) {
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      if (t == null || t.isEmpty() || hasSpace(t)) {
        throw new IllegalArgumentException("token " + i + " is empty or holds whitespace ('" + t
            + "'); split lines with Masking.tokenize");
      }
    }
    return tokens;
  }

  private static boolean hasSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isSpace(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** Python {@code s.strip()}. */
  static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Python {@code s.split()}: runs of whitespace separate tokens, no empty tokens. */
  static String[] split(String s) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && isSpace(s.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isSpace(s.charAt(i))) {
        i++;
      }
      if (i > start) {
        tokens.add(s.substring(start, i));
      }
    }
    return tokens.toArray(new String[0]);
  }
}

package org.seqml.ingest.logs;

import org.seqml.ingest.TextLines;

/** The checks every line-oriented logs source makes before parsing: empty, not UTF-8, too long. */
final class LineChecks {
  /** A refused line: reason, detail, and the raw text kept (cut to the maximum length). */
  record Problem(String reason, String detail, String raw) {}

  private LineChecks() {}

  static Problem of(String text, int maxLength) {
    if (text.isBlank()) {
      return new Problem(LogReject.EMPTY_LINE, null, text);
    }
    if (TextLines.hadInvalidUtf8(text)) {
      return new Problem(LogReject.INVALID_UTF8, "bytes that are not UTF-8", text);
    }
    if (text.length() > maxLength) {
      return new Problem(LogReject.LINE_TOO_LONG, text.length() + " > " + maxLength + " characters",
          text.substring(0, maxLength));
    }
    return null;
  }
}

package org.seqml.ingest.logs;

import java.util.List;

/** Reason codes of rejected log records. */
public final class LogReject {
  public static final String EMPTY_LINE = "empty_line";
  public static final String INVALID_UTF8 = "invalid_utf8";
  public static final String LINE_TOO_LONG = "line_too_long";
  public static final String FORMAT_MISMATCH = "format_mismatch";
  public static final String UNPARSEABLE_TIMESTAMP = "unparseable_timestamp";
  public static final String NO_SESSION_ID = "no_session_id";
  public static final String NON_INTEGER_EVENT_ID = "non_integer_event_id";
  public static final String EMPTY_SESSION = "empty_session";
  public static final String DUPLICATE_SESSION = "duplicate_session";

  /** Codes raw log lines can produce. */
  public static final List<String> LINE_CODES = List.of(EMPTY_LINE, INVALID_UTF8, LINE_TOO_LONG, FORMAT_MISMATCH,
      UNPARSEABLE_TIMESTAMP, NO_SESSION_ID);

  /** Codes session files can produce. */
  public static final List<String> SESSION_FILE_CODES = List.of(EMPTY_LINE, INVALID_UTF8, LINE_TOO_LONG,
      FORMAT_MISMATCH, NON_INTEGER_EVENT_ID, EMPTY_SESSION, DUPLICATE_SESSION);

  private LogReject() {}
}

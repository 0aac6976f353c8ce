package org.seqml.ingest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A broken input file or schema: the job stops, and the message names the file and line. */
public final class InputError extends RuntimeException {
  /** How Spark's file scans name the file they failed on (FAILED_READ_FILE and its older wording). */
  private static final Pattern SPARK_READ_FAILURE = Pattern.compile(
      "(?:[Ee]ncountered error while reading file|Could not read footer for file:?) (\\S+?)\\.?(\\s|$)");
  /** Parquet's words for a file without its footer; Hadoop's for a file that no longer matches its .crc. */
  private static final Pattern NOT_PARQUET = Pattern.compile(
      "(\\S+) is not a Parquet file|Checksum error: (\\S+) at \\d+");

  public InputError(String file, long line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
  }

  /**
   * A file that cannot be read (truncated, corrupt, not the format it claims), named: {@code failure} is
   * what the reader threw, its deepest cause says what was wrong.
   */
  public static InputError unreadable(String file, long line, Throwable failure) {
    return new InputError(file, line, "cannot be read (truncated or corrupt?): " + deepest(failure));
  }

  /**
   * The input error inside {@code failure}: a seqml one, or Spark's report that a file scan failed on a
   * named file (a truncated or corrupt Parquet, ORC or JSON file found by an executor); null if neither.
   */
  public static InputError in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InputError e) {
        return e;
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      Matcher m = t.getMessage() == null ? null : SPARK_READ_FAILURE.matcher(t.getMessage());
      if (m != null && m.find()) {
        return unreadable(m.group(1), 0, t.getCause() == null ? t : t.getCause());
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      Matcher m = t.getMessage() == null ? null : NOT_PARQUET.matcher(t.getMessage());
      if (m != null && m.find()) {
        return unreadable(m.group(1) != null ? m.group(1) : m.group(2), 0, t);
      }
    }
    return null;
  }

  private static String deepest(Throwable t) {
    Throwable d = t;
    while (d.getCause() != null && d.getCause() != d) {
      d = d.getCause();
    }
    String message = d.getMessage() == null ? "" : d.getMessage().lines().findFirst().orElse("");
    return d.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}

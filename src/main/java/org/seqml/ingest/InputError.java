package org.seqml.ingest;

/** A broken input file or schema: the job stops, and the message names the file and line. */
public final class InputError extends RuntimeException {
  public InputError(String file, long line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
  }
}

package org.seqml.util;

/**
 * An expected refusal: the run cannot go on, for a reason its message states whole (no model yet, a
 * checksum that does not match, another run holding the same ds). The command line prints the message as
 * one line and exits 1; the stack trace is logged at debug level (shown with --verbose).
 */
public class Refusal extends IllegalStateException {
  public Refusal(String message) {
    super(message);
  }

  public Refusal(String message, Throwable cause) {
    super(message, cause);
  }
}

package org.seqml.util;

/** Seconds since a {@link System#nanoTime()} reading, to one decimal, for a phase's log line. */
public final class Elapsed {
  private Elapsed() {}

  public static String seconds(long t0) {
    return String.format("%.1f", (System.nanoTime() - t0) / 1e9);
  }
}

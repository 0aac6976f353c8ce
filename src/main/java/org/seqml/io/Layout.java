package org.seqml.io;

/** The output folders of one pipeline under output.dir: one table per phase, partitioned by ds. */
public record Layout(String root) {
  public static final String TICKS = "ticks";
  public static final String REJECTS = "rejects";
  public static final String WINDOWS = "windows";
  /** Per-key ordered feature rows that windows are cut from on read (ticks). */
  public static final String STEPS = "steps";
  public static final String SCORES = "scores";
  public static final String EVENTS = "events";
  public static final String SESSIONS = "sessions";
  public static final String EVENT_SCORES = "event_scores";
  public static final String SEQUENCES = "sequences";
  public static final String WINDOW_SCORES = "window_scores";
  /** Accepted rows of a keyed time-series table (series). */
  public static final String SERIES = "series";

  public static Layout of(String outputDir, String pipeline) {
    String base = outputDir.endsWith("/") ? outputDir.substring(0, outputDir.length() - 1) : outputDir;
    return new Layout(base + "/" + pipeline);
  }

  public String table(String name) {
    return root + "/" + name;
  }

  public String partition(String table, String ds) {
    return table(table) + "/ds=" + ds;
  }

  public String model() {
    return root + "/model";
  }

  /** Inputs a pipeline generates for itself (the bio generator's FASTA files). */
  public String generated(String ds) {
    return root + "/generated/ds=" + ds;
  }

  public String metrics() {
    return root + "/metrics.json";
  }
}

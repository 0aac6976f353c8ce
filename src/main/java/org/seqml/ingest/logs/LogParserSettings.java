package org.seqml.ingest.logs;

import java.io.Serializable;

/**
 * Everything needed to turn one system's raw lines into templates: its line format, masking and
 * Drain parameters (see {@link Drain#Drain(int, double, int)}).
 *
 * @param name the system, e.g. {@code HDFS}
 */
public record LogParserSettings(String name, LogFormat format, Masking masking, int depth,
    double similarityThreshold, int maxChildren) implements Serializable {

  /** A fresh miner with these parameters. */
  public Drain newDrain() {
    return new Drain(depth, similarityThreshold, maxChildren);
  }
}

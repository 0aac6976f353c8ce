package org.seqml.domain;

import java.util.List;
import java.util.Set;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.RowCounts;
import org.seqml.run.RunContext;
import org.seqml.run.Stage;
import org.seqml.task.SequenceSet;

/**
 * A domain turns raw input into accepted records and rejects (ingest), then into sequences a task can
 * read (window), and says which tasks it supports. Everything after windowing is the task's.
 */
public interface Domain {
  /** The domain's name in config ({@code ingest.domain = ...}). */
  String name();

  /** The tasks this domain's sequences serve. */
  Set<String> tasks();

  /** Raw input to accepted records and rejects; fails if input != accepted + rejected. */
  RowCounts ingest(RunContext run);

  /** Accepted records to the tables windows are read from, with their split; returns the rows written. */
  long window(RunContext run);

  /** The sequence set the window phase defined for this run's ds, as the task reads it. */
  SequenceSet sequences(RunContext run);

  /**
   * The tables this domain's phases write, each with its declared schema, for this config; the last is
   * the windows as the task reads them. Known before any data is read.
   */
  List<Stage> stages(SeqmlConfig config);

  /** The column outputs name the key by (scores keep the domain's word for it). */
  default String keyName() {
    return "key";
  }

  /** The domain named in config. */
  static Domain of(String name) {
    return switch (name) {
      case "ticks" -> new TicksDomain();
      case "logs" -> new LogsDomain();
      case "bio" -> new BioDomain();
      case "series" -> new SeriesDomain();
      default -> throw new IllegalArgumentException("no domain named " + name);
    };
  }
}

package org.seqml.ingest.logs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A logs ingest: events (LogEventSchema columns), rejects (Rejects columns), and the input records
 * (one per line read, with source and line) so that every line is accounted for: a line is accepted
 * when it yields at least one event (a line may belong to several sessions) and rejected otherwise.
 */
public record LogIngest(Dataset<Row> events, Dataset<Row> rejects, Dataset<Row> input) {
  public void release() {
    input.unpersist();
  }
}

package org.seqml.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What an ingest produces: accepted records, rejects (Rejects.SCHEMA), and the input records they
 * came from, counted independently so that input = accepted + rejected is a real check.
 */
public record IngestResult(Dataset<Row> accepted, Dataset<Row> rejects, Dataset<Row> input) {
  public long inputCount() {
    return input.count();
  }

  /** Frees whatever the ingest cached. */
  public void release() {
    input.unpersist();
  }
}

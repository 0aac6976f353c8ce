package org.seqml.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What an ingest produces: accepted records, rejects (Rejects.SCHEMA), and the input records they
 * came from, counted independently so that input = accepted + rejected is a real check. A source
 * that knows its input count by construction (the generator: symbols x ticks per symbol) gives it as
 * {@code knownInput} (else -1), rather than have the whole input computed once more to count it.
 */
public record IngestResult(Dataset<Row> accepted, Dataset<Row> rejects, Dataset<Row> input, long knownInput) {
  public IngestResult(Dataset<Row> accepted, Dataset<Row> rejects, Dataset<Row> input) {
    this(accepted, rejects, input, -1);
  }

  public long inputCount() {
    return knownInput >= 0 ? knownInput : input.count();
  }

  /** Frees whatever the ingest cached. */
  public void release() {
    input.unpersist();
  }
}

package org.seqml.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.io.RowCounts;
import org.seqml.model.ModelArtifact;

/**
 * The five phases for one domain and task. Each reads what the phase before it wrote for the same
 * ds (so any phase can be rerun alone) and writes its own output with a manifest.
 */
interface DomainPipeline {
  /** Raw input to accepted records and rejects; fails if input != accepted + rejected. */
  RowCounts ingest(RunContext run);

  /** Accepted records to windows with their split, or what they are cut from; returns the rows written. */
  long window(RunContext run);

  /** The windows the window phase defined, as the later phases read them. */
  default Dataset<Row> windows(RunContext run) {
    return PartitionSink.read(run, Layout.WINDOWS);
  }

  /** Training windows to a published model artifact. */
  ModelArtifact train(RunContext run);

  /** Windows to scores with the published model; returns the rows written. */
  long score(RunContext run);

  /** Test-split metrics beside baselines, written to metrics.json. */
  ObjectNode evaluate(RunContext run);
}

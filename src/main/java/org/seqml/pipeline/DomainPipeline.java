package org.seqml.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.seqml.io.RowCounts;
import org.seqml.model.ModelArtifact;

/**
 * The five phases for one domain and task. Each reads what the phase before it wrote for the same
 * ds (so any phase can be rerun alone) and writes its own output with a manifest.
 */
interface DomainPipeline {
  /** Raw input to accepted records and rejects; fails if input != accepted + rejected. */
  RowCounts ingest(RunContext run);

  /** Accepted records to windows with their split; returns the windows written. */
  long window(RunContext run);

  /** Training windows to a published model artifact. */
  ModelArtifact train(RunContext run);

  /** Windows to scores with the published model; returns the rows written. */
  long score(RunContext run);

  /** Test-split metrics beside baselines, written to metrics.json. */
  ObjectNode evaluate(RunContext run);
}

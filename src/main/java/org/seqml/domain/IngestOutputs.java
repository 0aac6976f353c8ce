package org.seqml.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.io.RowCounts;
import org.seqml.run.RunContext;

/**
 * The end of every ingest: the manifests of the accepted records and of the rejects (with their count
 * per reason), written after both tables, so that either table is complete only when both are.
 */
final class IngestOutputs {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IngestOutputs.class);

  private IngestOutputs() {}

  /** Writes the manifests of {@code table} ({@code written} rows) and of the rejects. */
  static void publish(RunContext run, String table, StructType schema, long written, ObjectNode extra,
      StructType rejectsSchema, RowCounts counts) {
    PartitionSink.writeManifest(run, table, schema, counts, null, extra, written);
    ObjectNode reasons = Json.object();
    ObjectNode byReason = reasons.putObject("rejected_by_reason");
    for (Row r : PartitionSink.readWritten(run, Layout.REJECTS).groupBy("reason").count().orderBy("reason")
        .collectAsList()) {
      byReason.put(r.getString(0), r.getLong(1));
    }
    RejectShares.Found shares = RejectShares.of(PartitionSink.readWritten(run, Layout.REJECTS),
        PartitionSink.readWritten(run, table), counts, run.config().ingest().rejectWarnShare(),
        run.config().ingest().rejectFailShare());
    if (!shares.warnings().isEmpty()) {
      var warnings = reasons.putArray("warnings");
      shares.warnings().forEach(w -> {
        LOG.warn("ingest ds={}: {}", run.ds(), w);
        warnings.add(w);
      });
    }
    PartitionSink.writeManifest(run, Layout.REJECTS, rejectsSchema, counts, null, reasons, counts.rejected());
    if (shares.failure() != null) {
      throw new org.seqml.ingest.InputError(shares.failure().source(), 0, shares.failure().message()
          + " (ingest.reject-fail-share " + run.config().ingest().rejectFailShare() + ")");
    }
  }
}

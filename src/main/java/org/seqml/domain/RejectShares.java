package org.seqml.domain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.seqml.io.RowCounts;

/**
 * Reject reasons that take a large share of a file's records: a file where most records are rejected
 * is usually read wrongly (ids repeated, the wrong format or alphabet), and a run that says only "exit
 * 0" hides it. Shares are per file where the accepted table names its files (a source column), else of
 * the whole input.
 */
final class RejectShares {
  /** One reason's share of one file's records. */
  record Share(String source, String reason, long rejected, long records) {
    double share() {
      return records == 0 ? 0 : (double) rejected / records;
    }

    String message() {
      return String.format(Locale.ROOT, "%s: %s takes %.1f%% of the %s records (%,d of %,d)", source, reason,
          100 * share(), source.equals(WHOLE_INPUT) ? "input's" : "file's", rejected, records);
    }
  }

  /** The warnings, and the first share over the failing limit (null when none). */
  record Found(List<String> warnings, Share failure) {}

  static final String WHOLE_INPUT = "the input";

  private RejectShares() {}

  static Found of(Dataset<Row> rejects, Dataset<Row> accepted, RowCounts counts, double warnShare,
      double failShare) {
    List<Share> shares = shares(rejects, accepted, counts);
    List<String> warnings = new ArrayList<>();
    Share failure = null;
    for (Share s : shares) {
      if (s.share() > warnShare) {
        warnings.add(s.message());
      }
      if (failShare < 1 && s.share() > failShare && failure == null) {
        failure = s;
      }
    }
    return new Found(warnings, failure);
  }

  static List<Share> shares(Dataset<Row> rejects, Dataset<Row> accepted, RowCounts counts) {
    boolean perFile = List.of(accepted.columns()).contains("source");
    Dataset<Row> byReason = (perFile ? rejects.groupBy(col("source"), col("reason"))
        : rejects.groupBy(lit(WHOLE_INPUT).as("source"), col("reason"))).count();
    Map<String, Long> records = new HashMap<>();
    if (perFile) {
      for (Row r : accepted.groupBy("source").count().collectAsList()) {
        records.merge(r.getString(0), r.getLong(1), Long::sum);
      }
      for (Row r : rejects.groupBy("source").count().collectAsList()) {
        records.merge(r.isNullAt(0) ? "" : r.getString(0), r.getLong(1), Long::sum);
      }
    } else {
      records.put(WHOLE_INPUT, counts.input());
    }
    List<Share> out = new ArrayList<>();
    for (Row r : byReason.orderBy(col("source"), col("reason")).collectAsList()) {
      String source = r.isNullAt(0) ? "" : r.getString(0);
      out.add(new Share(source, r.getString(1), r.getLong(2), records.getOrDefault(source, 0L)));
    }
    return out;
  }
}

package org.seqml.domain;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.seqml.io.Json;

/**
 * Accepted records observed as they are written: row count, event-time range and an
 * order-independent content hash, the exact sum of every row's xxhash64. The sum is taken as four
 * sums of 16-bit parts, each safe in a long up to 2^47 rows (a decimal sum cost a tenth of the
 * phase: BigDecimal arithmetic per row); the driver adds them up ({@link #hashSum}).
 */
final class ObservedRecords {
  private static final long WAIT_MINUTES = 5;

  private final Observation seen;
  private final String what;

  private ObservedRecords(String what) {
    this.what = what;
    this.seen = new Observation(what + "-provenance");
  }

  static ObservedRecords of(String what) {
    return new ObservedRecords(what);
  }

  /** The records, observed while whatever consumes them (a write) runs; {@code ts} is their time column. */
  Dataset<Row> wrap(Dataset<Row> records) {
    Column[] all = Arrays.stream(records.columns()).map(functions::col).toArray(Column[]::new);
    Column h = col("_row_hash");
    Column low16 = functions.lit(0xFFFFL);
    return records.withColumn("_row_hash", functions.xxhash64(all))
        .observe(seen, functions.count(functions.lit(1)).as("rows"), functions.min("ts").as("first_ts"),
            functions.max("ts").as("last_ts"),
            functions.sum(h.bitwiseAND(low16)).as("hash0"),
            functions.sum(functions.shiftrightunsigned(h, 16).bitwiseAND(low16)).as("hash1"),
            functions.sum(functions.shiftrightunsigned(h, 32).bitwiseAND(low16)).as("hash2"),
            functions.sum(functions.shiftright(h, 48)).as("hash3"))
        .drop("_row_hash");
  }

  /**
   * The data block of the records' manifest: source, rows, keys, time range and content hash. Fails when
   * the rows observed are not the rows written (the table changed while being written).
   */
  ObjectNode data(String source, long writtenCount, long keys) {
    Map<String, Object> seen = observed();
    long rows = ((Number) seen.get("rows")).longValue();
    if (rows != writtenCount) {
      throw new IllegalStateException("the " + what + " partition holds " + writtenCount + " rows but " + rows
          + " were written to it: it was changed while being written; re-run the ingest phase");
    }
    ObjectNode data = Json.object();
    data.put("source", source);
    data.put("rows", rows);
    data.put("keys", keys);
    data.put("first_ts", instant(seen.get("first_ts")));
    data.put("last_ts", instant(seen.get("last_ts")));
    data.put("content_hash", "xxhash64-sum:" + hashSum(seen));
    return data;
  }

  /** The sum of every row's hash from its four part sums: hash3 * 2^48 + hash2 * 2^32 + hash1 * 2^16 + hash0. */
  static BigInteger hashSum(Map<String, Object> seen) {
    BigInteger total = BigInteger.ZERO;
    for (int part = 3; part >= 0; part--) {
      Object sum = seen.get("hash" + part);
      total = total.shiftLeft(16).add(BigInteger.valueOf(sum == null ? 0 : ((Number) sum).longValue()));
    }
    return total;
  }

  /**
   * The observed metrics, which Spark's listener bus delivers after the write. Spark's own get() waits
   * without a limit; an error that says what is missing beats a job that hangs.
   */
  private Map<String, Object> observed() {
    Row metrics;
    try {
      metrics = scala.concurrent.Await.result(seen.future(),
          scala.concurrent.duration.Duration.create(WAIT_MINUTES, TimeUnit.MINUTES));
    } catch (Exception e) { // a timeout, an interrupt or the future's failure: undeclared in Scala
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException((e instanceof TimeoutException
          ? "Spark did not report the " + what + "' provenance within " + WAIT_MINUTES + " minutes of writing them"
          : "waiting for the " + what + "' provenance failed (" + e + ")") + ": re-run the ingest phase", e);
    }
    if (metrics == null || metrics.size() == 0 || metrics.schema() == null) {
      throw new IllegalStateException("Spark reported no provenance for the " + what + " it wrote: re-run the ingest phase");
    }
    Map<String, Object> byName = new HashMap<>();
    for (int i = 0; i < metrics.size(); i++) {
      byName.put(metrics.schema().fieldNames()[i], metrics.get(i));
    }
    return byName;
  }

  private static String instant(Object ts) {
    return ts == null ? null : ((Timestamp) ts).toInstant().toString();
  }
}

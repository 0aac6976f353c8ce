package org.seqml.ingest.logs;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.seqml.ingest.InputError;

/** A labels table (CSV with header session_id,label) joined onto events; file labels win. */
public final class SessionLabels {
  private SessionLabels() {}

  public static Dataset<Row> read(SparkSession spark, String path) {
    Dataset<Row> raw = spark.read().option("header", "true").csv(path);
    for (String c : new String[] {"session_id", "label"}) {
      if (!java.util.Arrays.asList(raw.columns()).contains(c)) {
        throw new InputError(path, 1, "labels table needs columns session_id,label; it has "
            + String.join(",", raw.columns()));
      }
    }
    Dataset<Row> labels = raw.select(col("session_id"), functions.lower(functions.trim(col("label"))).as("text"))
        .withColumn("label", functions.when(col("text").isin("1", "anomaly", "abnormal", "true"), 1)
            .when(col("text").isin("0", "normal", "false"), 0));
    java.util.List<Row> unknown = labels.filter(col("label").isNull()).select("session_id", "text").limit(1)
        .collectAsList();
    if (!unknown.isEmpty()) {
      Row bad = unknown.get(0);
      throw new InputError(path, 0, "label '" + bad.get(1) + "' of session " + bad.get(0)
          + " is none of 1/0, Anomaly/Normal, true/false");
    }
    return labels.select("session_id", "label");
  }

  /** Events with labels filled in from {@code labels} where the source gave none. */
  public static Dataset<Row> apply(Dataset<Row> events, Dataset<Row> labels) {
    Dataset<Row> l = labels.select(col("session_id").as("l_session"), col("label").as("l_label"));
    return events.join(l, events.col("session_id").equalTo(l.col("l_session")), "left")
        .withColumn("label", functions.coalesce(col("label"), col("l_label")))
        .drop("l_session", "l_label");
  }

}

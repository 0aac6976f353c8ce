package org.seqml.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.seqml.config.SeqmlConfig;

/** Domain names at the output boundary: stages after windowing say key, outputs say symbol. */
public final class Domains {
  private Domains() {}

  public static String keyColumn(SeqmlConfig config) {
    return switch (config.ingest().domain()) {
      case "ticks" -> "symbol";
      default -> "key";
    };
  }

  public static Dataset<Row> keyed(Dataset<Row> generic, SeqmlConfig config) {
    return generic.withColumnRenamed("key", keyColumn(config));
  }

  public static Dataset<Row> unkeyed(Dataset<Row> output, SeqmlConfig config) {
    return output.withColumnRenamed(keyColumn(config), "key");
  }
}

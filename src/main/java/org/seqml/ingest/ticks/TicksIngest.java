package org.seqml.ingest.ticks;

import org.apache.spark.sql.SparkSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.IngestResult;

/** Picks the ticks source named by ingest.source. */
public final class TicksIngest {
  private TicksIngest() {}

  public static IngestResult read(SparkSession spark, SeqmlConfig.Ingest ingest) {
    return switch (ingest.source()) {
      case "generator" -> TickGenerator.generate(spark, ingest.generator());
      case "lobster" -> LobsterSource.read(spark, ingest.path(), ingest.timezone(), ingest.lobsterDate(),
          ingest.maxTimeSkew());
      case "table" -> ingest.format().equals("parquet")
          ? TableTickSource.parquet(spark, ingest.path(), ingest.timezone(), ingest.maxTimeSkew())
          : TableTickSource.csv(spark, ingest.path(), ingest.timezone(), ingest.maxTimeSkew());
      default -> throw new IllegalArgumentException("unknown ingest.source " + ingest.source());
    };
  }

  /** Where the data came from, for provenance. */
  public static String describe(SeqmlConfig.Ingest ingest) {
    if (ingest.source().equals("generator")) {
      SeqmlConfig.Generator g = ingest.generator();
      return "generator(symbols=" + g.symbols() + ", ticks-per-symbol=" + g.ticksPerSymbol() + ", seed="
          + g.seed() + ", signal-strength=" + g.signalStrength() + ")";
    }
    return ingest.source() + ":" + ingest.path();
  }
}

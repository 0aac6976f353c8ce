package org.seqml.pipeline;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.seqml.config.SeqmlConfig;

/** Creates the SparkSession of a run with the settings seqml's outputs rely on. */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(SeqmlConfig config) {
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      conf.setMaster(config.spark().master()); // spark-submit's master wins
    }
    conf.setIfMissing("spark.app.name", config.spark().appName() + "-" + config.pipeline());
    conf.set("spark.sql.shuffle.partitions", Integer.toString(config.spark().shufflePartitions()));
    for (Map.Entry<String, String> e : config.spark().conf().entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    applyOutputContract(conf);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /** Settings the output contract depends on; applied last so they cannot be overridden by accident. */
  public static void applyOutputContract(SparkConf conf) {
    conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic");
    conf.setIfMissing("spark.sql.session.timeZone", "UTC");
  }
}

package org.seqml.pipeline;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.seqml.config.SeqmlConfig;

/** Creates the SparkSession of a run with the settings seqml's outputs rely on. */
public final class SparkSessions {
  /**
   * Spark's vectorized Parquet reader for nested columns, off by default in Spark 3.5: array columns
   * read 4-5x faster with it (498,400 ticks windows of float arrays in 2.0-2.5 s against 8.3-11.4 s,
   * docs/BENCHMARKS.md, when ticks windows were still stored). The logs and bio windows tables hold
   * arrays, and every later phase reads them.
   */
  public static final String NESTED_VECTORIZED_READER = "spark.sql.parquet.enableNestedColumnVectorizedReader";

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
    applyReadSettings(conf);
    applyOutputContract(conf);
    shipApplication(conf);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * Started from a plain JVM against a cluster master (not through spark-submit, which ships the
   * jar itself), executors still need seqml's classes: ship the jar, or for a class folder (tests on
   * one machine) put it on the executors' class path.
   */
  static void shipApplication(SparkConf conf) {
    String master = conf.get("spark.master", "local");
    if (master.startsWith("local")) {
      return;
    }
    // one ND4J/OpenMP thread per task: executors run one task per core
    conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
    conf.setIfMissing("spark.executor.extraJavaOptions", "-Dorg.bytedeco.javacpp.nopointergc=false");
    if (conf.contains("spark.jars")) {
      return;
    }
    try {
      java.nio.file.Path code = java.nio.file.Path.of(
          SparkSessions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (java.nio.file.Files.isDirectory(code)) {
        conf.setIfMissing("spark.executor.extraClassPath", code.toString());
      } else {
        conf.set("spark.jars", code.toString());
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      throw new IllegalStateException("cannot locate seqml's classes to ship to executors", e);
    }
  }

  /** Reader settings for speed, where the user (spark.conf, spark-submit) has not chosen. */
  public static void applyReadSettings(SparkConf conf) {
    conf.setIfMissing(NESTED_VECTORIZED_READER, "true");
  }

  /** Settings the output contract depends on; applied last so they cannot be overridden by accident. */
  public static void applyOutputContract(SparkConf conf) {
    conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    conf.setIfMissing("spark.sql.session.timeZone", "UTC");
  }
}

package org.seqml;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.seqml.pipeline.SparkSessions;

/** The one local[2] SparkSession of a test JVM: UI off, few shuffle partitions, seqml's output settings. */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (session == null) {
      SparkConf conf = new SparkConf()
          .setMaster("local[2]")
          .setAppName("seqml-tests")
          .set("spark.ui.enabled", "false")
          .set("spark.sql.shuffle.partitions", "4")
          .set("spark.driver.host", "127.0.0.1")
          .set("spark.driver.bindAddress", "127.0.0.1");
      SparkSessions.applyReadSettings(conf);
      SparkSessions.applyOutputContract(conf);
      session = SparkSession.builder().config(conf).getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }
}

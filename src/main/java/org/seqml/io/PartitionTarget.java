package org.seqml.io;

import org.apache.spark.sql.SparkSession;

/**
 * Where a run's partitions go and what their manifests say about the run: the session, the pipeline's
 * layout, the ds, and the run's provenance stamp. io knows this much of a run and nothing more.
 */
public interface PartitionTarget {
  SparkSession spark();

  Layout layout();

  String ds();

  String runId();

  String codeVersion();

  String pipeline();

  String configHash();

  default org.apache.hadoop.conf.Configuration hadoop() {
    return spark().sparkContext().hadoopConfiguration();
  }
}

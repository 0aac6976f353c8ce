package org.seqml.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.RunLock;
import org.seqml.pipeline.Plan;
import org.seqml.run.RunContext;
import org.seqml.pipeline.SparkSessions;
import picocli.CommandLine.Mixin;

/** A command that validates the config before Spark starts, then runs one or more phases. */
abstract class PhaseCommand implements Callable<Integer> {
  @Mixin CommonOptions options;

  abstract void execute(RunContext run);

  /** Whether the command reads the raw input (its path is checked before Spark starts). */
  boolean ingests() {
    return false;
  }

  /** What the command needs of the plan beyond what every run needs, checked before Spark starts. */
  void check(Plan plan) {}

  @Override
  public Integer call() {
    SeqmlConfig config = options.config(); // fails here, before Spark, on a bad setting
    check(Plan.of(config)); // and here on a domain and task that do not fit
    Preflight.outputWritable(config);
    if (ingests()) {
      Preflight.inputPresent(config);
    }
    String ds = options.ds();
    if (options.verbose) {
      org.apache.logging.log4j.core.config.Configurator.setLevel("org.seqml", org.apache.logging.log4j.Level.DEBUG);
    }
    SparkSession spark = SparkSessions.create(config);
    try {
      RunContext run = RunContext.create(config, spark, ds);
      // One run per pipeline and ds: an Airflow retry beside a manual run must not interleave their writes.
      try (RunLock lock = RunLock.acquire(run.layout(), ds, run.runId(), config.lockExpiry(),
          spark.sparkContext().hadoopConfiguration())) {
        execute(run);
      }
      return 0;
    } finally {
      spark.stop();
    }
  }
}

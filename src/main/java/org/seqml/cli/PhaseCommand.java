package org.seqml.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.pipeline.Plan;
import org.seqml.run.RunContext;
import org.seqml.pipeline.SparkSessions;
import picocli.CommandLine.Mixin;

/** A command that validates the config before Spark starts, then runs one or more phases. */
abstract class PhaseCommand implements Callable<Integer> {
  @Mixin CommonOptions options;

  abstract void execute(RunContext run);

  /** What the command needs of the plan beyond what every run needs, checked before Spark starts. */
  void check(Plan plan) {}

  @Override
  public Integer call() {
    SeqmlConfig config = options.config(); // fails here, before Spark, on a bad setting
    check(Plan.of(config)); // and here on a domain and task that do not fit
    String ds = options.ds();
    SparkSession spark = SparkSessions.create(config);
    try {
      execute(RunContext.create(config, spark, ds));
      return 0;
    } finally {
      spark.stop();
    }
  }
}

package org.seqml.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.seqml.config.SeqmlConfig;
import org.seqml.domain.Domain;
import org.seqml.io.RowCounts;
import org.seqml.model.ModelArtifact;
import org.seqml.report.RunReport;
import org.seqml.run.RunContext;
import org.seqml.task.SequenceSet;
import org.seqml.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phases of a run in data-flow order: the config's domain ingests and windows, its task trains,
 * scores and evaluates the domain's sequence set, and the report shows the result.
 */
public final class Phases {
  private static final Logger LOG = LoggerFactory.getLogger(Phases.class);

  private Phases() {}

  public static void run(RunContext run) {
    ingest(run);
    window(run);
    train(run);
    score(run);
    evaluate(run);
    report(run);
  }

  public static RowCounts ingest(RunContext run) {
    return domain(run.config()).ingest(run);
  }

  public static long window(RunContext run) {
    return domain(run.config()).window(run);
  }

  /** The windows the window phase defined for this run's ds (ticks: cut from its steps on read). */
  public static Dataset<Row> windows(RunContext run) {
    return sequences(run).windows();
  }

  public static ModelArtifact train(RunContext run) {
    return task(run.config()).train(run, sequences(run));
  }

  public static long score(RunContext run) {
    return task(run.config()).score(run, sequences(run));
  }

  public static ObjectNode evaluate(RunContext run) {
    return task(run.config()).evaluate(run, sequences(run));
  }

  /** Rolling-origin folds of the task (forecast): per-fold models, forecasts and metrics under backtest/. */
  public static ObjectNode backtest(RunContext run) {
    run.phase("backtest");
    return task(run.config()).backtest(run, sequences(run));
  }

  /** Stratified k-fold cross-validation of the task (classify): per-fold models, scores and metrics under cv/. */
  public static ObjectNode crossValidate(RunContext run) {
    run.phase("cv");
    return task(run.config()).crossValidate(run, sequences(run));
  }

  /** The HTML report of the pipeline's latest model and metrics; returns its path. */
  public static String report(RunContext run) {
    run.phase("report");
    String path = RunReport.write(run);
    LOG.info("report ds={} written to {}", run.ds(), path);
    return path;
  }

  private static SequenceSet sequences(RunContext run) {
    return domain(run.config()).sequences(run);
  }

  static Domain domain(SeqmlConfig config) {
    return Plan.of(config).domain();
  }

  static Task task(SeqmlConfig config) {
    return Plan.of(config).task();
  }
}

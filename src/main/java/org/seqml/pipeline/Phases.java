package org.seqml.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.RowCounts;
import org.seqml.model.ModelArtifact;

/** The phases of a run in data-flow order, dispatched to the pipeline of the config's domain. */
public final class Phases {
  private Phases() {}

  static DomainPipeline of(SeqmlConfig config) {
    return switch (config.ingest().domain()) {
      case "ticks" -> new TicksPipeline();
      case "logs" -> new LogsPipeline();
      case "bio" -> new BioPipeline();
      default -> throw new IllegalArgumentException("no pipeline for domain " + config.ingest().domain());
    };
  }

  public static void run(RunContext run) {
    DomainPipeline pipeline = of(run.config());
    pipeline.ingest(run);
    pipeline.window(run);
    pipeline.train(run);
    pipeline.score(run);
    pipeline.evaluate(run);
    report(run);
  }

  /** The HTML report of the pipeline's latest model and metrics; returns its path. */
  public static String report(RunContext run) {
    run.phase("report");
    String path = org.seqml.report.RunReport.write(run);
    org.slf4j.LoggerFactory.getLogger(Phases.class).info("report ds={} written to {}", run.ds(), path);
    return path;
  }

  public static RowCounts ingest(RunContext run) {
    return of(run.config()).ingest(run);
  }

  public static long window(RunContext run) {
    return of(run.config()).window(run);
  }

  /** The windows the window phase defined for this run's ds (ticks: cut from its steps on read). */
  public static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> windows(RunContext run) {
    return of(run.config()).windows(run);
  }

  public static ModelArtifact train(RunContext run) {
    return of(run.config()).train(run);
  }

  public static long score(RunContext run) {
    return of(run.config()).score(run);
  }

  public static ObjectNode evaluate(RunContext run) {
    return of(run.config()).evaluate(run);
  }
}

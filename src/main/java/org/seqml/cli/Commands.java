package org.seqml.cli;

import org.seqml.config.ConfigError;
import org.seqml.pipeline.Phases;
import org.seqml.pipeline.Plan;
import org.seqml.run.RunContext;
import picocli.CommandLine.Command;

/** The phase commands; each is one line over {@link Phases}. */
final class Commands {
  private Commands() {}

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run every phase: ingest, window, train, score, evaluate, report.")
  static final class Run extends PhaseCommand {
    @Override
    void execute(RunContext run) {
      Phases.run(run);
    }

    @Override
    boolean ingests() {
      return true;
    }
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Read raw input into the domain's accepted table (<out>/<pipeline>/ticks, events, sequences or series, ds=<ds>) and rejects/ds=<ds>.")
  static final class Ingest extends PhaseCommand {
    @Override
    void execute(RunContext run) {
      Phases.ingest(run);
    }

    @Override
    boolean ingests() {
      return true;
    }
  }

  @Command(name = "window", mixinStandardHelpOptions = true,
      description = "Compute features and split windows: ticks write steps/ds=<ds> (windows are cut from it on read), logs and bio windows/ds=<ds>.")
  static final class Window extends PhaseCommand {
    @Override
    void execute(RunContext run) {
      Phases.window(run);
    }
  }

  @Command(name = "train", mixinStandardHelpOptions = true,
      description = "Fit the scaler on the train split and train the model with parameter averaging; publish model/.")
  static final class Train extends PhaseCommand {
    @Override
    void execute(RunContext run) {
      Phases.train(run);
    }
  }

  @Command(name = "score", mixinStandardHelpOptions = true,
      description = "Score the windows of score.splits with the published model into scores/ds=<ds>.")
  static final class Score extends PhaseCommand {
    @Override
    void execute(RunContext run) {
      Phases.score(run);
    }
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Write out/<pipeline>/report/index.html: loss curves, metrics beside baselines, task charts.")
  static final class Report extends PhaseCommand {
    @Override
    void execute(RunContext run) {
      Phases.report(run);
    }
  }

  @Command(name = "evaluate", mixinStandardHelpOptions = true,
      description = "Compute test metrics beside naive baselines into metrics.json.")
  static final class Evaluate extends PhaseCommand {
    @Override
    void execute(RunContext run) {
      Phases.evaluate(run);
    }
  }

  @Command(name = "cv", mixinStandardHelpOptions = true,
      description = "Stratified k-fold cross-validation (classify): classify.cv-folds folds trained in turn, each "
          + "scored and evaluated; models, scores and figures under cv/fold=<i>, each metric's mean and standard "
          + "deviation over the folds in cv/metrics.json. Run ingest and window first.")
  static final class CrossValidate extends PhaseCommand {
    @Override
    void check(Plan plan) {
      if (!plan.task().crossValidates()) {
        throw new ConfigError("cv serves task = classify (got \"" + plan.task().name() + "\")");
      }
    }

    @Override
    void execute(RunContext run) {
      Phases.crossValidate(run);
    }
  }

  @Command(name = "backtest", mixinStandardHelpOptions = true,
      description = "Rolling-origin backtest (forecast): backtest.folds origins through the test period, a model "
          + "per backtest.retrain-every folds trained before its origin; forecasts to backtest/forecasts/ds=<ds>, "
          + "figures per fold and overall to backtest/metrics.json, a chart per fold in the report. Run ingest and "
          + "window first.")
  static final class Backtest extends PhaseCommand {
    @Override
    void check(Plan plan) {
      if (!plan.task().backtests()) {
        throw new ConfigError("backtest serves task = forecast (got \"" + plan.task().name() + "\")");
      }
    }

    @Override
    void execute(RunContext run) {
      Phases.backtest(run);
      Phases.report(run);
    }
  }
}

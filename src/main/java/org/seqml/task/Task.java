package org.seqml.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.spark.sql.types.StructType;
import org.seqml.model.ModelArtifact;
import org.seqml.run.RunContext;
import org.seqml.run.Stage;

/**
 * A task trains a model on a sequence set of its kind, scores windows with it and evaluates the scores
 * beside baselines. It knows no domain: what it reads is the set's column roles (the shape of Tribuo's
 * {@code Trainer.train(dataset) -> Model}).
 */
public interface Task {
  /** The task's name in config ({@code task = ...}). */
  String name();

  /** The training windows to a published model artifact. */
  ModelArtifact train(RunContext run, SequenceSet set);

  /** Windows of score.splits to scores with the published model; returns the score rows written. */
  long score(RunContext run, SequenceSet set);

  /** Test-split metrics beside baselines, written to metrics.json. */
  ObjectNode evaluate(RunContext run, SequenceSet set);

  /** Whether {@link #backtest} serves this task (rolling-origin folds of forecasts). */
  default boolean backtests() {
    return false;
  }

  /** Rolling-origin folds: a model per fold trained before its origin, its forecasts and metrics per fold. */
  default ObjectNode backtest(RunContext run, SequenceSet set) {
    throw new UnsupportedOperationException("task " + name() + " has no backtest");
  }

  /** Whether {@link #crossValidate} serves this task (k-fold cross-validation of sequences). */
  default boolean crossValidates() {
    return false;
  }

  /** Stratified k folds, each trained, scored and evaluated; per-fold figures and their mean and spread. */
  default ObjectNode crossValidate(RunContext run, SequenceSet set) {
    throw new UnsupportedOperationException("task " + name() + " has no cross-validation");
  }

  /** The window columns this task reads, with their types: a plan checks them against the domain's windows. */
  StructType reads();

  /** The tables the score phase writes, each with its declared schema, given the key column outputs name. */
  List<Stage> stages(String keyName);

  /** The task named in config. */
  static Task of(String name) {
    return switch (name) {
      case "forecast" -> new ForecastTask();
      case "next-event" -> new NextEventTask();
      case "classify" -> new ClassifyTask();
      case "next-token" -> new NextTokenTask();
      default -> throw new IllegalArgumentException("no task named " + name);
    };
  }

  /** The set as the kind this task reads; a domain that hands another kind is a programming error. */
  static <S extends SequenceSet> S expect(SequenceSet set, Class<S> kind, String task) {
    if (!kind.isInstance(set)) {
      throw new IllegalStateException("task " + task + " reads " + kind.getSimpleName() + " sequence sets, not "
          + set.getClass().getSimpleName());
    }
    return kind.cast(set);
  }
}

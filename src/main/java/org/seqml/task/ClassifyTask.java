package org.seqml.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;
import org.seqml.eval.ClassificationEvaluator;
import org.seqml.eval.DecisionThreshold;
import org.seqml.model.ModelArtifact;
import org.seqml.run.RunContext;
import org.seqml.score.SequenceScorer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sequence classification: class probabilities per sequence (averaged over its windows), beside the
 * majority class and a logistic regression on k-mer counts.
 */
final class ClassifyTask extends TokenTask {
  private static final Logger LOG = LoggerFactory.getLogger(ClassifyTask.class);

  @Override
  public String name() {
    return "classify";
  }

  @Override
  boolean nextToken() {
    return false;
  }

  @Override
  ObjectNode figures(RunContext run, SequenceSet.Tokens set, Dataset<Row> test, Dataset<Row> validation,
      ModelArtifact model) {
    List<String> classes = classes(model);
    String configured = set.tokens().positiveClass();
    String positive = classes.size() != 2 ? null : configured.isBlank() ? classes.get(1) : configured;
    if (positive != null && !classes.contains(positive)) {
      throw new org.seqml.util.Refusal("bio.positive-class is \"" + positive + "\" but the model's classes are "
          + classes + ": set it to one of them (or to \"\" for the second in sorted order)");
    }
    ObjectNode figures = ClassificationEvaluator.evaluate(test, set.sequences(), classes, positive,
        set.tokens().baselineK());
    SeqmlConfig.Classify classify = run.config().classify();
    if (positive != null && classify.fitsThreshold()) {
      DecisionThreshold.Fitted fitted = DecisionThreshold.fit(
          DecisionThreshold.scored(validation, positive, classes.indexOf(positive)), classify.threshold());
      if (fitted == null) {
        LOG.warn("evaluate ds={}: no decision threshold fitted: the validation scores lack a class (score.splits "
            + "must hold validation)", run.ds());
      } else {
        ObjectNode tuned = DecisionThreshold.apply(test, classes, positive, fitted);
        figures.set("model_at_fitted_threshold", tuned);
        LOG.info("evaluate ds={}: at the threshold {} fitted on validation ({} {}): mcc={} sensitivity={} "
                + "specificity={}", run.ds(), fitted.threshold(), fitted.rule(), fitted.value(), tuned.get("mcc"),
            tuned.get("sensitivity"), tuned.get("specificity"));
      }
    }
    JsonNode m = figures.get("model");
    JsonNode lr = figures.get("baselines").get("kmer_logistic_regression");
    LOG.info("evaluate ds={} test sequences={}: model accuracy={} mcc={} sensitivity={} specificity={} auc={}; "
            + "k-mer logistic regression mcc={} auc={}; majority accuracy={}", run.ds(), figures.get("sequences"),
        m.get("accuracy"), m.get("mcc"), m.path("sensitivity"), m.path("specificity"), m.path("roc_auc"),
        lr.get("mcc"), lr.path("roc_auc"), figures.get("baselines").get("majority_class").get("accuracy"));
    return figures;
  }

  @Override
  public boolean crossValidates() {
    return true;
  }

  @Override
  public ObjectNode crossValidate(RunContext run, SequenceSet sequences) {
    return ClassifyCrossValidation.run(this, run, Task.expect(sequences, SequenceSet.Tokens.class, name()));
  }

  @Override
  StructType scoresSchema() {
    return SequenceScorer.CLASS_SCORES;
  }
}

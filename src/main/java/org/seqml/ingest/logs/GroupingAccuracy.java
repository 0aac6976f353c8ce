package org.seqml.ingest.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Grouping (parsing) accuracy of Zhu et al., "Tools and Benchmarks for Automated Log Parsing"
 * (ICSE-SEIP 2019), as loghub's {@code evaluator.get_accuracy}: a line is correct when the lines
 * sharing its predicted template are exactly the lines sharing its true event; the accuracy is the
 * fraction of correct lines. Labels are compared only for equality, so any ids will do.
 */
public final class GroupingAccuracy {
  private GroupingAccuracy() {}

  /** Correctly grouped lines over all lines; {@code predicted.get(i)} and {@code truth.get(i)} label line i. */
  public static double of(List<String> predicted, List<String> truth) {
    return (double) correctLines(predicted, truth) / truth.size();
  }

  /** How many lines sit in a predicted group that equals their true group. */
  public static long correctLines(List<String> predicted, List<String> truth) {
    if (predicted.size() != truth.size()) {
      throw new IllegalArgumentException("grouping accuracy needs one prediction per line: got "
          + predicted.size() + " predictions for " + truth.size() + " true labels");
    }
    if (truth.isEmpty()) {
      throw new IllegalArgumentException("grouping accuracy of no lines is undefined");
    }
    Map<String, Integer> trueSizes = new HashMap<>();
    Map<String, List<Integer>> predictedGroups = new HashMap<>();
    for (int i = 0; i < truth.size(); i++) {
      if (truth.get(i) == null || predicted.get(i) == null) {
        throw new IllegalArgumentException("line " + i + " has no label; drop unlabelled lines first");
      }
      trueSizes.merge(truth.get(i), 1, Integer::sum);
      predictedGroups.computeIfAbsent(predicted.get(i), k -> new ArrayList<>()).add(i);
    }
    long correct = 0;
    for (List<Integer> group : predictedGroups.values()) {
      String event = truth.get(group.get(0));
      boolean pure = group.stream().allMatch(i -> truth.get(i).equals(event));
      if (pure && trueSizes.get(event) == group.size()) {
        correct += group.size();
      }
    }
    return correct;
  }
}

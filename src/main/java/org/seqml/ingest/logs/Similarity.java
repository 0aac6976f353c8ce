package org.seqml.ingest.logs;

import java.util.List;
import java.util.function.Function;

/**
 * Drain's token similarity and template update (He et al., ICWS 2017, steps 4 and 5), with the
 * tie-breaks of logpai/logparser's {@code seqDist}, {@code fastMatch} and {@code getTemplate}.
 */
final class Similarity {
  private Similarity() {}

  /**
   * The candidate whose template is most similar to {@code seq}, or {@code null} when the best is
   * below {@code threshold}. Similarity is the fraction of all positions where the template holds
   * the same non-wildcard token; among equals the template with more wildcards wins, then the first.
   */
  static <T> T best(List<T> candidates, Function<T, String[]> templateOf, String[] seq, double threshold) {
    T best = null;
    double maxSimilarity = -1;
    int maxWildcards = -1;
    for (T candidate : candidates) {
      String[] template = templateOf.apply(candidate);
      int same = 0;
      int wildcards = 0;
      for (int i = 0; i < template.length; i++) {
        if (LogTemplate.WILDCARD.equals(template[i])) {
          wildcards++;
        } else if (template[i].equals(seq[i])) {
          same++;
        }
      }
      double similarity = (double) same / template.length;
      if (similarity > maxSimilarity || (similarity == maxSimilarity && wildcards > maxWildcards)) {
        maxSimilarity = similarity;
        maxWildcards = wildcards;
        best = candidate;
      }
    }
    return best != null && maxSimilarity >= threshold ? best : null;
  }

  /** The template after {@code seq} joins it: every position where they differ becomes a wildcard. */
  static String[] merge(String[] seq, String[] template) {
    String[] merged = new String[seq.length];
    for (int i = 0; i < seq.length; i++) {
      merged[i] = seq[i].equals(template[i]) ? seq[i] : LogTemplate.WILDCARD;
    }
    return merged;
  }
}

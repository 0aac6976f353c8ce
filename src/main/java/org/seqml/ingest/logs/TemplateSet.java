package org.seqml.ingest.logs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The immutable result of {@link Drain}: distinct templates with text-derived ids, and the frozen
 * parse tree to match any line without changing anything, so that it can be broadcast and used by
 * many tasks at once. {@link #match} walks the tree as mining did and picks the best template by
 * Drain's similarity and tie-breaks (He et al., ICWS 2017), now against final templates.
 *
 * <p>Drain's choice depends on the templates as they were when a line came; against the final
 * templates a few mined lines would go elsewhere (a tie now won by a template that changed later, a
 * line of mostly masked tokens that is below the threshold even against itself, a line too short
 * for a leaf). Such lines are pinned to the template the miner gave them, so matching a mined line
 * always gives its mined template, and an identical line anywhere gets the same.
 */
public final class TemplateSet implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<LogTemplate> templates;
  private final String[][] tokens;
  private final Map<String, Integer> byId;
  private final PrefixTree<Integer> tree;
  private final Map<String, Integer> pinned;
  private final int depth;
  private final double similarityThreshold;
  private final int maxChildren;

  private TemplateSet(List<LogTemplate> templates, PrefixTree<Integer> tree, int depth, double similarityThreshold,
      int maxChildren) {
    this.templates = List.copyOf(templates);
    this.tokens = new String[templates.size()][];
    this.byId = new HashMap<>();
    for (int i = 0; i < templates.size(); i++) {
      LogTemplate t = templates.get(i);
      tokens[i] = t.tokens().toArray(new String[0]);
      Integer clash = byId.put(t.id(), i);
      if (clash != null) {
        throw new IllegalStateException("template id " + t.id() + " is shared by \"" + templates.get(clash).text()
            + "\" and \"" + t.text() + "\"; the 32-bit id space collided, mine with different masking");
      }
    }
    this.tree = tree;
    this.pinned = new HashMap<>();
    this.depth = depth;
    this.similarityThreshold = similarityThreshold;
    this.maxChildren = maxChildren;
  }

  /** Freezes a miner's state; {@code firstGroupOfLine} maps each distinct mined line to its first group. */
  static TemplateSet freeze(List<LogCluster> clusters, PrefixTree<LogCluster> tree,
      Map<String, LogCluster> firstGroupOfLine, int depth, double similarityThreshold, int maxChildren) {
    Map<String, Integer> indexByText = new LinkedHashMap<>();
    List<List<String>> texts = new ArrayList<>();
    List<Long> occurrences = new ArrayList<>();
    int[] templateOfCluster = new int[clusters.size()];
    for (LogCluster c : clusters) {
      Integer index = indexByText.get(String.join(" ", c.template));
      if (index == null) {
        index = texts.size();
        indexByText.put(String.join(" ", c.template), index);
        texts.add(List.of(c.template));
        occurrences.add(0L);
      }
      occurrences.set(index, occurrences.get(index) + c.size);
      templateOfCluster[c.index] = index;
    }
    List<LogTemplate> templates = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      templates.add(LogTemplate.of(texts.get(i), occurrences.get(i)));
    }
    TemplateSet set = new TemplateSet(templates, tree.map(c -> templateOfCluster[c.index]), depth,
        similarityThreshold, maxChildren);
    firstGroupOfLine.forEach((line, cluster) -> {
      int mined = templateOfCluster[cluster.index];
      Integer found = set.search(Whitespace.split(line));
      if (found == null || found != mined) {
        set.pinned.put(line, mined);
      }
    });
    return set;
  }

  /**
   * The best template for a tokenized line and the line's tokens at its wildcards, or empty when no
   * template reaches the similarity threshold: an event not seen while mining.
   */
  public Optional<TemplateMatch> match(String[] line) {
    Whitespace.requireTokens(line);
    Integer best = pinned.get(String.join(" ", line));
    if (best == null) {
      best = search(line);
    }
    if (best == null) {
      return Optional.empty();
    }
    String[] template = tokens[best];
    List<String> parameters = new ArrayList<>();
    for (int i = 0; i < template.length; i++) {
      if (LogTemplate.WILDCARD.equals(template[i])) {
        parameters.add(line[i]);
      }
    }
    return Optional.of(new TemplateMatch(templates.get(best), parameters));
  }

  private Integer search(String[] line) {
    return Similarity.best(tree.candidates(line), i -> tokens[i], line, similarityThreshold);
  }

  /** Distinct templates in the order their first group was started. */
  public List<LogTemplate> templates() {
    return templates;
  }

  public Optional<LogTemplate> byId(String id) {
    Integer index = byId.get(id);
    return index == null ? Optional.empty() : Optional.of(templates.get(index));
  }

  public int size() {
    return templates.size();
  }

  /** Mined lines held to their mined template because the frozen tree would place them elsewhere. */
  public int pinnedLines() {
    return pinned.size();
  }

  public int depth() {
    return depth;
  }

  public double similarityThreshold() {
    return similarityThreshold;
  }

  public int maxChildren() {
    return maxChildren;
  }
}

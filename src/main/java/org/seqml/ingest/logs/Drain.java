package org.seqml.ingest.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Online log template miner after He, Zhu, Zheng and Lyu, "Drain: An Online Log Parsing Approach
 * with Fixed Depth Tree" (ICWS 2017), following logpai/logparser's {@code Drain.py} decision for
 * decision so that grouping accuracy matches the published figures. Each {@link #add} routes a
 * tokenized line down a {@link PrefixTree} to a leaf, joins the most similar group there when the
 * similarity reaches the threshold (and turns differing positions of its template into {@code <*>}),
 * or starts a new group. Mutable and single-threaded; {@link #templates()} freezes the result.
 *
 * <p>Lines shorter than {@code depth - 2} tokens never reach a leaf in the reference, so each starts
 * its own group whose template is the line itself; since groups are told apart by template text,
 * such lines are kept here in one group per distinct text, which gives the same templates.
 *
 * <p>The miner remembers the first group of every distinct line, so that {@link #templates()} can pin
 * the few lines the frozen tree would place elsewhere; memory grows with distinct lines, so mine a
 * bounded sample and {@link TemplateSet#match} the rest.
 */
public final class Drain {
  private final int depth;
  private final double similarityThreshold;
  private final int maxChildren;
  private final PrefixTree<LogCluster> tree;
  private final List<LogCluster> clusters = new ArrayList<>();
  private final Map<String, LogCluster> firstGroupOfLine = new HashMap<>();

  /**
   * @param depth Drain's tree depth, counting root, length level and leaves (the reference's
   *     {@code depth}, 4 in most loghub benchmarks); at least 3
   * @param similarityThreshold {@code st}: the least fraction of equal tokens to join a group
   * @param maxChildren most children of an inner node (the reference's {@code maxChild}, 100)
   */
  public Drain(int depth, double similarityThreshold, int maxChildren) {
    if (depth < 3) {
      throw new IllegalArgumentException("Drain depth must be >= 3 (root, length level, leaves), got " + depth);
    }
    if (!(similarityThreshold >= 0 && similarityThreshold <= 1)) {
      throw new IllegalArgumentException("Drain similarity threshold must be in [0, 1], got " + similarityThreshold);
    }
    if (maxChildren < 1) {
      throw new IllegalArgumentException("Drain maxChildren must be >= 1, got " + maxChildren);
    }
    this.depth = depth;
    this.similarityThreshold = similarityThreshold;
    this.maxChildren = maxChildren;
    this.tree = new PrefixTree<>(depth, maxChildren);
  }

  /**
   * Adds one tokenized line (see {@link Masking#tokenize}) and returns the index of the group it
   * joined or started.
   */
  public int add(String[] tokens) {
    Whitespace.requireTokens(tokens);
    String text = String.join(" ", tokens);
    LogCluster match;
    if (!tree.reachesLeaf(tokens.length)) {
      match = firstGroupOfLine.get(text);
      if (match == null) {
        match = newCluster(tokens);
      }
    } else {
      match = Similarity.best(tree.candidates(tokens), c -> c.template, tokens, similarityThreshold);
      if (match == null) {
        match = newCluster(tokens);
        tree.insert(match.template, match);
      } else {
        match.template = Similarity.merge(tokens, match.template);
      }
    }
    firstGroupOfLine.putIfAbsent(text, match);
    match.size++;
    return match.index;
  }

  private LogCluster newCluster(String[] tokens) {
    LogCluster cluster = new LogCluster(clusters.size(), tokens.clone());
    clusters.add(cluster);
    return cluster;
  }

  /** The current template of a group; after the last {@link #add}, its final template. */
  public List<String> template(int cluster) {
    return List.of(clusters.get(cluster).template);
  }

  /** The id of a group's current template (see {@link LogTemplate#idOf}). */
  public String templateId(int cluster) {
    return LogTemplate.idOf(String.join(" ", clusters.get(cluster).template));
  }

  /** Groups so far; groups with equal template text count once in {@link #templates()}. */
  public int clusterCount() {
    return clusters.size();
  }

  /** An immutable snapshot of the mined templates that matches further lines without learning. */
  public TemplateSet templates() {
    return TemplateSet.freeze(clusters, tree, firstGroupOfLine, depth, similarityThreshold, maxChildren);
  }
}

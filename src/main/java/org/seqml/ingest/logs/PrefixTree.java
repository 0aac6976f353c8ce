package org.seqml.ingest.logs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Drain's fixed-depth parse tree (He et al., ICWS 2017, steps 2 and 3), kept exactly as
 * logpai/logparser's {@code treeSearch} and {@code addSeqToPrefixTree}: the first level splits by
 * token count, the next {@code depth - 3} levels by leading tokens, and a leaf holds items in
 * insertion order. A token with a digit always takes the {@code <*>} child; a node takes new token
 * children only while {@code maxChildren} allows, then routes unknown tokens to {@code <*>}.
 *
 * <p>In the reference, a sequence shorter than {@code depth - 2} tokens never reaches a leaf: it is
 * never inserted and never found. {@link #reachesLeaf} tells callers which sequences those are.
 *
 * @param <T> what leaves hold: mutable clusters while mining, template indices once frozen
 */
final class PrefixTree<T extends Serializable> implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final class Node<T extends Serializable> implements Serializable {
    private static final long serialVersionUID = 1L;
    final Map<String, Node<T>> children = new HashMap<>();
    final List<T> leaf = new ArrayList<>();
  }

  /** The reference's {@code self.depth}: Drain depth minus root and length levels. */
  private final int leafDepth;
  private final int maxChildren;
  private final Map<Integer, Node<T>> byLength = new HashMap<>();

  PrefixTree(int depth, int maxChildren) {
    this.leafDepth = depth - 2;
    this.maxChildren = maxChildren;
  }

  /** Whether a sequence of this length is placed in a leaf (the reference drops shorter ones). */
  boolean reachesLeaf(int length) {
    return length >= leafDepth;
  }

  /** The items in the leaf {@code seq} leads to; empty when the path does not exist. */
  List<T> candidates(String[] seq) {
    if (!reachesLeaf(seq.length)) {
      return List.of();
    }
    Node<T> node = byLength.get(seq.length);
    for (int i = 0; node != null && i < leafDepth - 1; i++) {
      Node<T> exact = node.children.get(seq[i]);
      node = exact != null ? exact : node.children.get(LogTemplate.WILDCARD);
    }
    return node == null ? List.of() : Collections.unmodifiableList(node.leaf);
  }

  /** Adds an item under the path of {@code template}, creating nodes as the reference does. */
  void insert(String[] template, T item) {
    if (!reachesLeaf(template.length)) {
      throw new IllegalArgumentException("a sequence of " + template.length + " tokens has no leaf at depth "
          + (leafDepth + 2) + "; check reachesLeaf first");
    }
    Node<T> node = byLength.computeIfAbsent(template.length, k -> new Node<>());
    for (int i = 0; i < leafDepth - 1; i++) {
      node = child(node, template[i]);
    }
    node.leaf.add(item);
  }

  private Node<T> child(Node<T> parent, String token) {
    Map<String, Node<T>> kids = parent.children;
    Node<T> existing = kids.get(token);
    if (existing != null) {
      return existing;
    }
    if (hasDigit(token)) {
      return kids.computeIfAbsent(LogTemplate.WILDCARD, k -> new Node<>());
    }
    // The reference counts the <*> child against maxChildren and keeps the last place for it.
    boolean hasWildcard = kids.containsKey(LogTemplate.WILDCARD);
    if (hasWildcard ? kids.size() < maxChildren : kids.size() + 1 < maxChildren) {
      return add(kids, token);
    }
    if (!hasWildcard && kids.size() + 1 == maxChildren) {
      return add(kids, LogTemplate.WILDCARD);
    }
    return kids.get(LogTemplate.WILDCARD);
  }

  private static <T extends Serializable> Node<T> add(Map<String, Node<T>> kids, String token) {
    Node<T> node = new Node<>();
    kids.put(token, node);
    return node;
  }

  /**
   * Python's {@code any(c.isdigit() for c in s)}: decimal digits plus digit-valued other numbers
   * such as superscripts, which Python's {@code isdigit} counts and Java's {@code isDigit} does not.
   */
  static boolean hasDigit(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (Character.isDigit(c) || (Character.getType(c) == Character.OTHER_NUMBER
          && Character.getNumericValue(c) >= 0 && Character.getNumericValue(c) <= 9)) {
        return true;
      }
    }
    return false;
  }

  /** A copy with the same shape whose leaves hold {@code f} of each item, in the same order. */
  <U extends Serializable> PrefixTree<U> map(Function<T, U> f) {
    PrefixTree<U> copy = new PrefixTree<>(leafDepth + 2, maxChildren);
    byLength.forEach((length, node) -> copy.byLength.put(length, copy(node, f)));
    return copy;
  }

  private static <T extends Serializable, U extends Serializable> Node<U> copy(Node<T> node, Function<T, U> f) {
    Node<U> copy = new Node<>();
    node.children.forEach((token, child) -> copy.children.put(token, copy(child, f)));
    node.leaf.forEach(item -> copy.leaf.add(f.apply(item)));
    return copy;
  }
}

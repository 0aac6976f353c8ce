package org.seqml.ingest.logs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark plan: mine a sample in one JVM, broadcast the {@link TemplateSet}, match every line in
 * tasks. Ids must not depend on which task, in which order, or with which copy a line is matched,
 * and sample lines must keep the template the miner gave them.
 */
class MineThenMatchTest {
  static final int PARTITIONS = 3;

  /** Ids of every line matched in shuffled partitions, each with its own deserialized copy. */
  static List<String> matchInShuffledPartitions(TemplateSet set, List<String[]> lines, long seed) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    String[] ids = new String[lines.size()];
    for (int p = 0; p < PARTITIONS; p++) {
      TemplateSet broadcast = Serialization.roundTrip(set);
      for (int k = p; k < order.size(); k += PARTITIONS) {
        int line = order.get(k);
        ids[line] = broadcast.match(lines.get(line)).map(TemplateMatch::id).orElse("unseen");
      }
    }
    return List.of(ids);
  }

  static List<String> matchInOrder(TemplateSet set, List<String[]> lines) {
    return lines.stream().map(t -> set.match(t).map(TemplateMatch::id).orElse("unseen")).toList();
  }

  @Test
  void matchingInShuffledPartitionsGivesTheSameIdsAsInOrder() {
    Random random = new Random(7);
    List<String[]> lines = new ArrayList<>();
    String[] users = {"alice", "bob", "carol"};
    for (int i = 0; i < 300; i++) {
      String line = switch (random.nextInt(4)) {
        case 0 -> "send " + random.nextInt(1000) + " bytes to " + users[random.nextInt(3)];
        case 1 -> "user " + users[random.nextInt(3)] + " logged in from <*>";
        case 2 -> "disk " + random.nextInt(4) + " is " + (random.nextBoolean() ? "full" : "slow") + " now";
        default -> "ok " + random.nextInt(3);
      };
      lines.add(Masking.none().tokenize(line));
    }
    Drain drain = new Drain(4, 0.5, 100);
    List<String> mined = finalIds(drain, lines.subList(0, 100));
    TemplateSet set = drain.templates();
    List<String> inOrder = matchInOrder(set, lines);
    SameIds.assertSameIds(inOrder, matchInShuffledPartitions(set, lines, 1), "partitioned, seed 1");
    SameIds.assertSameIds(inOrder, matchInShuffledPartitions(set, lines, 2), "partitioned, seed 2");
    SameIds.assertSameIds(mined, inOrder.subList(0, 100), "sample lines");
  }

  /** Each line's final template id once all lines are mined. */
  static List<String> finalIds(Drain drain, List<String[]> lines) {
    List<Integer> groups = new ArrayList<>();
    for (String[] line : lines) {
      groups.add(drain.add(line));
    }
    return groups.stream().map(drain::templateId).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"HDFS", "BGL", "Hadoop", "Spark", "OpenSSH"})
  void aMinedHalfKeepsItsTemplatesWhenEveryLineIsMatchedInAnyPartition(String system) throws IOException {
    LoghubSample sample = LoghubSample.load(system);
    LogParserSettings settings = LoghubBenchmarks.byName(system);
    List<String[]> lines = LoghubBenchmarkTest.tokenize(sample, settings);
    List<String[]> half = lines.subList(0, lines.size() / 2);
    Drain drain = settings.newDrain();
    List<String> mined = finalIds(drain, half);
    TemplateSet set = drain.templates();

    List<String> matched = matchInShuffledPartitions(set, lines, 42);
    SameIds.assertSameIds(matchInOrder(set, lines), matched, system + ": partitioned vs in order");
    SameIds.assertSameIds(mined, matched.subList(0, half.size()), system + ": sample lines keep their mined template");

    List<String> labels = new ArrayList<>();
    for (int i = 0; i < matched.size(); i++) {
      labels.add(matched.get(i).equals("unseen") ? "unseen-" + i : matched.get(i));
    }
    long unseen = matched.stream().filter("unseen"::equals).count();
    System.out.printf("%s mined on first half, all matched: grouping accuracy %.4f, %d of %d lines unseen%n",
        system, GroupingAccuracy.of(labels, sample.eventIds()), unseen, lines.size());
  }
}

package org.seqml.ingest.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DrainTest {
  static String[] tokens(String line) {
    return Masking.none().tokenize(line);
  }

  static List<String> template(Drain drain, int cluster) {
    return drain.template(cluster);
  }

  @Test
  void differingPositionsOfJoinedLinesBecomeWildcards() {
    Drain drain = new Drain(4, 0.5, 100);
    int first = drain.add(tokens("Receiving block a from b"));
    int second = drain.add(tokens("Receiving block c from d"));
    assertEquals(first, second);
    assertEquals(List.of("Receiving", "block", "<*>", "from", "<*>"), template(drain, first));
  }

  @Test
  void aLeadingTokenWithADigitTakesTheWildcardBranchSoSuchLinesCanJoin() {
    Drain drain = new Drain(4, 0.5, 100);
    int a = drain.add(tokens("42 connections open now"));
    int b = drain.add(tokens("43 connections open now"));
    assertEquals(a, b);
    assertEquals(List.of("<*>", "connections", "open", "now"), template(drain, a));
    // Without digits the leading token splits the tree: equal tails do not meet.
    Drain words = new Drain(4, 0.5, 100);
    int c = words.add(tokens("many connections open now"));
    int d = words.add(tokens("few connections open now"));
    assertNotEquals(c, d);
  }

  @Test
  void linesOfDifferentLengthsNeverShareATemplateEvenAtThresholdZero() {
    Drain drain = new Drain(4, 0.0, 100);
    int shorter = drain.add(tokens("open file a"));
    int longer = drain.add(tokens("open file a b"));
    assertNotEquals(shorter, longer);
    assertEquals(shorter, drain.add(tokens("open x y")));
  }

  @Test
  void theSimilarityThresholdDecidesWhetherALineJoins() {
    // "a b x y" equals "a b c d" in 2 of 4 positions: similarity 0.5.
    Drain lenient = new Drain(4, 0.5, 100);
    assertEquals(lenient.add(tokens("a b c d")), lenient.add(tokens("a b x y")));
    Drain strict = new Drain(4, 0.6, 100);
    assertNotEquals(strict.add(tokens("a b c d")), strict.add(tokens("a b x y")));
  }

  @Test
  void wildcardsInATemplateDoNotCountAsSimilar() {
    Drain drain = new Drain(4, 0.5, 100);
    int group = drain.add(tokens("a b c d"));
    drain.add(tokens("a x y d")); // 2 of 4 equal: joins, template a <*> <*> d
    assertEquals(List.of("a", "<*>", "<*>", "d"), template(drain, group));
    // Counting wildcards as equal would give 0.75 and join; only "a" is equal, so 0.25.
    assertNotEquals(group, drain.add(tokens("a p q z")));
  }

  @Test
  void onEqualSimilarityTheTemplateWithMoreWildcardsWins() {
    Drain drain = new Drain(4, 0.6, 100);
    int exact = drain.add(tokens("a b c d"));
    int general = drain.add(tokens("a q c e")); // similarity 0.5 < 0.6: a new group
    assertEquals(general, drain.add(tokens("a r c e"))); // now a <*> c e
    assertNotEquals(exact, general);
    // 0.75 against both "a b c d" and "a <*> c e": the one with a wildcard wins though it came second.
    assertEquals(general, drain.add(tokens("a b c e")));
  }

  @Test
  void pastMaxChildrenNewLeadingTokensShareTheWildcardBranch() {
    String[] lines = {"alpha x x", "beta x x", "gamma y z", "delta y z"};
    Drain roomy = new Drain(4, 0.5, 100);
    int[] roomyGroups = new int[lines.length];
    for (int i = 0; i < lines.length; i++) {
      roomyGroups[i] = roomy.add(tokens(lines[i]));
    }
    assertNotEquals(roomyGroups[2], roomyGroups[3]);
    // maxChildren 3: alpha and beta get children, the third place goes to <*>, shared by gamma and delta.
    Drain narrow = new Drain(4, 0.5, 3);
    int[] narrowGroups = new int[lines.length];
    for (int i = 0; i < lines.length; i++) {
      narrowGroups[i] = narrow.add(tokens(lines[i]));
    }
    assertEquals(narrowGroups[2], narrowGroups[3]);
    assertEquals(List.of("<*>", "y", "z"), template(narrow, narrowGroups[2]));
  }

  @Test
  void deeperTreesAlsoSplitOnLaterLeadingTokens() {
    // Depth 4 routes on the first token only, depth 5 on the first two.
    Drain shallow = new Drain(4, 0.5, 100);
    assertEquals(shallow.add(tokens("user alice logged in")), shallow.add(tokens("user bob logged in")));
    Drain deep = new Drain(5, 0.5, 100);
    assertNotEquals(deep.add(tokens("user alice logged in")), deep.add(tokens("user bob logged in")));
  }

  @Test
  void linesTooShortForALeafAreTheirOwnTemplateAsInTheReference() {
    // Depth 5 leaves sit after two leading tokens: lines of one or two tokens never reach one.
    Drain drain = new Drain(5, 0.0, 100);
    int ok1 = drain.add(tokens("ok 1"));
    int ok2 = drain.add(tokens("ok 2"));
    assertNotEquals(ok1, ok2);
    assertEquals(List.of("ok", "1"), template(drain, ok1));
    assertEquals(ok1, drain.add(tokens("ok 1")));
    assertEquals(drain.add(tokens("a b c")), drain.add(tokens("a b d")));
  }

  @Test
  void tokensWithWhitespaceAndBadParametersAreRejectedWithTheReason() {
    Drain drain = new Drain(4, 0.5, 100);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> drain.add(new String[] {"a", "b c"}));
    assertTrue(e.getMessage().contains("token 1"), e.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Drain(2, 0.5, 100))
        .getMessage().contains("depth"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Drain(4, 1.5, 100))
        .getMessage().contains("threshold"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Drain(4, 0.5, 0))
        .getMessage().contains("maxChildren"));
  }
}

package org.seqml.ingest.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateSetTest {
  static String[] tokens(String line) {
    return Masking.none().tokenize(line);
  }

  static TemplateSet mine(Drain drain, String... lines) {
    for (String line : lines) {
      drain.add(tokens(line));
    }
    return drain.templates();
  }

  @Test
  void templateIdsAreTheFirstEightHexDigitsOfSha256OfTheText() {
    // Golden values from Python: hashlib.sha256(text.encode()).hexdigest()[:8]
    assertEquals("e9f193f1", LogTemplate.idOf("PacketResponder <*> for block <*> terminating"));
    assertEquals("e3b0c442", LogTemplate.idOf(""));
    assertEquals("e9f193f1", LogTemplate.of(List.of("PacketResponder", "<*>", "for", "block", "<*>",
        "terminating"), 7).id());
  }

  @Test
  void theSameTemplateGetsTheSameIdFromDifferentLinesAndOrders() {
    TemplateSet one = mine(new Drain(4, 0.5, 100), "send 1 bytes to alice", "send 2 bytes to bob");
    TemplateSet other = mine(new Drain(4, 0.5, 100), "send 9 bytes to carol", "send 8 bytes to dave",
        "send 7 bytes to erin");
    assertEquals(1, one.size());
    assertEquals(one.templates().get(0).text(), other.templates().get(0).text());
    assertEquals(one.templates().get(0).id(), other.templates().get(0).id());
    assertEquals(2, one.templates().get(0).occurrences());
    assertEquals(3, other.templates().get(0).occurrences());
  }

  @Test
  void matchGivesTheTemplateAndTheTokensAtItsWildcards() {
    TemplateSet set = mine(new Drain(4, 0.5, 100), "send 1 bytes to alice", "send 2 bytes to bob");
    TemplateMatch match = set.match(tokens("send 300 bytes to zoe")).orElseThrow();
    assertEquals("send <*> bytes to <*>", match.template().text());
    assertEquals(List.of("300", "zoe"), match.parameters());
    assertEquals(set.byId(match.id()).orElseThrow(), match.template());
  }

  @Test
  void anUnseenEventMatchesNothing() {
    TemplateSet set = mine(new Drain(4, 0.5, 100), "send 1 bytes to alice", "send 2 bytes to bob");
    assertTrue(set.match(tokens("send 1 bytes")).isEmpty(), "no template of that length");
    assertTrue(set.match(tokens("send 1 packets via carol")).isEmpty(), "similarity 0.2 < 0.5");
    assertTrue(set.match(tokens("receive 1 bytes to alice")).isEmpty(), "no branch for 'receive'");
  }

  @Test
  void matchingLearnsNothing() {
    TemplateSet set = mine(new Drain(4, 0.5, 100), "a b c d");
    assertTrue(set.match(tokens("a b x y")).isPresent()); // would turn the template into a b <*> <*> if it learned
    assertEquals("a b c d", set.match(tokens("a b c d")).orElseThrow().template().text());
    assertEquals(List.of(), set.match(tokens("a b c d")).orElseThrow().parameters());
    assertEquals(1, set.size());
  }

  @Test
  void aMinedLineMatchesItsMinedTemplateEvenWhenALaterTemplateFitsItBetter() {
    Drain drain = new Drain(4, 0.5, 100);
    int first = drain.add(tokens("a d b b"));
    drain.add(tokens("a d d c")); // 0.5: joins, the template becomes a d <*> <*>
    int later = drain.add(tokens("a c b b")); // 0.25 against it: a new group
    assertNotEquals(first, later);
    TemplateSet set = drain.templates();
    // Now "a d b b" scores 0.75 against "a c b b" and only 0.5 against its own group's template.
    assertEquals("a d <*> <*>", set.match(tokens("a d b b")).orElseThrow().template().text());
    assertEquals(1, set.pinnedLines());
    // A line that was not mined goes by similarity alone.
    assertEquals("a c b b", set.match(tokens("a e b b")).orElseThrow().template().text());
  }

  @Test
  void aLineOfMostlyMaskedTokensMatchesTheTemplateItStarted() {
    // 1 of 4 tokens is concrete: below 0.5 even against itself, so Drain starts a group per such line,
    // all with the same text; the frozen tree alone would find none of them.
    Drain drain = new Drain(4, 0.5, 100);
    int group = drain.add(tokens("delete <*> <*> <*>"));
    TemplateSet set = drain.templates();
    assertEquals(drain.templateId(group), set.match(tokens("delete <*> <*> <*>")).orElseThrow().id());
    assertEquals(1, set.pinnedLines());
    assertTrue(set.match(tokens("delete <*> <*> x")).isEmpty(), "a different line is not pinned");
  }

  @Test
  void aShortLineMatchesOnlyItsOwnText() {
    TemplateSet set = mine(new Drain(5, 0.5, 100), "ok 1", "done");
    assertEquals("ok 1", set.match(tokens("ok 1")).orElseThrow().template().text());
    assertEquals("done", set.match(tokens("done")).orElseThrow().template().text());
    assertTrue(set.match(tokens("ok 2")).isEmpty());
  }

  @Test
  void aDeserializedTemplateSetMatchesAsTheOriginal() {
    TemplateSet set = mine(new Drain(4, 0.5, 100), "send 1 bytes to alice", "send 2 bytes to bob", "ok 1",
        "delete <*> <*> <*>", "recv 5 from carol");
    TemplateSet copy = Serialization.roundTrip(set);
    for (String line : List.of("send 7 bytes to dan", "ok 1", "delete <*> <*> <*>", "recv 6 from erin", "nope")) {
      assertEquals(set.match(tokens(line)), copy.match(tokens(line)), line);
    }
    assertEquals(set.templates(), copy.templates());
    assertNotEquals(0, copy.size());
  }
}

package org.seqml.ingest.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MaskingTest {
  @Test
  void everyMatchOfEveryRegexBecomesAWildcardBeforeTokenizing() {
    Masking hdfs = LoghubBenchmarks.hdfs().masking();
    assertArrayEquals(new String[] {"Receiving", "block", "<*>", "src:", "/<*>", "dest:", "/<*>"},
        hdfs.tokenize("Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010"));
  }

  @Test
  void regexesApplyInOrderEachToThePreviousResult() {
    // The second regex only matches once the first has turned the digits into <*>.
    Masking ordered = Masking.of("\\d+", "<\\*>ms");
    assertEquals("took <*>", ordered.mask("took 15ms"));
    Masking reversed = Masking.of("<\\*>ms", "\\d+");
    assertEquals("took <*>ms", reversed.mask("took 15ms"));
  }

  @Test
  void wordBoundariesAndDottedNamesMaskAsInTheSparkBenchmark() {
    Masking spark = LoghubBenchmarks.spark().masking();
    assertArrayEquals(new String[] {"Block", "broadcast_0", "stored", "as", "values", "in", "memory", "(estimated",
        "size", "2.1", "<*>,", "free", "413.9", "<*>)"},
        spark.tokenize("Block broadcast_0 stored as values in memory (estimated size 2.1 KB, free 413.9 MB)"));
    assertArrayEquals(new String[] {"Started", "<*>", "on", "port", "43329"},
        spark.tokenize("Started org.apache.spark.network.netty on port 43329"));
  }

  @Test
  void tokensAreSplitOnAnyRunOfWhitespaceWithNoEmptyTokens() {
    assertArrayEquals(new String[] {"a", "b", "c"}, Masking.none().tokenize("  a\t b \u00a0c  "));
    assertArrayEquals(new String[0], Masking.none().tokenize(" \t "));
  }

  @Test
  void aRegexThatDoesNotCompileIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Masking.of("ok", "(\\d+"));
    assertTrue(e.getMessage().contains("(\\d+"), e.getMessage());
  }

  @Test
  void maskingSurvivesSerialization() {
    Masking spark = LoghubBenchmarks.spark().masking();
    Masking copy = Serialization.roundTrip(spark);
    assertEquals(spark.regexes(), copy.regexes());
    assertEquals(spark.mask("size 2.1 KB at 10.0.0.1"), copy.mask("size 2.1 KB at 10.0.0.1"));
  }
}

package org.seqml.ingest.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry holds the settings of logpai/logparser's benchmark/Drain_benchmark.py. */
class LoghubBenchmarksTest {
  @Test
  void settingsAreThoseOfTheReferenceBenchmark() {
    LogParserSettings openSsh = LoghubBenchmarks.openSsh();
    assertEquals("<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>", openSsh.format().format());
    assertEquals(List.of("(\\d+\\.){3}\\d+", "([\\w-]+\\.){2,}[\\w-]+"), openSsh.masking().regexes());
    assertEquals(0.6, openSsh.similarityThreshold());
    assertEquals(5, openSsh.depth());
    assertEquals(List.of("blk_-?\\d+", "(\\d+\\.){3}\\d+(:\\d+)?"), LoghubBenchmarks.hdfs().masking().regexes());
    for (LogParserSettings s : LoghubBenchmarks.all()) {
      assertEquals(100, s.maxChildren(), s.name());
      if (!s.name().equals("OpenSSH")) {
        assertEquals(0.5, s.similarityThreshold(), s.name());
        assertEquals(4, s.depth(), s.name());
      }
    }
  }

  @Test
  void settingsAreFoundByNameIgnoringCaseAndAnUnknownNameListsTheKnownOnes() {
    assertEquals("Hadoop", LoghubBenchmarks.byName("hadoop").name());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoghubBenchmarks.byName("Zoo"));
    assertTrue(e.getMessage().contains("HDFS") && e.getMessage().contains("OpenSSH"), e.getMessage());
  }

  @Test
  void settingsSurviveSerializationAndMakeAWorkingMiner() {
    LogParserSettings copy = Serialization.roundTrip(LoghubBenchmarks.bgl());
    Drain drain = copy.newDrain();
    String[] tokens = copy.masking().tokenize(copy.format().parse("- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11"
        + " 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO generating core.2275").orElseThrow()
        .content());
    assertEquals(List.of("generating", "<*>"), drain.template(drain.add(tokens)));
  }
}

package org.seqml.ingest.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Drain on the loghub 2k samples with the reference benchmark settings reaches Drain's published
 * grouping accuracy (Zhu et al., ICSE-SEIP 2019, Table III) within 0.005, and matching every line
 * afterwards against the frozen {@link TemplateSet} gives each line exactly its mined template.
 */
class LoghubBenchmarkTest {
  static final double TOLERANCE = 0.005;

  @ParameterizedTest(name = "{0} >= {1} - 0.005")
  @CsvSource({"HDFS, 0.998", "BGL, 0.963", "Hadoop, 0.948", "Spark, 0.920", "OpenSSH, 0.788"})
  void drainReachesPublishedGroupingAccuracyAndMatchingGivesEachLineItsMinedTemplate(String system,
      double published) throws IOException {
    LoghubSample sample = LoghubSample.load(system);
    LogParserSettings settings = LoghubBenchmarks.byName(system);
    List<String[]> tokens = tokenize(sample, settings);

    Drain drain = settings.newDrain();
    List<Integer> clusters = new ArrayList<>();
    for (String[] t : tokens) {
      clusters.add(drain.add(t));
    }
    List<String> mined = clusters.stream().map(drain::templateId).toList();
    TemplateSet templates = drain.templates();
    List<String> matched = tokens.stream()
        .map(t -> templates.match(t).map(TemplateMatch::id).orElse("unseen"))
        .toList();
    double minedAccuracy = GroupingAccuracy.of(mined, sample.eventIds());
    double matchedAccuracy = GroupingAccuracy.of(matched, sample.eventIds());
    System.out.printf("%s grouping accuracy: mined %.4f, mine-then-match %.4f (published %.3f; %d templates,"
        + " %d lines pinned)%n", system, minedAccuracy, matchedAccuracy, published, templates.size(),
        templates.pinnedLines());

    assertTrue(minedAccuracy >= published - TOLERANCE, system + " mined accuracy " + minedAccuracy);
    SameIds.assertSameIds(mined, matched, system + ": matching a mined line must give its mined template");
    assertEquals(minedAccuracy, matchedAccuracy);
  }

  static List<String[]> tokenize(LoghubSample sample, LogParserSettings settings) {
    List<String[]> tokens = new ArrayList<>();
    for (String line : sample.lines()) {
      Optional<ParsedLine> parsed = settings.format().parse(line);
      assertTrue(parsed.isPresent(), settings.name() + " line does not fit its format: " + line);
      tokens.add(settings.masking().tokenize(parsed.get().content()));
    }
    assertEquals(sample.eventIds().size(), tokens.size(), "one ground-truth row per line");
    return tokens;
  }
}

package org.seqml.config;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Parses and validates what only the ticks domain reads: its generator, LOBSTER date and features. */
final class TicksSettings {
  private TicksSettings() {}

  static String lobsterDate(Settings s) {
    String lobsterDate = s.string("ingest.lobster-date");
    if (!lobsterDate.isEmpty() && !lobsterDate.matches("\\d{4}-\\d{2}-\\d{2}")) {
      throw s.error("ingest.lobster-date", "must be yyyy-mm-dd or empty");
    }
    return lobsterDate;
  }

  static SeqmlConfig.Generator generator(Settings s) {
    Instant start;
    try {
      start = Instant.parse(s.string("ingest.generator.start"));
    } catch (DateTimeParseException e) {
      throw s.error("ingest.generator.start", "must be an ISO-8601 instant like 2024-03-04T14:30:00Z");
    }
    return new SeqmlConfig.Generator(
        s.intValue("ingest.generator.symbols", v -> v >= 1 && v <= 10_000, "must be in 1..10000"),
        s.intValue("ingest.generator.ticks-per-symbol", v -> v >= 10, "must be >= 10"),
        s.longValue("ingest.generator.seed", v -> true, ""),
        start,
        s.intValue("ingest.generator.mean-interval-ms", v -> v >= 1, "must be >= 1"),
        s.doubleValue("ingest.generator.signal-strength", v -> v >= 0 && v <= 5, "must be in 0..5"),
        s.intValue("ingest.generator.partitions", v -> v >= 1, "must be >= 1"));
  }

  static SeqmlConfig.Features features(Settings s) {
    Duration bar = bar(s);
    List<String> columns = s.stringList("features.columns");
    if (columns.isEmpty() || !SeqmlConfig.FEATURE_COLUMNS.containsAll(columns)
        || columns.stream().distinct().count() != columns.size()) {
      throw s.error("features.columns", "must be distinct names from " + SeqmlConfig.FEATURE_COLUMNS);
    }
    if (!columns.get(0).equals("ret")) {
      throw s.error("features.columns", "must start with ret, the forecast target");
    }
    return new SeqmlConfig.Features(bar, columns, s.doubleValue("features.return-scale", v -> v > 0, "must be > 0"));
  }

  private static Duration bar(Settings s) {
    String bar = s.string("features.bar").trim();
    if (bar.isEmpty()) {
      return Duration.ZERO;
    }
    Duration duration;
    try {
      duration = s.raw().getDuration("features.bar");
    } catch (RuntimeException e) {
      throw s.error("features.bar", "must be a duration such as 500ms, 1s or 1m, or empty");
    }
    if (duration.toMillis() < 1) {
      throw s.error("features.bar", "must be at least 1ms");
    }
    return duration;
  }
}

package org.seqml.config;

import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Parses and validates the logs section. */
final class LogsSettings {
  private LogsSettings() {}

  static SeqmlConfig.Logs parse(Settings s) {
    String format = s.string("logs.line-format");
    if (!format.contains("<Content>")) {
      throw s.error("logs.line-format", "must contain <Content>");
    }
    List<String> masks = s.stringList("logs.masks");
    for (String mask : masks) {
      regex(s, "logs.masks", mask);
    }
    SeqmlConfig.DrainSettings drain = new SeqmlConfig.DrainSettings(
        s.intValue("logs.drain.depth", v -> v >= 3 && v <= 20, "must be in 3..20"),
        s.doubleValue("logs.drain.similarity", v -> v > 0 && v <= 1, "must be in (0, 1]"),
        s.intValue("logs.drain.max-children", v -> v >= 1, "must be >= 1"));
    String by = s.oneOf("logs.session.by", Set.of("id", "gap"));
    String idPattern = s.string("logs.session.id-pattern");
    if (by.equals("id")) {
      regex(s, "logs.session.id-pattern", idPattern);
    }
    Duration gap;
    try {
      gap = s.raw().getDuration("logs.session.gap");
    } catch (RuntimeException e) {
      throw s.error("logs.session.gap", "must be a duration such as 30s or 5m");
    }
    String timePattern = s.string("logs.session.time-pattern");
    try {
      DateTimeFormatter.ofPattern(timePattern);
    } catch (IllegalArgumentException e) {
      throw s.error("logs.session.time-pattern", "must be a java.time pattern: " + e.getMessage());
    }
    SeqmlConfig.Sessions session = new SeqmlConfig.Sessions(by, idPattern, s.string("logs.session.key-field"), gap,
        s.stringList("logs.session.time-fields"), timePattern);
    SeqmlConfig.Labels labels = new SeqmlConfig.Labels(s.string("logs.labels.path"),
        s.string("logs.labels.abnormal-files"));
    SeqmlConfig.LogGenerator generator = new SeqmlConfig.LogGenerator(
        s.intValue("logs.generator.sessions", v -> v >= 10, "must be >= 10"),
        s.doubleValue("logs.generator.anomaly-rate", v -> v >= 0 && v < 1, "must be in [0, 1)"),
        s.longValue("logs.generator.seed", v -> true, ""),
        s.intValue("logs.generator.partitions", v -> v >= 1, "must be >= 1"));
    return new SeqmlConfig.Logs(format, masks,
        s.intValue("logs.max-line-length", v -> v >= 16, "must be >= 16"),
        s.intValue("logs.mine-sample-lines", v -> v >= 100, "must be >= 100"),
        s.longValue("logs.mine-seed", v -> true, ""),
        drain, session, labels, generator);
  }

  private static void regex(Settings s, String key, String value) {
    try {
      Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      throw s.error(key, "must hold valid regular expressions: " + e.getDescription() + " in " + value);
    }
  }
}

package org.seqml.ingest.logs;

import java.util.List;
import java.util.Locale;

/**
 * The settings of Drain's loghub benchmark (logpai/logparser {@code benchmark/Drain_benchmark.py};
 * Zhu et al., ICSE-SEIP 2019) for the systems seqml reads, with the reference's {@code maxChild}
 * of 100. With these, Drain's published grouping accuracy on the 2k samples is HDFS 0.998,
 * BGL 0.963, Hadoop 0.948, Spark 0.920 and OpenSSH 0.788.
 */
public final class LoghubBenchmarks {
  private static final int MAX_CHILDREN = 100;

  private LoghubBenchmarks() {}

  public static LogParserSettings hdfs() {
    return settings("HDFS", "<Date> <Time> <Pid> <Level> <Component>: <Content>", 0.5, 4,
        "blk_-?\\d+", "(\\d+\\.){3}\\d+(:\\d+)?");
  }

  public static LogParserSettings bgl() {
    return settings("BGL",
        "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>", 0.5, 4,
        "core\\.\\d+");
  }

  public static LogParserSettings hadoop() {
    return settings("Hadoop", "<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>", 0.5, 4,
        "(\\d+\\.){3}\\d+");
  }

  public static LogParserSettings spark() {
    return settings("Spark", "<Date> <Time> <Level> <Component>: <Content>", 0.5, 4,
        "(\\d+\\.){3}\\d+", "\\b[KGTM]?B\\b", "([\\w-]+\\.){2,}[\\w-]+");
  }

  public static LogParserSettings openSsh() {
    return settings("OpenSSH", "<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>", 0.6, 5,
        "(\\d+\\.){3}\\d+", "([\\w-]+\\.){2,}[\\w-]+");
  }

  public static List<LogParserSettings> all() {
    return List.of(hdfs(), bgl(), hadoop(), spark(), openSsh());
  }

  /** The settings of a system by name, ignoring case; fails listing the known names. */
  public static LogParserSettings byName(String name) {
    return all().stream()
        .filter(s -> s.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no loghub benchmark settings for '" + name
            + "'; known: " + all().stream().map(LogParserSettings::name).toList()));
  }

  private static LogParserSettings settings(String name, String format, double st, int depth, String... masks) {
    return new LogParserSettings(name, LogFormat.of(format), Masking.of(masks), depth, st, MAX_CHILDREN);
  }
}

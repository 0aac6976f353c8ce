package org.seqml.config;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses and validates what only the series domain reads: its column roles, layout and generator. */
final class SeriesSettings {
  static final Set<String> CALENDAR = Set.of("hour", "day-of-week", "day-of-month", "month");

  private SeriesSettings() {}

  static SeqmlConfig.Series parse(Settings s, String source) {
    List<String> key = s.stringList("series.key");
    String time = s.string("series.time");
    List<String> targets = s.stringList("series.targets");
    List<String> past = s.stringList("series.past-covariates");
    List<String> future = s.stringList("series.future-covariates");
    List<String> staticNumeric = s.stringList("series.static");
    List<String> staticCategorical = s.stringList("series.static-categorical");
    String layout = s.oneOf("series.layout", Set.of("long", "wide"));
    boolean generated = source.equals("generator");
    if (!generated && targets.isEmpty()) {
      throw s.error("series.targets", "must name the target column(s) of the input");
    }
    if (!generated && layout.equals("long") && targets.size() > 1) {
      throw s.error("series.targets", "must name one target with series.layout = long (a forecast of several targets "
          + "at once is not supported: series.layout = wide makes each target column a series of its own)");
    }
    if (layout.equals("wide") && !key.isEmpty()) {
      throw s.error("series.key", "must be empty with series.layout = wide (the target columns' names are the keys)");
    }
    Set<String> seen = new HashSet<>();
    for (String column : concat(key, time.isBlank() ? List.of() : List.of(time), targets, past, future,
        staticNumeric, staticCategorical)) {
      if (!seen.add(column)) {
        throw s.error("series.targets", "and series.key, series.time, series.past-covariates, "
            + "series.future-covariates, series.static and series.static-categorical must name each column "
            + "once (" + column + " twice)");
      }
    }
    List<String> calendar = s.stringList("series.calendar");
    if (!CALENDAR.containsAll(calendar)) {
      throw s.error("series.calendar", "must be names from " + CALENDAR);
    }
    if (!calendar.isEmpty() && time.isBlank() && !generated) {
      throw s.error("series.calendar", "needs a time column (series.time) to read the calendar from");
    }
    Instant start;
    try {
      start = Instant.parse(s.string("series.generator.start"));
    } catch (DateTimeParseException e) {
      throw s.error("series.generator.start", "must be an ISO-8601 instant like 2024-01-01T00:00:00Z");
    }
    SeqmlConfig.SeriesGenerator generator = new SeqmlConfig.SeriesGenerator(
        s.intValue("series.generator.series", v -> v >= 1 && v <= 100_000, "must be in 1..100000"),
        s.intValue("series.generator.steps", v -> v >= 10, "must be >= 10"),
        s.longValue("series.generator.seed", v -> true, ""), start,
        s.intValue("series.generator.partitions", v -> v >= 1, "must be >= 1"));
    Duration frequency = Duration.ZERO;
    if (!s.string("series.frequency").isBlank()) {
      try {
        frequency = s.raw().getDuration("series.frequency");
      } catch (RuntimeException e) {
        throw s.error("series.frequency", "must be a duration such as 15m, 1h or 1d, or empty");
      }
      if (frequency.getSeconds() < 1 || frequency.getNano() != 0) {
        throw s.error("series.frequency", "must be a whole number of seconds, at least 1s");
      }
    }
    Map<String, String> aggregation = new LinkedHashMap<>();
    for (String entry : s.stringList("series.aggregation")) {
      String[] parts = entry.split("=", 2);
      if (parts.length != 2 || !Set.of("last", "mean", "sum").contains(parts[1].trim())) {
        throw s.error("series.aggregation", "must be entries \"column=how\" with how one of last, mean, sum");
      }
      aggregation.put(parts[0].trim(), parts[1].trim());
    }
    return new SeqmlConfig.Series(key, time, targets, past, layout, calendar, s.bool("series.header"),
        s.stringList("series.columns"), s.oneOf("series.duplicates", Set.of("reject", "mean")), frequency,
        Map.copyOf(aggregation), s.oneOf("series.fill", Set.of("ffill", "linear", "zero")), generator, future,
        staticNumeric, staticCategorical,
        s.intValue("series.static-buckets", v -> v >= 2 && v <= 1024, "must be in 2..1024"));
  }

  static SeqmlConfig.Forecast forecast(Settings s) {
    return new SeqmlConfig.Forecast(s.oneOf("forecast.scaling", Set.of("global", "per-key")),
        s.intValue("forecast.min-key-steps", v -> v >= 1, "must be >= 1"),
        s.intValue("forecast.season", v -> v >= 0, "must be >= 0 (0 = no seasonal-naive baseline)"),
        s.oneOf("forecast.target", Set.of("change", "level")),
        s.oneOf("forecast.reference", Set.of("none", "last")), quantiles(s),
        new SeqmlConfig.Backtest(s.intValue("backtest.folds", v -> v >= 1, "must be >= 1"),
            s.intValue("backtest.retrain-every", v -> v >= 1, "must be >= 1 (1 = a model per fold)")));
  }

  /** Ascending levels strictly between 0 and 1, the median among them (the point forecast), or none. */
  static List<Double> quantiles(Settings s) {
    List<Double> levels = s.doubleList("forecast.quantiles");
    for (int i = 0; i < levels.size(); i++) {
      if (!(levels.get(i) > 0 && levels.get(i) < 1) || i > 0 && levels.get(i) <= levels.get(i - 1)) {
        throw s.error("forecast.quantiles", "must be ascending levels strictly between 0 and 1, e.g. [0.1, 0.5, 0.9]");
      }
    }
    if (!levels.isEmpty() && !levels.contains(0.5)) {
      throw s.error("forecast.quantiles", "must include 0.5: the median is the point forecast (prediction)");
    }
    return levels;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
  }
}

package org.seqml.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Typed, validating reads from a resolved {@link Config}. Every failure names the key, the value
 * and the file (or --conf override) it came from, so a user can fix it without reading code.
 */
final class Settings {
  private final Config config;

  Settings(Config config) {
    this.config = config;
  }

  String origin(String key) {
    if (!config.hasPath(key)) {
      return "nowhere (missing)";
    }
    ConfigValue value = config.getValue(key);
    String description = value.origin().description();
    return description == null ? "unknown origin" : description;
  }

  private String rendered(String key) {
    return config.hasPath(key) ? config.getValue(key).render() : "<missing>";
  }

  ConfigError error(String key, String requirement) {
    return new ConfigError(
        key + " " + requirement + " (got " + rendered(key) + ") in " + origin(key));
  }

  String string(String key) {
    try {
      return config.getString(key);
    } catch (ConfigException e) {
      throw error(key, "must be a string");
    }
  }

  String oneOf(String key, Set<String> allowed) {
    String value = string(key);
    if (!allowed.contains(value)) {
      throw error(key, "must be one of " + allowed);
    }
    return value;
  }

  int intValue(String key, Predicate<Integer> valid, String requirement) {
    int value;
    requireWhole(key, config.hasPath(key) ? config.getValue(key) : null);
    try {
      value = config.getInt(key);
    } catch (ConfigException e) {
      throw error(key, "must be an integer");
    }
    if (!valid.test(value)) {
      throw error(key, requirement);
    }
    return value;
  }

  long longValue(String key, Predicate<Long> valid, String requirement) {
    long value;
    requireWhole(key, config.hasPath(key) ? config.getValue(key) : null);
    try {
      value = config.getLong(key);
    } catch (ConfigException e) {
      throw error(key, "must be an integer");
    }
    if (!valid.test(value)) {
      throw error(key, requirement);
    }
    return value;
  }

  /**
   * Refuses a fraction where a whole number belongs: Typesafe Config's getInt and getLong cut 1.5 to 1
   * without a word (train.epochs = 1.5 would train one epoch).
   */
  private void requireWhole(String key, ConfigValue value) {
    if (value == null) {
      return;
    }
    Object raw = value.unwrapped();
    boolean fraction;
    if (raw instanceof Double || raw instanceof Float) {
      double d = ((Number) raw).doubleValue();
      fraction = d != Math.rint(d);
    } else if (raw instanceof String text) {
      try {
        fraction = new java.math.BigDecimal(text.trim()).stripTrailingZeros().scale() > 0;
      } catch (NumberFormatException notANumber) {
        return; // getInt says "must be an integer"
      }
    } else {
      return;
    }
    if (fraction) {
      throw error(key, "must be a whole number, not " + raw);
    }
  }

  /** A duration ("120s", "2m"; a bare number is milliseconds). */
  java.time.Duration duration(String key, Predicate<java.time.Duration> valid, String requirement) {
    java.time.Duration value;
    try {
      value = config.getDuration(key);
    } catch (ConfigException e) {
      throw error(key, "must be a duration such as 120s or 5m");
    }
    if (!valid.test(value)) {
      throw error(key, requirement);
    }
    return value;
  }

  double doubleValue(String key, Predicate<Double> valid, String requirement) {
    double value;
    try {
      value = config.getDouble(key);
    } catch (ConfigException e) {
      throw error(key, "must be a number");
    }
    if (!Double.isFinite(value) || !valid.test(value)) {
      throw error(key, requirement);
    }
    return value;
  }

  boolean bool(String key) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException e) {
      throw error(key, "must be true or false");
    }
  }

  List<Integer> intList(String key) {
    if (config.hasPath(key) && config.getValue(key) instanceof com.typesafe.config.ConfigList list) {
      list.forEach(v -> requireWhole(key, v));
    }
    try {
      return List.copyOf(config.getIntList(key));
    } catch (ConfigException e) {
      throw error(key, "must be a list of integers");
    }
  }

  /** A single integer or a list of them (a single value as a list of one). */
  List<Integer> intOrList(String key) {
    if (config.hasPath(key) && config.getValue(key).valueType() == com.typesafe.config.ConfigValueType.NUMBER) {
      return List.of(intValue(key, v -> true, ""));
    }
    return intList(key);
  }

  List<Double> doubleList(String key) {
    try {
      return List.copyOf(config.getDoubleList(key));
    } catch (ConfigException e) {
      throw error(key, "must be a list of numbers");
    }
  }

  List<String> stringList(String key) {
    try {
      return List.copyOf(config.getStringList(key));
    } catch (ConfigException e) {
      throw error(key, "must be a list of strings");
    }
  }

  Config raw() {
    return config;
  }
}

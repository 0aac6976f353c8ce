package org.seqml.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigParseable;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code include "ticks.conf"} in a pipeline file: the file beside it first, then the shipped pipeline of
 * that name ({@code <home>/pipelines/}, then the jar's). A copy of a shipped pipeline kept anywhere thus
 * still finds the pipeline it builds on; an include found nowhere is a config error naming it, never an
 * empty layer (the default rule skips a missing include silently, and a copy of ticks-table.conf would
 * then run on reference.conf's defaults).
 */
final class PipelineIncluder implements ConfigIncluder {
  private final Path home;
  private ConfigIncluder fallback;

  PipelineIncluder(Path home) {
    this.home = home;
  }

  @Override
  public ConfigIncluder withFallback(ConfigIncluder fallback) {
    this.fallback = fallback;
    return this;
  }

  @Override
  public ConfigObject include(ConfigIncludeContext context, String what) {
    ConfigParseOptions options = context.parseOptions().setAllowMissing(false);
    ConfigParseable beside = context.relativeTo(what);
    if (beside != null) {
      try {
        return beside.parse(options);
      } catch (ConfigException.IO missing) {
        // not beside the including file: a shipped pipeline of that name, below
      }
    }
    Path shipped = home.resolve("pipelines").resolve(what);
    if (Files.isRegularFile(shipped)) {
      return ConfigFactory.parseFile(shipped.toFile(), options).root();
    }
    URL resource = PipelineIncluder.class.getClassLoader().getResource("pipelines/" + what);
    if (resource != null) {
      return ConfigFactory.parseURL(resource, options).root();
    }
    throw new ConfigError("include \"" + what + "\" found neither beside the file nor among the shipped pipelines ("
        + home.resolve("pipelines") + ")");
  }
}

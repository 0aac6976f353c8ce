package org.seqml.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a run's config from its layers: reference.conf, then pipelines/&lt;name&gt;.conf, then
 * conf/env/&lt;env&gt;.conf, then --conf overrides; each higher layer wins. Pipeline and env files
 * are looked up under the seqml home (the project or install folder), then on the classpath.
 */
public final class ConfigLoader {
  private final Path home;

  public ConfigLoader(Path home) {
    this.home = home;
  }

  /** The seqml home: -Dseqml.home, else $SEQML_HOME, else the working directory. */
  public static ConfigLoader fromEnvironment() {
    String home = System.getProperty("seqml.home", System.getenv("SEQML_HOME"));
    return new ConfigLoader(Path.of(home == null || home.isBlank() ? "." : home));
  }

  /**
   * Every key's default (reference.conf) as JSON: what a setting was before a config could name it, so
   * an artifact written before a key existed is compared with the key's default.
   */
  public static String defaultsJson() {
    return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf",
            ConfigParseOptions.defaults().setAllowMissing(false)).resolve().root()
        .render(com.typesafe.config.ConfigRenderOptions.concise());
  }

  /**
   * Loads and validates. {@code pipeline} is a name (pipelines/NAME.conf) or a path to a .conf
   * file; {@code env} may be null; {@code overrides} are key=value strings.
   */
  public SeqmlConfig load(String pipeline, String env, List<String> overrides) {
    Config resolved = resolved(pipeline, env, overrides);
    rejectUnknownKeys(resolved, reference());
    return SeqmlConfig.from(resolved);
  }

  /** reference.conf as parsed: every key with its default and its doc comment (origin comments). */
  public static Config reference() {
    return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf",
        ConfigParseOptions.defaults().setAllowMissing(false));
  }

  /** The layers resolved, not validated: every value keeps the origin (file and line, or --conf) it came from. */
  public Config resolved(String pipeline, String env, List<String> overrides) {
    Config reference = reference();
    Config layered = reference;
    if (pipeline != null && !pipeline.isBlank()) {
      Config pipelineLayer = parseLayer(pipeline, "pipelines", "pipeline");
      layered = pipelineLayer.withFallback(layered);
      if (!pipelineLayer.hasPath("pipeline")) {
        layered = ConfigFactory.parseString("pipeline = \"" + baseName(pipeline) + "\"",
            ConfigParseOptions.defaults().setOriginDescription("the --pipeline name"))
            .withFallback(layered);
      }
    }
    if (env != null && !env.isBlank()) {
      layered = parseLayer(env, "conf/env", "env").withFallback(layered);
    }
    for (String override : overrides == null ? List.<String>of() : overrides) {
      layered = parseOverride(override).withFallback(layered);
    }
    try {
      return layered.resolve();
    } catch (ConfigException e) {
      throw new ConfigError("config does not resolve: " + e.getMessage());
    }
  }

  /**
   * Every key seqml reads is in reference.conf, so any other key is a typo that would otherwise be
   * ignored in silence (a run with the defaults the user meant to change). spark.conf is free-form.
   */
  private static void rejectUnknownKeys(Config resolved, Config reference) {
    for (java.util.Map.Entry<String, String> retired : RETIRED.entrySet()) {
      if (resolved.hasPathOrNull(retired.getKey())) {
        throw new ConfigError(retired.getKey() + " is no longer read (in "
            + resolved.getValue(retired.getKey()).origin().description() + "): " + retired.getValue());
      }
    }
    List<String> known = reference.entrySet().stream().map(java.util.Map.Entry::getKey).toList();
    List<String> problems = resolved.entrySet().stream()
        .filter(e -> !e.getKey().startsWith("spark.conf.") && !reference.hasPathOrNull(e.getKey()))
        .map(e -> "'" + e.getKey() + "' (in " + e.getValue().origin().description() + ")"
            + closest(e.getKey(), known).map(k -> ": did you mean '" + k + "'?").orElse(""))
        .sorted()
        .toList();
    if (!problems.isEmpty()) {
      throw new ConfigError("unknown config key" + (problems.size() > 1 ? "s " : " ") + String.join(", ", problems)
          + "; seqml config --pipeline <name> --keys lists the keys a pipeline reads, --explain KEY what one means");
    }
  }

  /** Keys seqml once read, with what replaced them: a config that still sets one is refused, not ignored. */
  static final java.util.Map<String, String> RETIRED = java.util.Map.of(
      "detect.train-share", "every domain splits by split.train now (logs: the share of sessions that train)",
      "detect.validation-share", "every domain splits by split.validation now (logs: the share of sessions that validate)",
      "ingest.format", "renamed ingest.file-format (the input files' format: csv, parquet, json or orc)",
      "bio.format", "renamed bio.record-format (fasta or fastq)",
      "logs.format", "renamed logs.line-format (the loghub-style pattern of a raw log line)");

  /** The likely key meant: a few characters off, else the same leaf name in another section. */
  static java.util.Optional<String> closest(String key, List<String> known) {
    java.util.Optional<String> nearest = known.stream()
        .min(java.util.Comparator.comparingInt((String k) -> editDistance(key, k)))
        .filter(k -> editDistance(key, k) <= Math.max(2, key.length() / 4));
    return nearest.or(() -> known.stream().filter(k -> leaf(k).equals(leaf(key))).findFirst());
  }

  private static String leaf(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The name a pipeline file gives its pipeline when it sets none: the file name without .conf. */
  public static String baseName(String nameOrPath) {
    String name = new File(nameOrPath).getName();
    return name.endsWith(".conf") ? name.substring(0, name.length() - 5) : name;
  }

  private Config parseLayer(String nameOrPath, String folder, String what) {
    List<String> tried = new ArrayList<>();
    Path direct = Path.of(nameOrPath);
    if (nameOrPath.endsWith(".conf") || nameOrPath.contains(File.separator)) {
      tried.add(direct.toString());
      if (Files.isRegularFile(direct)) {
        return parseFile(direct);
      }
      throw new ConfigError("no " + what + " file " + direct.toAbsolutePath());
    }
    if (!nameOrPath.matches("[A-Za-z0-9._-]+")) {
      throw new ConfigError(what + " name '" + nameOrPath + "' must be a plain name or a path to a .conf file");
    }
    Path inHome = home.resolve(folder).resolve(nameOrPath + ".conf");
    tried.add(inHome.toAbsolutePath().toString());
    if (Files.isRegularFile(inHome)) {
      return parseFile(inHome);
    }
    String resource = folder + "/" + nameOrPath + ".conf";
    tried.add("classpath:" + resource);
    URL url = ConfigLoader.class.getClassLoader().getResource(resource);
    if (url != null) {
      return parse(() -> ConfigFactory.parseURL(url, strict().setOriginDescription(resource)), resource);
    }
    throw new ConfigError("unknown " + what + " '" + nameOrPath + "': looked in " + tried);
  }

  private ConfigParseOptions strict() {
    return ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF)
        .setIncluder(new PipelineIncluder(home));
  }

  private Config parseFile(Path file) {
    String shown = displayPath(file);
    return parse(() -> ConfigFactory.parseFile(file.toFile(), strict().setOriginDescription(shown)), shown);
  }

  private String displayPath(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    Path base = home.toAbsolutePath().normalize();
    return absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
  }

  private static Config parse(java.util.function.Supplier<Config> parser, String where) {
    try {
      return parser.get();
    } catch (ConfigException e) {
      throw new ConfigError("cannot parse " + where + ": " + e.getMessage());
    } catch (ConfigError e) {
      throw new ConfigError(where + ": " + e.getMessage()); // from an include: name the file that holds it
    }
  }

  private static Config parseOverride(String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError("--conf '" + override + "' must look like key=value");
    }
    String key = override.substring(0, eq).trim();
    String value = override.substring(eq + 1).trim();
    String origin = "--conf " + override;
    // Unquoted HOCON would cut a path at "//" or "#": anything that is not a number, boolean, list,
    // object or quoted string is taken as a plain string.
    boolean literal = value.matches("-?\\d+(\\.\\d+)?([eE]-?\\d+)?|true|false|null")
        || value.startsWith("[") || value.startsWith("{") || value.startsWith("\"");
    String hocon = literal ? value : com.typesafe.config.ConfigValueFactory.fromAnyRef(value).render();
    try {
      return ConfigFactory.parseString(key + " = " + hocon, ConfigParseOptions.defaults().setOriginDescription(origin));
    } catch (ConfigException e) {
      throw new ConfigError("--conf '" + override + "' is not valid: " + e.getMessage());
    }
  }
}

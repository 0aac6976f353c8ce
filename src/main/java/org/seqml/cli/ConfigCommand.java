package org.seqml.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.seqml.config.ConfigError;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.pipeline.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the resolved, validated config without starting Spark, or explains its keys. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Validate and print the resolved config (all layers applied) and the plan: every table the "
        + "phases write with its schema, checked against what the task reads; without starting Spark. "
        + "--explain KEY says what a key means, its default, its value here and which layer set it; --keys lists "
        + "the keys the pipeline's domain and task read.")
final class ConfigCommand implements Callable<Integer> {
  @Mixin CommonOptions options;
  @Spec CommandSpec spec;

  @Option(names = "--explain", paramLabel = "KEY", description = "What KEY means, its default, value and origin.")
  String explain;

  @Option(names = "--keys", description = "The keys this pipeline's domain and task read, each with its value.")
  boolean keys;

  @Option(names = "--reference", description = "The configuration reference (docs/configuration.md) as Markdown.")
  boolean reference;

  /** Sections only some domains or tasks read (the rest every run reads). */
  private static final Map<String, String> SECTION_OF = Map.of(
      "logs", "domain logs", "bio", "domain bio", "series", "domain series", "features", "domain ticks",
      "detect", "task next-event", "classify", "task classify", "forecast", "task forecast",
      "backtest", "task forecast");

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (reference) {
      out.print(org.seqml.config.ConfigReference.markdown());
      out.flush();
      return 0;
    }
    SeqmlConfig config = options.config(); // validates first: a bad layer is a config error either way
    if (explain != null) {
      explain(out, explain);
      return 0;
    }
    if (keys) {
      keys(out, config);
      return 0;
    }
    out.println(config.resolvedJson());
    out.println("# config hash " + config.configHash());
    out.println("# plan: " + String.join("\n#   ", Plan.of(config).describe()));
    return 0;
  }

  private Config resolved() {
    return ConfigLoader.fromEnvironment().resolved(options.pipeline(), options.env, options.allOverrides());
  }

  private void explain(PrintWriter out, String key) {
    Config reference = ConfigLoader.reference();
    if (!reference.hasPathOrNull(key)) {
      throw new ConfigError("no key '" + key + "': seqml config --keys lists the keys this pipeline reads");
    }
    ConfigValue doc = reference.getValue(key);
    ConfigValue now = resolved().getValue(key);
    out.println(key);
    for (String line : doc.origin().comments()) {
      out.println("  " + line.trim());
    }
    out.println("  default: " + render(doc));
    out.println("  value:   " + render(now));
    String origin = now.origin().description();
    out.println("  set by:  " + (origin.contains("reference.conf") ? "the default (reference.conf)" : origin));
  }

  private void keys(PrintWriter out, SeqmlConfig config) {
    Config resolved = resolved();
    List<String> read = new ArrayList<>();
    for (String key : new TreeSet<>(ConfigLoader.reference().entrySet().stream().map(Map.Entry::getKey).toList())) {
      String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
      String needs = SECTION_OF.get(section);
      boolean reads = needs == null
          || needs.equals("domain " + config.ingest().domain()) || needs.equals("task " + config.task());
      if (reads) {
        read.add(key + " = " + render(resolved.getValue(key)));
      }
    }
    out.println("# the keys " + config.pipeline() + " (domain " + config.ingest().domain() + ", task " + config.task()
        + ") reads; seqml config --explain KEY says what one means");
    read.forEach(out::println);
  }

  private static String render(ConfigValue v) {
    return v.render(ConfigRenderOptions.concise());
  }
}

package org.seqml.cli;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.seqml.config.ConfigError;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import picocli.CommandLine.Option;

/** Options every phase command takes. */
public final class CommonOptions {
  @Option(names = {"-p", "--pipeline"},
      description = "Pipeline name (pipelines/NAME.conf) or path to a .conf file; its name is the file's unless "
          + "the file sets pipeline = ... Needed by every command but run (which defaults to ticks).")
  String pipeline;

  /** The command this mixin belongs to. */
  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = {"-e", "--env"}, description = "Environment layer: conf/env/NAME.conf or a path (e.g. local, cluster).")
  String env;

  @Option(names = {"-c", "--conf"}, paramLabel = "KEY=VALUE",
      description = "Override one setting, e.g. --conf train.epochs=3 (repeatable; wins over every file).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--resume",
      description = "Continue training from the newest valid checkpoint (same config; sets train.resume=true).")
  boolean resume;

  @Option(names = "--verbose",
      description = "Print the stack trace behind an expected refusal (exit 1, 2 or 3) and seqml's debug log.")
  boolean verbose;

  @Option(names = "--ds", paramLabel = "YYYY-MM-DD",
      description = "The partition to write (and read). Default: today in UTC.")
  String ds;

  SeqmlConfig config() {
    SeqmlConfig config = ConfigLoader.fromEnvironment().load(pipeline(), env, allOverrides());
    String fileName = ConfigLoader.baseName(pipeline());
    if (!fileName.equals(config.pipeline())) {
      // A copied pipelines/ticks.conf keeps its pipeline = "ticks": it would write over out/ticks/ unannounced.
      System.err.println("seqml: note: " + pipeline() + " names its pipeline \"" + config.pipeline()
          + "\" (pipeline = ...), so its outputs go to " + config.outputDir() + "/" + config.pipeline() + "/");
    }
    return config;
  }

  /** --pipeline, or ticks for run; every other command acts on outputs and must say whose. */
  String pipeline() {
    if (pipeline != null) {
      return pipeline;
    }
    String name = command == null ? "run" : command.name();
    if (name.equals("run")) {
      return "ticks";
    }
    throw new ConfigError("seqml " + name + " needs --pipeline NAME (a pipelines/NAME.conf or a path to a .conf file)");
  }

  /** The --conf settings, and train.resume=true with --resume. */
  List<String> allOverrides() {
    List<String> all = new ArrayList<>(overrides);
    if (resume) {
      all.add("train.resume=true");
    }
    return all;
  }

  String ds() {
    if (ds == null) {
      return LocalDate.now(ZoneOffset.UTC).toString();
    }
    try {
      return LocalDate.parse(ds).toString();
    } catch (RuntimeException e) {
      throw new ConfigError("--ds must be a date like 2024-03-04 (got '" + ds + "')");
    }
  }
}

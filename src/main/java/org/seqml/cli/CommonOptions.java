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
  @Option(names = {"-p", "--pipeline"}, defaultValue = "ticks",
      description = "Pipeline name (pipelines/NAME.conf) or path to a .conf file. Default: ${DEFAULT-VALUE}.")
  String pipeline;

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
    return ConfigLoader.fromEnvironment().load(pipeline, env, allOverrides());
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

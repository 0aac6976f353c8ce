package org.seqml.cli;

import java.util.concurrent.Callable;
import org.seqml.config.SeqmlConfig;
import org.seqml.pipeline.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the resolved, validated config without starting Spark. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Validate and print the resolved config (all layers applied) and the plan: every table the "
        + "phases write with its schema, checked against what the task reads; without starting Spark.")
final class ConfigCommand implements Callable<Integer> {
  @Mixin CommonOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    SeqmlConfig config = options.config();
    spec.commandLine().getOut().println(config.resolvedJson());
    spec.commandLine().getOut().println("# config hash " + config.configHash());
    spec.commandLine().getOut().println("# plan: " + String.join("\n#   ", Plan.of(config).describe()));
    return 0;
  }
}

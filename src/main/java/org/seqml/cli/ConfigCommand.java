package org.seqml.cli;

import java.util.concurrent.Callable;
import org.seqml.config.SeqmlConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints the resolved, validated config without starting Spark. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Validate and print the resolved config (all layers applied) without starting Spark.")
final class ConfigCommand implements Callable<Integer> {
  @Mixin CommonOptions options;

  @Override
  public Integer call() {
    SeqmlConfig config = options.config();
    System.out.println(config.resolvedJson());
    System.out.println("# config hash " + config.configHash());
    return 0;
  }
}

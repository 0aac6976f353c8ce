package org.seqml.cli;

import org.seqml.config.ConfigError;
import org.seqml.ingest.InputError;
import org.seqml.util.Refusal;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the seqml jar and of submit/seqml. */
@Command(name = "seqml", mixinStandardHelpOptions = true, versionProvider = SeqmlMain.Version.class,
    description = "Sequence models on Spark: ingest -> window -> train -> score -> evaluate.",
    subcommands = {Commands.Run.class, Commands.Ingest.class, Commands.Window.class, Commands.Train.class,
        Commands.Score.class, Commands.Evaluate.class, Commands.Report.class, Commands.Backtest.class, Commands.CrossValidate.class, ConfigCommand.class,
        org.seqml.bench.BenchCommand.class})
public final class SeqmlMain implements Runnable {
  /** Exit code of an invalid setting (nothing was started). */
  public static final int CONFIG_ERROR = 2;
  /** Exit code of a broken input file or schema. */
  public static final int INPUT_ERROR = 3;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (no System.exit, for tests). */
  public static int execute(String... args) {
    return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** As {@link #execute(String...)}, printing to the given writers. */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new SeqmlMain()).setOut(out).setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      Throwable cause = rootCause(e);
      int code = cause instanceof ConfigError ? CONFIG_ERROR : cause instanceof InputError ? INPUT_ERROR
          : cause instanceof Refusal ? 1 : -1;
      if (code < 0) { // not an expected refusal: a fault, with its trace
        commandLine.getErr().println("seqml: failed: " + e);
        e.printStackTrace(commandLine.getErr());
        return 1;
      }
      String kind = code == CONFIG_ERROR ? "config error: " : code == INPUT_ERROR ? "input error: " : "";
      commandLine.getErr().println("seqml: " + kind + cause.getMessage());
      if (verbose(parsed)) {
        e.printStackTrace(commandLine.getErr());
      } else {
        LoggerFactory.getLogger(SeqmlMain.class).debug("the trace behind: {}", cause.getMessage(), e);
      }
      return code;
    });
    return cli.execute(args);
  }

  /** Finds the first seqml error or refusal in a chain (Spark wraps task failures). */
  static Throwable rootCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigError) {
        return t;
      }
    }
    InputError input = InputError.in(e);
    if (input != null) {
      return input;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Refusal) {
        return t;
      }
    }
    return e;
  }

  /** Whether the command line (or the subcommand it ran) has --verbose. */
  static boolean verbose(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"seqml " + org.seqml.run.CodeVersion.get()};
    }
  }
}

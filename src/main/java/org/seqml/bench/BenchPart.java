package org.seqml.bench;

import org.seqml.io.Json;

/**
 * Runs one measure in this JVM and prints its result as the last line, "BENCH-RESULT {json}".
 * Started by {@link BenchCommand} as a child JVM per measure, so thread settings, heap peaks and
 * SparkContexts never leak from one measure into another.
 */
public final class BenchPart {
  static final String PREFIX = "BENCH-RESULT ";

  private BenchPart() {}

  public static void main(String[] args) throws Exception {
    Params p = Params.fromArgs(args);
    if (args[0].equals("memory-run")) {
      MemoryBench.child(p, Integer.parseInt(args[5]), Integer.parseInt(args[6]));
      System.exit(0);
    }
    if (args[0].equals("lstm-profile")) {
      StepBench.profileLstm();
      System.exit(0);
    }
    if (args[0].equals("scaling-driver")) {
      ScalingBench.driver(p, Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]));
      System.exit(0);
    }
    if (args[0].equals("ceiling-fit")) {
      MachineCeiling.child(Integer.parseInt(args[5]), Double.parseDouble(args[6]), java.nio.file.Path.of(args[7]),
          Integer.parseInt(args[8]));
      System.exit(0);
    }
    Result r = switch (args[0]) {
      case "lstm" -> StepBench.lstm(p);
      case "transformer" -> StepBench.transformer(p);
      case "gru" -> StepBench.gru(p);
      case "cnn" -> StepBench.cnn(p);
      case "averaging" -> SparkBench.averaging(p);
      case "exchange" -> ExchangeBench.run(p);
      case "scoring" -> SparkBench.scoring(p);
      case "windowing" -> PipelineBench.windowing(p);
      case "accuracy" -> PipelineBench.accuracy(p);
      case "memory" -> MemoryBench.run(p);
      case "scaling" -> ScalingBench.run(p);
      case "e2e" -> E2eBench.run(p);
      default -> throw new IllegalArgumentException("unknown measure " + args[0]);
    };
    Children.printResult(PREFIX, r.toJson());
    System.exit(0); // Spark and ND4J leave non-daemon threads behind
  }
}

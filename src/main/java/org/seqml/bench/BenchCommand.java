package org.seqml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.seqml.io.Json;
import org.seqml.run.CodeVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * seqml bench: measures seqml against its peers and its limits. Each measure runs in a child JVM
 * (same class path and JVM flags as this one) with OMP_NUM_THREADS set to --threads; results go to
 * out/bench/results.json and a Markdown table to out/bench/results.md (and, with --update-docs, to
 * docs/BENCHMARKS.md between its result markers). Never part of the tests; never fails on timing.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: each figure a ratio of two sides measured in one run (see docs/BENCHMARKS.md).")
public final class BenchCommand implements Callable<Integer> {
  static final List<String> ALL = List.of("lstm", "transformer", "gru", "cnn", "averaging", "exchange", "scaling", "scoring", "windowing",
      "memory", "accuracy");
  /** Measures run only when named with --only: the end-to-end comparison takes most of an hour at full size. */
  static final List<String> ON_REQUEST = List.of("e2e");

  @Option(names = "--only", split = ",", description = "Measures to run (default: all): ${COMPLETION-CANDIDATES}")
  List<String> only = new ArrayList<>();

  @Option(names = "--quick", description = "Small sizes: a few minutes for all measures.")
  boolean quick;

  @Option(names = "--threads", defaultValue = "1",
      description = "Threads of both sides of the step measures (OMP_NUM_THREADS, torch.set_num_threads). Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--reps", description = "Repetitions per side (default: 3 quick, 5 full).")
  Integer reps;

  @Option(names = "--out", defaultValue = "out/bench", description = "Output folder. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = {"-c", "--conf"}, paramLabel = "KEY=VALUE",
      description = "A pipeline setting for every measure that builds on the ticks config (repeatable), to measure a tuning before and after.")
  List<String> conf = new ArrayList<>();

  @Option(names = "--update-docs", description = "Rewrite the results table of docs/BENCHMARKS.md.")
  boolean updateDocs;

  @Option(names = "--command-line", hidden = true, description = "The command line to record (set by submit/seqml).")
  String commandLine;

  @Override
  public Integer call() throws Exception {
    List<String> measures = only.isEmpty() ? ALL : only;
    for (String m : measures) {
      if (!ALL.contains(m) && !ON_REQUEST.contains(m)) {
        throw new org.seqml.config.ConfigError("bench --only: unknown measure '" + m + "'; known: " + ALL + " and, "
            + "only when named, " + ON_REQUEST);
      }
    }
    Params p = new Params(quick, threads, reps != null ? reps : (quick ? 3 : 5), out.toAbsolutePath());
    Files.createDirectories(out.resolve("logs"));
    ObjectNode doc = Json.object();
    doc.put("started", Instant.now().toString());
    doc.put("git_commit", CodeVersion.get());
    doc.put("command", commandLine != null ? commandLine : "seqml bench " + String.join(" ", measures));
    doc.put("size", quick ? "quick" : "full");
    doc.set("machine", Machine.describe());
    ObjectNode jvm = doc.putObject("jvm");
    jvm.put("flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    jvm.put("child_omp_num_threads", threads);
    jvm.put("reps_per_side", p.reps());
    ArrayNode confs = doc.putArray("conf_overrides");
    conf.forEach(confs::add);
    ArrayNode results = doc.putArray("measures");
    Path resultsFile = out.resolve("results.json");
    for (String m : measures) {
      System.out.printf("bench: %s (%s, %d threads, %d reps) ...%n", m, p.quick() ? "quick" : "full", threads,
          p.reps());
      long t0 = System.nanoTime();
      JsonNode r = runChild(m, p, conf);
      ((ObjectNode) r).put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
      results.add(r);
      System.out.println("bench: " + Table.line(r));
      doc.put("finished", Instant.now().toString());
      Files.writeString(resultsFile, Json.MAPPER.writeValueAsString(doc) + "\n");
    }
    String table = Table.markdown(doc);
    Files.writeString(out.resolve("results.md"), table);
    System.out.println();
    System.out.println(table);
    System.out.println("bench: wrote " + resultsFile + " and " + out.resolve("results.md"));
    if (updateDocs) {
      Table.updateDocs(Path.of(System.getProperty("seqml.home", ".")).resolve("docs/BENCHMARKS.md"), table);
    }
    return 0;
  }

  private static JsonNode runChild(String measure, Params p, List<String> conf)
      throws IOException, InterruptedException {
    List<String> cmd = Children.javaCommand(List.of(BenchConfig.property(conf)), BenchPart.class.getName(),
        List.of(p.toArgs(measure)));
    Path log = p.out().resolve("logs").resolve(measure + ".log");
    JsonNode result = Children.run(cmd, java.util.Map.of("OMP_NUM_THREADS", Integer.toString(p.threads())), log,
        BenchPart.PREFIX, measure + " ");
    if (result == null) {
      ObjectNode failed = Json.object();
      failed.put("name", measure);
      failed.put("error", "no result; log: " + log);
      return failed;
    }
    return result;
  }
}

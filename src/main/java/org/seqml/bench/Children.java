package org.seqml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.seqml.io.Json;

/** Starts a bench main in a JVM of its own (this JVM's flags and class path) and reads its result line. */
final class Children {
  private Children() {}

  static List<String> javaCommand(List<String> extraFlags, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(extraFlags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /** A child's result line, which {@link #run} finds by its prefix: the JSON on one line. */
  static void printResult(String prefix, JsonNode result) throws IOException {
    System.out.println(prefix + Json.MAPPER.writer().without(
        com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
  }

  /**
   * Runs the command with the extra environment, copies its output to {@code log} (lines starting
   * with {@code echoPrefix} also to stdout), and returns the JSON after {@code resultPrefix} on its
   * last such line, or null.
   */
  static JsonNode run(List<String> cmd, Map<String, String> env, Path log, String resultPrefix, String echoPrefix)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Files.createDirectories(log.getParent());
    Process child = pb.start();
    String result = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
      for (String line; (line = r.readLine()) != null; ) {
        w.println(line);
        if (line.startsWith(resultPrefix)) {
          result = line.substring(resultPrefix.length());
        } else if (echoPrefix != null && line.startsWith(echoPrefix)) {
          System.out.println(line);
        }
      }
    }
    child.waitFor();
    return result == null ? null : Json.MAPPER.readTree(result);
  }
}

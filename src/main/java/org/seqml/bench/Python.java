package org.seqml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seqml.io.Json;

/** Runs a script of bench/ in the benchmark's Python environment and reads its last JSON line. */
final class Python {
  private final Path python;
  private final Path scripts;

  Python(Path python, Path scripts) {
    this.python = python;
    this.scripts = scripts;
  }

  static Python fromProperties() {
    String py = System.getProperty("seqml.bench.python");
    if (py == null || py.isBlank()) {
      throw new IllegalStateException("no Python for the PyTorch peer: run through `submit/seqml bench`, "
          + "which creates out/bench/venv with bench/ensure-venv.sh");
    }
    return new Python(Path.of(py), Path.of(System.getProperty("seqml.home", "."), "bench"));
  }

  JsonNode run(String script, int threads, String... args) {
    List<String> cmd = new ArrayList<>(List.of(python.toString(), scripts.resolve(script).toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    pb.environment().put("MKL_NUM_THREADS", Integer.toString(threads));
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      String[] lines = out.strip().split("\n");
      if (code != 0 || lines.length == 0 || !lines[lines.length - 1].startsWith("{")) {
        throw new IllegalStateException(script + " failed (exit " + code + "): " + out);
      }
      System.out.print(out);
      return Json.MAPPER.readTree(lines[lines.length - 1]);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

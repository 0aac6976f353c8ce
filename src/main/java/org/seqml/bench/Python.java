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

  Path executable() {
    return python;
  }

  ProcessBuilder builder(String script, int threads, String... args) {
    List<String> cmd = new ArrayList<>(List.of(python.toString(), scripts.resolve(script).toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    pb.environment().put("MKL_NUM_THREADS", Integer.toString(threads));
    return pb;
  }

  /**
   * Starts a script that answers requests: it prints one JSON line when ready, then one per line it is
   * sent (bench/torch_step.py --serve). Its start-up (Python, torch's import, warm-up) is paid once.
   */
  Server serve(String script, int threads, String... args) {
    ProcessBuilder pb = builder(script, threads, args);
    try {
      Server server = new Server(script, pb.start());
      server.readLine(); // {"ready": true}
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + pb.command(), e);
    }
  }

  /** A running script of {@link #serve}; close() ends its input and waits for it. */
  static final class Server implements AutoCloseable {
    private final String script;
    private final Process process;
    private final java.io.BufferedReader out;
    private final java.io.Writer in;

    private Server(String script, Process process) {
      this.script = script;
      this.process = process;
      this.out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
      this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    JsonNode request(String line) {
      try {
        in.write(line + "\n");
        in.flush();
        return readLine();
      } catch (IOException e) {
        throw new IllegalStateException(script + " stopped answering", e);
      }
    }

    private JsonNode readLine() throws IOException {
      String line = out.readLine();
      if (line == null || !line.startsWith("{")) {
        throw new IllegalStateException(script + " gave no JSON line (exit " + (process.isAlive() ? "none yet"
            : process.exitValue()) + "): " + line);
      }
      return Json.MAPPER.readTree(line);
    }

    @Override
    public void close() {
      try {
        in.close();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  JsonNode run(String script, int threads, String... args) {
    ProcessBuilder pb = builder(script, threads, args);
    List<String> cmd = pb.command();
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

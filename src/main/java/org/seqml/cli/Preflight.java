package org.seqml.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.stream.Stream;
import org.seqml.config.ConfigError;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.InputError;

/**
 * What can be checked before Spark starts, for paths on this machine's file system (a Hadoop URI is
 * checked when Spark reaches it, with the cluster's credentials): output.dir can be written (a config
 * error, exit 2), and a command that ingests finds its input path or glob (an input error, exit 3).
 */
final class Preflight {
  private Preflight() {}

  static void outputWritable(SeqmlConfig config) {
    Path dir = local(config.outputDir());
    if (dir == null) {
      return;
    }
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".seqml-write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException | RuntimeException e) {
      throw new ConfigError("output.dir " + config.outputDir() + " cannot be written: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    }
  }

  static void inputPresent(SeqmlConfig config) {
    String path = config.ingest().path();
    if (config.ingest().source().equals("generator") || path.isBlank()
        || (config.ingest().domain().equals("series") && config.ingest().source().equals("table"))) {
      return; // the generator writes its own; a series table is a catalog name
    }
    Path local = local(path);
    if (local == null) {
      return;
    }
    String text = local.toString();
    int glob = indexOfGlob(text);
    if (glob < 0) {
      if (!Files.exists(local)) {
        throw new InputError(path, 0, "no such file or folder (ingest.path)");
      }
      return;
    }
    Path base = Path.of(text.substring(0, text.lastIndexOf('/', glob) + 1).isEmpty() ? "."
        : text.substring(0, text.lastIndexOf('/', glob) + 1));
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + text);
    try (Stream<Path> files = Files.exists(base) ? Files.walk(base) : Stream.empty()) {
      if (files.noneMatch(matcher::matches)) {
        throw new InputError(path, 0, "matches no file (ingest.path)");
      }
    } catch (IOException e) {
      throw new InputError(path, 0, "cannot be listed: " + e.getMessage());
    }
  }

  /** A local path (no scheme, or file:), or null for a Hadoop URI. */
  static Path local(String path) {
    if (path.startsWith("file:")) {
      return Path.of(java.net.URI.create(path.startsWith("file://") ? path : "file://" + path.substring(5)));
    }
    return path.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") ? null : Path.of(path).toAbsolutePath().normalize();
  }

  private static int indexOfGlob(String s) {
    for (int i = 0; i < s.length(); i++) {
      if ("*?[{".indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}

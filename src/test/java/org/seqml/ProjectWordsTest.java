package org.seqml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project speaks of the product: docs, code, comments, configs, notebooks and scripts date nothing by a
 * numbered period of work on it. A figure carries its date, commit and machine; history lives in git.
 */
class ProjectWordsTest {
  static final Pattern HISTORY = Pattern.compile(
      "(?i)\\b(sessions? \\d+(-\\d+)?|(this|that|previous|last|next|earlier) session|since session)\\b");
  private static final List<String> ROOTS = List.of("README.md", "docs", "src", "bench", "submit", "pipelines",
      "conf", "notebooks", ".ci", "pom.xml");

  static List<String> findings(Path root) {
    List<String> found = new ArrayList<>();
    for (String name : ROOTS) {
      Path start = root.resolve(name);
      if (!Files.exists(start)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(start)) {
        files.filter(Files::isRegularFile).filter(ProjectWordsTest::text)
            .filter(f -> !f.getFileName().toString().equals("ProjectWordsTest.java")) // its own pattern
            .forEach(f -> {
          try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
              Matcher m = HISTORY.matcher(lines.get(i));
              if (m.find()) {
                found.add(root.relativize(f) + ":" + (i + 1) + ": \"" + m.group() + "\"");
              }
            }
          } catch (IOException | UncheckedIOException notText) {
            // binary or not UTF-8: not prose
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  private static boolean text(Path f) {
    String n = f.getFileName().toString();
    return n.matches(".*\\.(java|md|conf|py|sh|zpln|properties|xml|txt|toml|cfg|json|scala)$") || !n.contains(".");
  }

  @Test
  void noWordOfHowTheProjectWasMade() {
    assertEquals(List.of(), findings(Path.of(".")), "development history in the product's text");
  }
}

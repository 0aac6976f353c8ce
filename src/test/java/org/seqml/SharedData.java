package org.seqml;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** ../shared/data, the real data sets beside the project; tests that need it skip when it is absent. */
public final class SharedData {
  private SharedData() {}

  public static Path require(String relative) {
    String base = System.getProperty("seqml.shared.data", "../shared/data");
    Path path = Path.of(base).resolve(relative);
    Assumptions.assumeTrue(Files.exists(path), "shared data not present: " + path);
    return path;
  }
}

package org.seqml.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the code that made an output: Maven version plus git commit, from the build. */
public final class CodeVersion {
  private static final String VERSION = load();

  private CodeVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    Properties props = new Properties();
    try (InputStream in = CodeVersion.class.getResourceAsStream("/seqml-version.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    String version = props.getProperty("version", "unknown");
    String commit = props.getProperty("commit", "");
    boolean resolved = !commit.isBlank() && !commit.startsWith("${");
    String dirty = "true".equals(props.getProperty("dirty")) ? ".dirty" : "";
    return resolved ? version + "+" + commit + dirty : version;
  }
}

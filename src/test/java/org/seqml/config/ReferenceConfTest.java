package org.seqml.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every key in reference.conf has a default and a doc comment, and the defaults are valid. */
class ReferenceConfTest {
  @Test
  void everyKeyHasADocComment() {
    Config reference = ConfigFactory.parseFile(new File("src/main/resources/reference.conf"));
    List<String> undocumented = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
      boolean documented = e.getValue().origin().comments().stream().anyMatch(c -> !c.isBlank());
      if (!documented) {
        undocumented.add(e.getKey());
      }
    }
    assertTrue(reference.entrySet().size() > 30, "reference.conf looks truncated");
    assertTrue(undocumented.isEmpty(), "keys without a doc comment in reference.conf: " + undocumented);
  }

  @Test
  void theConfigurationReferencePageIsCurrent() throws java.io.IOException {
    String page = java.nio.file.Files.readString(java.nio.file.Path.of("docs/configuration.md"));
    org.junit.jupiter.api.Assertions.assertEquals(ConfigReference.markdown(), page,
        "docs/configuration.md differs from reference.conf: regenerate it with "
            + "submit/seqml config --reference > docs/configuration.md");
  }

  @Test
  void defaultsAloneAreAValidConfig() {
    SeqmlConfig config = new ConfigLoader(new File(".").toPath()).load(null, null, List.of());
    assertTrue(config.train().epochs() > 0);
  }
}

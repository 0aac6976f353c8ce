package org.seqml.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.seqml.run.RunContext;

/** What every run report must be: a page with embedded charts that loads nothing from the network. */
final class ReportAssertions {
  private ReportAssertions() {}

  static void assertOfflineReportWithCharts(RunContext run, String modelId) throws IOException {
    String html = Files.readString(Path.of(run.layout().root(), "report", "index.html"));
    int charts = html.split("src=\"data:image/png;base64,", -1).length - 1;
    assertTrue(charts >= 2, "charts embedded: " + charts);
    assertFalse(html.contains("http://") || html.contains("https://"), "the page loads nothing from the network");
    assertTrue(html.contains(modelId), "the report names its model");
  }
}

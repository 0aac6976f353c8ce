package org.seqml.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.seqml.report.HeadlessChromium;
import org.seqml.run.RunContext;

/**
 * What every run report must be: a page with embedded charts that loads nothing from the network and,
 * opened in headless Chromium, shows every chart without a console error.
 */
final class ReportAssertions {
  private ReportAssertions() {}

  static void assertOfflineReportWithCharts(RunContext run, String modelId) throws IOException {
    String html = Files.readString(Path.of(run.layout().root(), "report", "index.html"));
    int charts = html.split("src=\"data:image/png;base64,", -1).length - 1;
    assertTrue(charts >= 2, "charts embedded: " + charts);
    assertFalse(html.contains("http://") || html.contains("https://"), "the page loads nothing from the network");
    assertTrue(html.contains(modelId), "the report names its model");
    // the data that came in, as the ingest's manifests count it, and the executors as a table
    com.fasterxml.jackson.databind.JsonNode rows = org.seqml.io.PartitionSink.manifest(run, org.seqml.io.Layout.REJECTS)
        .get("rows");
    for (String k : new String[] {"in", "accepted", "rejected"}) {
      assertTrue(html.contains("<tr><td>" + k + "</td><td>" + rows.get(k).asLong() + "</td>"),
          "the data section counts " + k + " as the manifests do (" + rows + ")");
    }
    assertFalse(html.contains("executors: {"), "executors as raw JSON");
    assertTrue(html.contains("<h3>Accepted rows by "), "the data section breaks accepted rows down by key or class");
    // and in a real browser: every chart decodes, nothing is logged to the console
    if (HeadlessChromium.executable() != null) {
      HeadlessChromium.Rendered page;
      try {
        page = HeadlessChromium.render(Path.of(run.layout().root(), "report", "index.html"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      assertEquals(charts, page.images(), "images the browser found");
      assertEquals(List.of(), page.problems(), "what went wrong in the browser");
    } else {
      System.err.println("report not opened in a browser: chromium absent (src/test/browser/ensure-chromium)");
    }
  }
}

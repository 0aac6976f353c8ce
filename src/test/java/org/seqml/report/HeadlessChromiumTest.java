package org.seqml.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser check the run reports go through catches what it claims to: broken images and console errors. */
class HeadlessChromiumTest {
  @TempDir static Path dir;
  static String png;

  @BeforeAll
  static void chromiumAndAnImage() throws Exception {
    assumeTrue(HeadlessChromium.executable() != null, "chromium absent (src/test/browser/ensure-chromium)");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", bytes);
    png = "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  private static HeadlessChromium.Rendered render(String body) throws Exception {
    Path page = Files.writeString(dir.resolve("p" + System.nanoTime() + ".html"),
        "<!doctype html><html><head><meta charset=\"utf-8\"></head><body>" + body + "</body></html>");
    return HeadlessChromium.render(page);
  }

  @Test
  void aGoodPageHasNoProblems() throws Exception {
    HeadlessChromium.Rendered r = render("<p><img alt=\"chart\" src=\"" + png + "\"></p>");
    assertEquals(1, r.images());
    assertEquals(java.util.List.of(), r.problems());
  }

  @Test
  void aBrokenImageIsReported() throws Exception {
    HeadlessChromium.Rendered r = render("<img alt=\"good\" src=\"" + png + "\"><img alt=\"bad\" "
        + "src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAQ\">");
    assertEquals(2, r.images());
    assertTrue(r.problems().stream().anyMatch(p -> p.contains("bad")), "problems: " + r.problems());
    assertTrue(r.problems().stream().noneMatch(p -> p.contains("good")), "problems: " + r.problems());
  }

  @Test
  void consoleErrorsAndThrownErrorsAreReported() throws Exception {
    HeadlessChromium.Rendered r = render("<script>console.error('chart data missing')</script>"
        + "<script>undefinedFunction()</script>");
    assertTrue(r.problems().stream().anyMatch(p -> p.contains("chart data missing")), "problems: " + r.problems());
    assertTrue(r.problems().stream().anyMatch(p -> p.contains("undefinedFunction")), "problems: " + r.problems());
  }
}

package org.seqml.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seqml.io.Json;

/**
 * Opens a report page in headless Chromium (Debian's {@code chromium}, which the test command installs
 * when absent: src/test/browser/ensure-chromium) and says what went wrong in it: images that did not
 * decode, errors thrown or logged to the console, resources that failed to load. A probe script is put
 * at the top of a copy of the page; it records errors as they happen and, once the page has loaded,
 * writes its findings into the DOM, which Chromium dumps.
 */
public final class HeadlessChromium {
  private static final String PROBE = "<script>window.__p=[];"
      + "window.addEventListener('error',function(e){var t=e.target;__p.push(t&&t.tagName?'failed to load: <'"
      + "+t.tagName.toLowerCase()+'> '+(t.alt||t.src||'').slice(0,80):'error: '+e.message);},true);"
      + "var __e=console.error;console.error=function(){__p.push('console.error: '+Array.from(arguments).join(' '));"
      + "__e.apply(console,arguments);};"
      + "window.addEventListener('load',function(){var n=0;for(var i of document.images){n++;"
      + "if(!i.complete||i.naturalWidth===0)__p.push('broken image: '+(i.alt||'')+' '+(i.src||'').slice(0,40));}"
      + "var o=document.createElement('pre');o.id='seqml-probe';"
      + "o.textContent=JSON.stringify({images:n,problems:__p});document.body.appendChild(o);});</script>";
  private static final Pattern RESULT = Pattern.compile("<pre id=\"seqml-probe\">(.*?)</pre>", Pattern.DOTALL);

  private HeadlessChromium() {}

  /** Chromium's executable, or null when none is installed. */
  public static String executable() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  /** What a page showed once loaded: how many images, and every problem (empty when none). */
  public record Rendered(int images, List<String> problems) {}

  /** Loads {@code page} (a local HTML file) in headless Chromium and returns what the probe saw. */
  public static Rendered render(Path page) throws IOException, InterruptedException {
    String browser = executable();
    if (browser == null) {
      throw new IllegalStateException("chromium is not installed (src/test/browser/ensure-chromium installs it)");
    }
    String html = Files.readString(page, StandardCharsets.UTF_8);
    int head = html.indexOf("<head>");
    String probed = head < 0 ? PROBE + html : html.substring(0, head + 6) + PROBE + html.substring(head + 6);
    Path dir = Files.createTempDirectory("seqml-render");
    Path copy = dir.resolve("page.html");
    Files.writeString(copy, probed, StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(List.of(browser, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + dir.resolve("profile"),
        "--virtual-time-budget=15000", "--dump-dom", copy.toUri().toString()));
    Process p = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("chromium did not finish rendering " + page);
    }
    Matcher m = RESULT.matcher(dom);
    if (!m.find()) {
      throw new IllegalStateException("the page never finished loading in chromium (exit " + p.exitValue() + "): "
          + Files.readString(dir.resolve("stderr.txt")).lines().limit(5).toList());
    }
    JsonNode found = Json.MAPPER.readTree(m.group(1).replace("&lt;", "<").replace("&gt;", ">")
        .replace("&quot;", "\"").replace("&amp;", "&"));
    List<String> problems = new ArrayList<>();
    found.get("problems").forEach(x -> problems.add(x.asText()));
    return new Rendered(found.get("images").asInt(), problems);
  }
}

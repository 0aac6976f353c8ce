package org.seqml.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

/**
 * Every Zeppelin note in notebooks/ is a Zeppelin 0.12 note whose paragraphs still run against
 * today's code: each %spark paragraph is interpreted in a Scala 2.12 REPL (IMain, as Zeppelin's Spark
 * interpreter does) with {@code spark} bound to the test session, each %spark.sql goes through
 * spark.sql, in note order. A note that no longer matches the facade or the tables fails here.
 */
class NotebookReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path NOTEBOOKS = Path.of("notebooks");

  @TempDir static Path out;

  @TestFactory
  Stream<DynamicTest> everyNoteIsWellFormedAndReplays() throws IOException {
    List<Path> notes;
    try (Stream<Path> files = Files.list(NOTEBOOKS)) {
      notes = files.filter(p -> p.toString().endsWith(".zpln")).sorted().toList();
    }
    for (String pipeline : List.of("ticks", "logs", "bio", "series")) {
      assertTrue(notes.stream().anyMatch(n -> n.getFileName().toString().startsWith("seqml-" + pipeline + "_")),
          "no note for the " + pipeline + " pipeline in " + NOTEBOOKS.toAbsolutePath() + ": " + notes);
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (Path note : notes) {
      tests.add(DynamicTest.dynamicTest(note.getFileName() + " is a Zeppelin 0.12 note", () -> checkStructure(note)));
      tests.add(DynamicTest.dynamicTest(note.getFileName() + " replays", () -> replay(note)));
    }
    return tests.stream();
  }

  static void checkStructure(Path file) throws IOException {
    JsonNode note = JSON.readTree(file.toFile());
    String id = note.path("id").asText();
    assertTrue(id.matches("[0-9A-Z]{9}"), "note id must be 9 characters [0-9A-Z] like Zeppelin's: " + id);
    assertEquals(note.path("name").asText() + "_" + id + ".zpln", file.getFileName().toString(),
        "Zeppelin 0.12 stores a note as <name>_<id>.zpln");
    assertTrue(note.path("version").asText().startsWith("0.12"), "version: " + note.path("version"));
    assertEquals("spark", note.path("defaultInterpreterGroup").asText());
    for (String field : List.of("noteParams", "noteForms", "angularObjects", "config", "info")) {
      assertTrue(note.path(field).isObject(), "note field " + field + " must be an object");
    }
    JsonNode paragraphs = note.path("paragraphs");
    assertTrue(paragraphs.isArray() && paragraphs.size() > 0, "no paragraphs");
    Set<String> ids = new HashSet<>();
    Set<String> interpreters = new HashSet<>();
    for (JsonNode p : paragraphs) {
      assertTrue(ids.add(p.path("id").asText()), "duplicate or missing paragraph id " + p.path("id"));
      assertTrue(p.path("config").path("editorSetting").isObject(), "paragraph " + p.path("id") + " has no editorSetting");
      assertTrue(p.path("config").path("enabled").asBoolean(false), "paragraph " + p.path("id") + " is disabled");
      assertTrue(p.path("settings").path("params").isObject() && p.path("settings").path("forms").isObject(),
          "paragraph " + p.path("id") + " settings must hold params and forms");
      Paragraph para = Paragraph.of(p);
      interpreters.add(para.interpreter());
      String expectedMode = switch (para.interpreter()) {
        case "md" -> "ace/mode/markdown";
        case "spark" -> "ace/mode/scala";
        case "spark.sql" -> "ace/mode/sql";
        case "spark.conf" -> "ace/mode/text";
        default -> throw new AssertionError("unexpected interpreter %" + para.interpreter() + " in " + file);
      };
      assertEquals(expectedMode, p.path("config").path("editorMode").asText(), "editor mode of " + p.path("id"));
    }
    assertEquals(Set.of("md", "spark", "spark.conf", "spark.sql"), interpreters);
    Paragraph first = Paragraph.of(paragraphs.get(0));
    assertEquals("spark.conf", first.interpreter(), "the first paragraph must configure the interpreter");
    String jars = sparkConf(first.body()).get("spark.jars");
    assertTrue(jars != null && jars.endsWith("/seqml-" + projectVersion() + "-all.jar"),
        "%spark.conf must load the seqml uber-jar seqml-" + projectVersion() + "-all.jar via spark.jars, got " + jars);
    JsonNode last = paragraphs.get(paragraphs.size() - 1);
    assertEquals("spark.sql", Paragraph.of(last).interpreter(), "the note ends with a query to plot");
    assertFalse(last.path("config").path("results").path("0").path("graph").path("mode").asText("table").equals("table"),
        "the last query should open as a chart");
  }

  void replay(Path file) throws IOException {
    JsonNode note = JSON.readTree(file.toFile());
    SparkSession spark = SparkTestSession.get();
    System.setProperty("seqml.notebook.out", out.resolve(file.getFileName().toString()).toString());
    StringWriter transcript = new StringWriter();
    IMain repl = newRepl(new PrintWriter(transcript, true));
    try {
      assertEquals(Results.Success$.MODULE$,
          repl.bind("spark", "org.apache.spark.sql.SparkSession", spark, scala.collection.immutable.List$.MODULE$.<String>empty()),
          "binding spark failed: " + transcript);
      int scala = 0;
      int sql = 0;
      long t0 = System.nanoTime();
      for (JsonNode p : note.path("paragraphs")) {
        Paragraph para = Paragraph.of(p);
        switch (para.interpreter()) {
          case "spark" -> {
            int mark = transcript.getBuffer().length();
            Results.Result result = repl.interpret(para.body());
            String output = transcript.getBuffer().substring(mark);
            assertEquals(Results.Success$.MODULE$, result,
                file.getFileName() + " paragraph '" + para.title() + "' (" + para.id() + ") did not succeed:\n" + output);
            scala++;
          }
          case "spark.sql" -> {
            List<Row> rows = spark.sql(para.body()).collectAsList();
            assertFalse(rows.isEmpty(),
                file.getFileName() + " query '" + para.title() + "' (" + para.id() + ") returned no rows");
            sql++;
          }
          default -> { } // %md is text; %spark.conf is checked in checkStructure (Zeppelin applies it at start)
        }
      }
      System.out.printf("notebook replay %s: %d %%spark and %d %%spark.sql paragraphs in %.1f s%n",
          file.getFileName(), scala, sql, (System.nanoTime() - t0) / 1e9);
      assertTrue(scala >= 5 && sql >= 3, "a note runs the phases and explores them: " + scala + " scala, " + sql + " sql");
    } finally {
      repl.close();
    }
  }

  /** A Scala 2.12 REPL on the test class path, as Zeppelin's Spark interpreter builds one. */
  static IMain newRepl(PrintWriter out) {
    Settings settings = new Settings();
    settings.classpath().value_$eq(testClassPath());
    settings.usejavacp().value_$eq(true);
    // class-based wrappers, as spark-shell and Zeppelin use (serialisable closures)
    settings.processArgumentString("-Yrepl-class-based");
    IMain repl = new IMain(settings, out);
    repl.initializeSynchronous();
    return repl;
  }

  /** Surefire runs tests from a manifest-only jar; the real class path is in a system property. */
  static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
  }

  static java.util.Map<String, String> sparkConf(String body) {
    java.util.Map<String, String> conf = new java.util.HashMap<>();
    for (String line : body.split("\n")) {
      String t = line.trim();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] kv = t.split("\\s+", 2);
      conf.put(kv[0], kv.length > 1 ? kv[1].trim() : "");
    }
    return conf;
  }

  static String projectVersion() {
    try (var in = NotebookReplayTest.class.getResourceAsStream("/seqml-version.properties")) {
      java.util.Properties props = new java.util.Properties();
      props.load(in);
      return props.getProperty("version");
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("seqml-version.properties not on the class path", e);
    }
  }

  /** A paragraph's interpreter (the %name on its first line) and the code below it. */
  record Paragraph(String id, String title, String interpreter, String body) {
    static Paragraph of(JsonNode p) {
      String text = p.path("text").asText();
      String firstLine = text.lines().findFirst().orElse("").trim();
      assertTrue(firstLine.startsWith("%"), "paragraph " + p.path("id") + " does not start with %interpreter");
      String body = text.substring(text.indexOf('\n') + 1);
      return new Paragraph(p.path("id").asText(), p.path("title").asText(), firstLine.substring(1), body);
    }
  }
}

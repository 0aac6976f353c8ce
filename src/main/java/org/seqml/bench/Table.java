package org.seqml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The results as a Markdown table and one-line summaries. */
final class Table {
  static final String BEGIN = "<!-- bench results: begin (written by seqml bench --update-docs) -->";
  static final String END = "<!-- bench results: end -->";

  private Table() {}

  static String line(JsonNode r) {
    if (r.has("error")) {
      return r.get("name").asText() + ": FAILED (" + r.get("error").asText() + ")";
    }
    return String.format("%s: seqml %s vs %s %s -> ratio %.3f (goal >= %.2f) %s, load %.2f",
        r.get("name").asText(), fmt(r.get("seqml")), r.get("peer").get("name").asText(), fmt(r.get("peer")),
        r.get("ratio").asDouble(), r.get("goal").asDouble(), r.get("pass").asBoolean() ? "PASS" : "FAIL",
        r.get("load_1m_median").asDouble());
  }

  private static String fmt(JsonNode side) {
    double m = side.get("median").asDouble();
    String v = Math.abs(m) >= 100 ? String.format("%.0f", m) : String.format("%.4g", m);
    return v + " " + side.get("unit").asText();
  }

  static String markdown(JsonNode doc) {
    StringBuilder b = new StringBuilder();
    JsonNode m = doc.get("machine");
    b.append(String.format("Run %s, commit %s, %s size, %s threads per compute side, %s reps per side (medians;"
            + " a throughput ratio is the median of the repetitions' own ratios, their range in brackets)."
            + "%nMachine: %s, %s cores, %s GiB, %s; load average at start %.2f.%nCommand: `%s`%n%n",
        doc.get("started").asText(), doc.get("git_commit").asText(), doc.get("size").asText(),
        doc.get("jvm").get("child_omp_num_threads").asText(), doc.get("jvm").get("reps_per_side").asText(),
        m.get("cpu").asText(), m.get("cores").asText(), m.get("memory_gib").asText(), m.get("java").asText(),
        m.get("load_1m_at_start").asDouble(), doc.get("command").asText()));
    b.append("| measure | seqml | peer | ratio | goal | pass | load (1 min) |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    for (JsonNode r : doc.get("measures")) {
      if (r.has("error")) {
        b.append(String.format("| %s | failed: %s | | | | | |%n", r.get("name").asText(), r.get("error").asText()));
        continue;
      }
      b.append(String.format("| %s | %s | %s: %s | %s | >= %.2f | %s | %.2f |%n", r.get("name").asText(),
          fmt(r.get("seqml")), r.get("peer").get("name").asText(), fmt(r.get("peer")), ratio(r),
          r.get("goal").asDouble(), r.get("pass").asBoolean() ? "yes" : "**no**", r.get("load_1m_median").asDouble()));
    }
    return b.toString();
  }

  /** The ratio, and for paired repetitions their lowest and highest ratio: "0.912 (0.80-1.05)". */
  static String ratio(JsonNode r) {
    JsonNode extra = r.get("extra");
    String ratio = String.format("%.3f", r.get("ratio").asDouble());
    if (extra != null && extra.has("lowest_rep_ratio")) {
      ratio += String.format(" (%.2f-%.2f)", extra.get("lowest_rep_ratio").asDouble(),
          extra.get("highest_rep_ratio").asDouble());
    }
    return ratio;
  }

  static void updateDocs(Path docs, String table) throws IOException {
    String text = Files.exists(docs) ? Files.readString(docs) : "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n";
    int i = text.indexOf(BEGIN);
    int j = text.indexOf(END);
    if (i < 0 || j < i) {
      throw new IllegalStateException(docs + " has no bench result markers");
    }
    Files.writeString(docs, text.substring(0, i + BEGIN.length()) + "\n" + table + text.substring(j));
  }
}

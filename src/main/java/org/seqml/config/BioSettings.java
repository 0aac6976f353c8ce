package org.seqml.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Parses and validates the bio section. */
final class BioSettings {
  private BioSettings() {}

  static SeqmlConfig.Bio parse(Settings s) {
    String alphabet = s.oneOf("bio.alphabet", Set.of("dna", "protein"));
    boolean reverseComplement = s.bool("bio.reverse-complement");
    if (reverseComplement && !alphabet.equals("dna")) {
      throw s.error("bio.reverse-complement", "needs bio.alphabet = dna");
    }
    String from = s.oneOf("bio.labels.from", Set.of("file", "header", "table", "none"));
    List<String> files = s.stringList("bio.labels.files");
    for (String f : files) {
      if (!f.matches("[^=]+=[^=]+")) {
        throw s.error("bio.labels.files", "entries must be glob=label, got " + f);
      }
    }
    if (from.equals("file") && files.isEmpty()) {
      throw s.error("bio.labels.files", "must list glob=label pairs when bio.labels.from = file");
    }
    String headerRegex = s.string("bio.labels.header-regex");
    if (from.equals("header")) {
      try {
        if (!Pattern.compile(headerRegex).pattern().contains("(?<label>")) {
          throw s.error("bio.labels.header-regex", "must have a named group (?<label>...)");
        }
      } catch (PatternSyntaxException e) {
        throw s.error("bio.labels.header-regex", "is not a valid regex: " + e.getDescription());
      }
    }
    String table = s.string("bio.labels.table");
    if (from.equals("table") && table.isBlank()) {
      throw s.error("bio.labels.table", "must name a CSV of id,label when bio.labels.from = table");
    }
    String splitFrom = s.oneOf("bio.split-from", Set.of("hash", "header", "table"));
    if (splitFrom.equals("table") && table.isBlank()) {
      throw s.error("bio.labels.table", "must name a CSV with columns id and split when bio.split-from = table");
    }
    int min = s.intValue("bio.generator.min-length", v -> v >= 1, "must be >= 1");
    SeqmlConfig.BioGenerator generator = new SeqmlConfig.BioGenerator(
        s.intValue("bio.generator.sequences", v -> v >= 20, "must be >= 20"),
        min,
        s.intValue("bio.generator.max-length", v -> v >= Math.max(min, 40),
            "must be >= 40 and >= bio.generator.min-length (" + min + ")"),
        s.doubleValue("bio.generator.broken-share", v -> v >= 0 && v < 0.5, "must be in [0, 0.5)"),
        s.longValue("bio.generator.seed", v -> true, ""),
        s.oneOf("bio.generator.kind", java.util.Set.of("promoter", "positional")));
    if (generator.positional() && generator.maxLength() < 64) {
      throw s.error("bio.generator.max-length", "must be >= 64 with bio.generator.kind = positional (its boxes reach "
          + "base 62)");
    }
    return new SeqmlConfig.Bio(
        s.oneOf("bio.record-format", Set.of("fasta", "fastq")),
        alphabet,
        s.oneOf("bio.tokens", Set.of("char", "kmer")),
        s.intValue("bio.k", v -> v >= 1 && v <= 12, "must be in 1..12"),
        s.intValue("bio.max-vocabulary", v -> v >= 2, "must be >= 2"),
        s.oneOf("bio.encoding", Set.of("one-hot", "embedding")),
        reverseComplement,
        s.intValue("bio.max-length", v -> v >= 1, "must be >= 1"),
        s.string("bio.positive-class"),
        s.longValue("bio.split-seed", v -> true, ""),
        new SeqmlConfig.BioLabels(from, files, headerRegex, table),
        generator,
        s.oneOf("bio.duplicate-ids", Set.of("keep-first", "reject", "number")),
        splitFrom);
  }
}

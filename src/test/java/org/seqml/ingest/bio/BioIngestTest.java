package org.seqml.ingest.bio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.IngestResult;

/** FASTA/FASTQ on Spark: records across splits, normalisation, labels, and every reject reason. */
class BioIngestTest {
  @TempDir
  Path dir;

  static SeqmlConfig.Bio bio(String format, String alphabet, SeqmlConfig.BioLabels labels) {
    return bio(format, alphabet, labels, "keep-first");
  }

  static SeqmlConfig.Bio bio(String format, String alphabet, SeqmlConfig.BioLabels labels, String duplicateIds) {
    return bio(format, alphabet, labels, duplicateIds, "hash");
  }

  static SeqmlConfig.Bio bio(String format, String alphabet, SeqmlConfig.BioLabels labels, String duplicateIds,
      String splitFrom) {
    return new SeqmlConfig.Bio(format, alphabet, "char", 3, 4096, "one-hot", false, 1_000_000, "", 17, labels,
        new SeqmlConfig.BioGenerator(100, 60, 160, 0.0, 1), duplicateIds, splitFrom);
  }

  static SeqmlConfig.BioLabels none() {
    return new SeqmlConfig.BioLabels("none", List.of(), "", "");
  }

  private String write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    if (name.endsWith(".gz")) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } else {
      Files.writeString(p, text);
    }
    return p.toString();
  }

  private static Map<String, String> sequences(IngestResult r) {
    return r.accepted().collectAsList().stream().collect(Collectors.toMap(x -> x.getString(0), x -> x.getString(4),
        (a, b) -> a, TreeMap::new));
  }

  private static Map<String, Long> reasons(IngestResult r) {
    return r.rejects().groupBy("reason").count().collectAsList().stream()
        .collect(Collectors.toMap(x -> x.getString(0), x -> x.getLong(1), (a, b) -> a, TreeMap::new));
  }

  private static void assertCountsAddUp(IngestResult r) {
    assertEquals(r.inputCount(), r.accepted().count() + r.rejects().count(), "input = accepted + rejected");
  }

  @Test
  void recordsDoNotDependOnInputSplits() throws IOException {
    StringBuilder fasta = new StringBuilder();
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 300; i++) {
      fasta.append(">s").append(i).append(" some description\r\n");
      int length = 1 + random.nextInt(250);
      for (int j = 0; j < length; j++) {
        fasta.append("ACGT".charAt(random.nextInt(4)));
        if (j % 60 == 59) {
          fasta.append('\n');
        }
      }
      fasta.append('\n');
    }
    String file = write("many.fa", fasta.toString());
    SparkSession spark = SparkTestSession.get();
    SeqmlConfig.Bio b = bio("fasta", "dna", none());
    IngestResult one = SequenceChecks.check(spark, SequenceFiles.read(spark, List.of(file), "fasta", 1), b, false);
    IngestResult many = SequenceChecks.check(spark, SequenceFiles.read(spark, List.of(file), "fasta", 37), b, false);
    assertTrue(SequenceFiles.read(spark, List.of(file), "fasta", 37).getNumPartitions() >= 30, "many splits");
    assertEquals(300, one.accepted().count());
    assertEquals(sequences(one), sequences(many), "the same records for 1 and 37 input splits");
    assertEquals(0, many.rejects().count());
    assertCountsAddUp(many);
  }

  @Test
  void normalisesCaseRnaAndAmbiguityCodesAndReadsGzip() throws IOException {
    String file = write("x.fa.gz", ">a\nacgtNNRY\nu\n>b desc\nGGGG\n\n");
    SparkSession spark = SparkTestSession.get();
    IngestResult r = SequenceChecks.ingest(spark, List.of(file), bio("fasta", "dna", none()), false);
    assertEquals(Map.of("a", "ACGTNNNNT", "b", "GGGG"), sequences(r));
    assertCountsAddUp(r);
  }

  @Test
  void everyBadFastaRecordIsRejectedWithItsReason() throws IOException {
    String file = write("bad.fa", String.join("\n",
        "stray line before any header",
        ">ok1", "ACGT",
        ">bad_char", "ACGZT",
        ">empty", "",
        ">no_sequence",
        ">", "ACGT",
        ">ok1", "TTTT",
        ">ok2", "AC", "GT",
        ""));
    SparkSession spark = SparkTestSession.get();
    IngestResult r = SequenceChecks.ingest(spark, List.of(file), bio("fasta", "dna", none()), false);
    assertEquals(Map.of("ok1", "ACGT", "ok2", "ACGT"), sequences(r));
    assertEquals(Map.of("no_header", 1L, "invalid_character", 1L, "empty_sequence", 1L, "missing_sequence", 1L,
        "missing_id", 1L, "duplicate_id", 1L), reasons(r));
    Row bad = r.rejects().filter("reason = 'invalid_character'").first();
    assertEquals(4, bad.getLong(1), "line of the record's header");
    assertTrue(bad.getString(3).contains("'Z' at position 4"), bad.getString(3));
    assertCountsAddUp(r);
  }

  /** Gene names repeated as ids over two files (as in real promoter sets), under each policy. */
  @Test
  void duplicateIdPoliciesKeepRejectOrNumberEveryCopy() throws IOException {
    List<String> files = List.of(
        write("a.fa", String.join("\n", ">lacZ first copy", "ACGT", ">trpA", "CCCC", ">lacZ second", "GGGG", "")),
        write("b.fa", String.join("\n", ">lacZ third", "TTTT", ">araC", "AAAA", ">bad", "ACGZ", "")));
    SparkSession spark = SparkTestSession.get();
    IngestResult keep = SequenceChecks.ingest(spark, files, bio("fasta", "dna", none(), "keep-first"), false);
    assertEquals(Map.of("araC", "AAAA", "lacZ", "ACGT", "trpA", "CCCC"), sequences(keep));
    assertEquals(Map.of("duplicate_id", 2L, "invalid_character", 1L), reasons(keep));
    assertCountsAddUp(keep);
    IngestResult reject = SequenceChecks.ingest(spark, files, bio("fasta", "dna", none(), "reject"), false);
    assertEquals(Map.of("araC", "AAAA", "trpA", "CCCC"), sequences(reject));
    assertEquals(Map.of("duplicate_id", 3L, "invalid_character", 1L), reasons(reject));
    assertTrue(reject.rejects().filter("reason = 'duplicate_id'").first().getString(3).contains("shared by 3"));
    assertCountsAddUp(reject);
    IngestResult number = SequenceChecks.ingest(spark, files, bio("fasta", "dna", none(), "number"), false);
    assertEquals(Map.of("araC", "AAAA", "lacZ#1", "ACGT", "lacZ#2", "GGGG", "lacZ#3", "TTTT", "trpA", "CCCC"),
        sequences(number));
    assertEquals(Map.of("invalid_character", 1L), reasons(number));
    assertEquals("second", number.accepted().filter("sequence_id = 'lacZ#2'").first().getString(3),
        "the header's words stay the description");
    assertCountsAddUp(number);
  }

  /** A split published with the data, from the header or a table; records without one are rejected. */
  @Test
  void aSplitGivenInTheHeaderOrATableIsKept() throws IOException {
    String file = write("given.fa", String.join("\n", ">a split=train gene", "ACGT", ">b x split=test", "CCCC",
        ">c split=validation", "GGGG", ">d no split here", "TTTT", ">e split=later", "AAAA", ""));
    SparkSession spark = SparkTestSession.get();
    IngestResult header = SequenceChecks.ingest(spark, List.of(file), bio("fasta", "dna", none(), "keep-first",
        "header"), false);
    java.util.Map<String, String> given = new java.util.TreeMap<>();
    for (Row r : org.seqml.window.SequenceWindows.givenSplit(header.accepted()).select("sequence_id", "split")
        .collectAsList()) {
      given.put(r.getString(0), r.getString(1));
    }
    assertEquals(Map.of("a", "train", "b", "test", "c", "validation"), given);
    assertEquals(Map.of("missing_split", 2L), reasons(header), "d has none, e's is not a split");
    assertCountsAddUp(header);
    String table = write("splits.csv", "id,label,split\na,x,test\nb,x,train\nd,x,validation\n");
    IngestResult fromTable = SequenceChecks.ingest(spark, List.of(file), bio("fasta", "dna",
        new SeqmlConfig.BioLabels("none", List.of(), "", table), "keep-first", "table"), false);
    assertEquals(Map.of("a", "ACGT", "b", "CCCC", "d", "TTTT"), sequences(fromTable));
    assertEquals("test", fromTable.accepted().filter("sequence_id = 'a'").first().getAs("given_split"));
    assertEquals(Map.of("missing_split", 2L), reasons(fromTable), "c and e are not in the table");
    assertCountsAddUp(fromTable);
    String noSplit = write("labels.csv", "id,label\na,x\n");
    org.seqml.ingest.InputError e = org.junit.jupiter.api.Assertions.assertThrows(org.seqml.ingest.InputError.class,
        () -> SequenceChecks.ingest(spark, List.of(file), bio("fasta", "dna",
            new SeqmlConfig.BioLabels("none", List.of(), "", noSplit), "keep-first", "table"), false));
    assertTrue(e.getMessage().startsWith(noSplit + ":1: header lacks column(s) [split]"), e.getMessage());
    // a labels table without id,label stops before any work, naming the file and what it has
    String noLabel = write("no-label.csv", "name,class\na,x\n");
    org.seqml.ingest.InputError badLabels = org.junit.jupiter.api.Assertions.assertThrows(
        org.seqml.ingest.InputError.class, () -> SequenceChecks.ingest(spark, List.of(file), bio("fasta", "dna",
            new SeqmlConfig.BioLabels("table", List.of(), "", noLabel), "keep-first", "hash"), true));
    assertTrue(badLabels.getMessage().startsWith(noLabel + ":1: header lacks column(s) [id, label]"),
        badLabels.getMessage());
    IngestResult drawn = SequenceChecks.ingest(spark, List.of(file), bio("fasta", "dna", none()), false);
    assertEquals(5, drawn.accepted().count(), "bio.split-from = hash needs no split");
  }

  @Test
  void fastqRecordsAndTheirFaults() throws IOException {
    String file = write("r.fq", String.join("\n",
        "@r1 first", "ACGT", "+", "IIII",
        "@r2", "ACG", "+r2", "IIII",
        "r3", "ACGT", "+", "IIII",
        "@r4", "acgn", "+", "!!!!",
        "@r5", "ACGT",
        ""));
    SparkSession spark = SparkTestSession.get();
    IngestResult r = SequenceChecks.ingest(spark, List.of(file), bio("fastq", "dna", none()), false);
    assertEquals(Map.of("r1", "ACGT", "r4", "ACGN"), sequences(r));
    assertEquals(Map.of("quality_length_mismatch", 1L, "malformed_record", 1L, "truncated_record", 1L), reasons(r));
    assertCountsAddUp(r);
  }

  @Test
  void proteinAlphabet() throws IOException {
    String file = write("p.fa", ">p1\nMKVbzLLA*\n>p2\nMK*LL\n");
    IngestResult r = SequenceChecks.ingest(SparkTestSession.get(), List.of(file), bio("fasta", "protein", none()),
        false);
    assertEquals(Map.of("p1", "MKVXXLLA"), sequences(r), "B and Z read as X, the final stop dropped");
    assertEquals(Map.of("invalid_character", 1L), reasons(r), "an inner stop is not a residue");
  }

  @Test
  void labelsFromFileNamesHeadersOrATable() throws IOException {
    String pos = write("x_prom.fa", ">a class=yes\nACGT\n");
    String neg = write("x_non_prom.fa", ">b class=no\nACGT\n>c\nAAAA\n");
    SparkSession spark = SparkTestSession.get();
    List<String> files = List.of(pos, neg);
    IngestResult byFile = SequenceChecks.ingest(spark, files, bio("fasta", "dna", new SeqmlConfig.BioLabels("file",
        List.of("*_non_prom.fa=non", "*_prom.fa=prom"), "", "")), true);
    assertEquals(Map.of("a", "prom", "b", "non", "c", "non"), labels(byFile));
    IngestResult byHeader = SequenceChecks.ingest(spark, files, bio("fasta", "dna", new SeqmlConfig.BioLabels("header",
        List.of(), "class=(?<label>\\w+)", "")), true);
    assertEquals(Map.of("a", "yes", "b", "no"), labels(byHeader));
    assertEquals(Map.of("unlabelled", 1L), reasons(byHeader), "c has no class: rejected, not dropped");
    String table = write("labels.csv", "id,label\na,t1\nc,t2\n");
    IngestResult byTable = SequenceChecks.ingest(spark, files, bio("fasta", "dna", new SeqmlConfig.BioLabels("table",
        List.of(), "", table)), true);
    assertEquals(Map.of("a", "t1", "c", "t2"), labels(byTable));
    assertCountsAddUp(byTable);
  }

  private static Map<String, String> labels(IngestResult r) {
    return r.accepted().collectAsList().stream().collect(Collectors.toMap(x -> x.getString(0), x -> x.getString(6)));
  }

  @Test
  void reverseComplement() {
    assertEquals("NACGT", Alphabet.reverseComplement("ACGTN"));
    assertEquals("AAGCT", Alphabet.reverseComplement("AGCTT"));
  }
}

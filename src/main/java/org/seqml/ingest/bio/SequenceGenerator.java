package org.seqml.ingest.bio;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.seqml.config.SeqmlConfig;

/**
 * Labelled DNA written as real FASTA files (one plain, one gzip, 60-column lines), so the demo
 * runs through the same reader as user files. Half the sequences are "promoter": a sigma-70-like
 * -35 box TTGACA and -10 box TATAAT, 16-18 bases apart, each base mutated with probability 0.05,
 * at a random place; the rest are background (A/C/G/T uniform) of which a quarter carry one box
 * only, so neither box alone decides. Some stretches are soft-masked (lower case) and a few bases
 * are IUPAC codes, as in real assemblies. broken-share of the records are broken on purpose.
 */
public final class SequenceGenerator {
  public static final String POSITIVE = "promoter";
  public static final String NEGATIVE = "background";
  private static final String BASES = "ACGT";

  private SequenceGenerator() {}

  /** Writes the files into {@code dir} (replacing them) and returns their paths. */
  public static List<String> write(String dir, SeqmlConfig.BioGenerator g, Configuration hadoop) {
    SplittableRandom random = new SplittableRandom(g.seed());
    List<String> files = List.of(dir + "/generated-1.fa", dir + "/generated-2.fa.gz");
    try {
      Path base = new Path(dir);
      FileSystem fs = base.getFileSystem(hadoop);
      fs.delete(base, true);
      fs.mkdirs(base);
      int perFile = (g.sequences() + 1) / 2;
      int written = 0;
      for (int f = 0; f < files.size(); f++) {
        OutputStream raw = fs.create(new Path(files.get(f)), true);
        try (Writer out = new OutputStreamWriter(f == 1 ? new GZIPOutputStream(raw) : raw, StandardCharsets.UTF_8)) {
          for (int i = 0; i < perFile && written < g.sequences(); i++, written++) {
            record(out, written, g, random);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write generated sequences to " + dir, e);
    }
    return files;
  }

  /** The positional generator's classes and where each puts the -35 and -10 boxes (offsets from the start). */
  static final String[] POSITIONAL_CLASSES = {"near", "far", "swapped"};
  private static final int[][] POSITIONAL_OFFSETS = {{10, 35}, {10, 55}, {35, 10}};

  private static void record(Writer out, int n, SeqmlConfig.BioGenerator g, SplittableRandom random)
      throws IOException {
    if (g.positional()) {
      positional(out, n, g, random);
      return;
    }
    boolean positive = random.nextBoolean();
    int length = g.minLength() + random.nextInt(g.maxLength() - g.minLength() + 1);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(BASES.charAt(random.nextInt(4)));
    }
    int spacer = 16 + random.nextInt(3);
    int span = 6 + spacer + 6;
    if (positive) {
      int at = random.nextInt(length - span + 1);
      plant(s, at, "TTGACA", random);
      plant(s, at + 6 + spacer, "TATAAT", random);
    } else if (random.nextInt(4) == 0) {
      plant(s, random.nextInt(length - 6 + 1), random.nextBoolean() ? "TTGACA" : "TATAAT", random);
    }
    if (random.nextInt(5) == 0) { // a soft-masked repeat
      int from = random.nextInt(length);
      int to = Math.min(length, from + 5 + random.nextInt(20));
      s.replace(from, to, s.substring(from, to).toLowerCase());
    }
    if (random.nextInt(10) == 0) { // an uncalled base
      s.setCharAt(random.nextInt(length), "NRYKMSW".charAt(random.nextInt(7)));
    }
    String id = String.format("gen%06d", n);
    String header = ">" + id + " label=" + (positive ? POSITIVE : NEGATIVE);
    if (random.nextDouble() < g.brokenShare()) {
      switch (random.nextInt(4)) {
        case 0 -> s.setCharAt(random.nextInt(length), "Z7-*".charAt(random.nextInt(4))); // invalid_character
        case 1 -> s.setLength(0); // header without sequence: missing_sequence
        case 2 -> header = ">" + String.format("gen%06d", Math.max(0, n - 1)) + " label=" + NEGATIVE; // duplicate_id
        default -> header = ">" + id; // no label: unlabelled
      }
    }
    out.write(header);
    out.write('\n');
    for (int i = 0; i < s.length(); i += 60) {
      out.write(s.toString(), i, Math.min(60, s.length() - i));
      out.write('\n');
    }
  }

  /**
   * One record of three classes that hold the same two boxes at class-specific offsets (each shifted by up
   * to one base): the signal is where, not what.
   */
  private static void positional(Writer out, int n, SeqmlConfig.BioGenerator g, SplittableRandom random)
      throws IOException {
    int length = g.maxLength();
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(BASES.charAt(random.nextInt(4)));
    }
    int c = random.nextInt(POSITIONAL_CLASSES.length);
    plant(s, POSITIONAL_OFFSETS[c][0] + random.nextInt(3) - 1, "TTGACA", random);
    plant(s, POSITIONAL_OFFSETS[c][1] + random.nextInt(3) - 1, "TATAAT", random);
    out.write(">" + String.format("pos%06d", n) + " label=" + POSITIONAL_CLASSES[c] + "\n");
    out.write(s.toString());
    out.write('\n');
  }

  private static void plant(StringBuilder s, int at, String motif, SplittableRandom random) {
    for (int i = 0; i < motif.length(); i++) {
      char c = random.nextDouble() < 0.05 ? BASES.charAt(random.nextInt(4)) : motif.charAt(i);
      s.setCharAt(at + i, c);
    }
  }
}

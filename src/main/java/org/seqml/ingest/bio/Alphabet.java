package org.seqml.ingest.bio;

import java.util.List;

/**
 * The residues a sequence may hold, and the documented rule that normalises what files really
 * contain. Lower case (soft-masked repeats) is upper-cased. DNA: A C G T N; U (RNA) is read as T;
 * the IUPAC ambiguity codes R Y S W K M B D H V are read as N, since a base the sequencer could not
 * call is unknown to the model either. Protein: the 20 amino acids and X; B (D/N), Z (E/Q), J (I/L),
 * U (selenocysteine) and O (pyrrolysine) are read as X; one final '*' (stop) is dropped. Anything
 * else (digits, gaps, an inner '*') makes the record a reject.
 */
public enum Alphabet {
  DNA("ACGTN", "RYSWKMBDHV", 'N', "U", "T"),
  PROTEIN("ACDEFGHIKLMNPQRSTVWYX", "BZJUO", 'X', "", "");

  private final String letters;
  private final String ambiguous;
  private final char unknown;
  private final String aliases;
  private final String aliasTargets;

  Alphabet(String letters, String ambiguous, char unknown, String aliases, String aliasTargets) {
    this.letters = letters;
    this.ambiguous = ambiguous;
    this.unknown = unknown;
    this.aliases = aliases;
    this.aliasTargets = aliasTargets;
  }

  public static Alphabet of(String name) {
    return switch (name) {
      case "dna" -> DNA;
      case "protein" -> PROTEIN;
      default -> throw new IllegalArgumentException("unknown alphabet " + name);
    };
  }

  /** The residues in token order. */
  public List<String> letters() {
    return letters.chars().mapToObj(c -> String.valueOf((char) c)).toList();
  }

  /** A normalised sequence, or the first character that cannot be read and its 0-based position. */
  public record Normalised(String sequence, char bad, int position) {
    public boolean ok() {
      return sequence != null;
    }
  }

  public Normalised normalise(String raw) {
    int end = raw.length();
    if (this == PROTEIN && end > 0 && raw.charAt(end - 1) == '*') {
      end--;
    }
    StringBuilder out = new StringBuilder(end);
    for (int i = 0; i < end; i++) {
      char c = Character.toUpperCase(raw.charAt(i));
      if (letters.indexOf(c) >= 0) {
        out.append(c);
      } else if (ambiguous.indexOf(c) >= 0) {
        out.append(unknown);
      } else if (aliases.indexOf(c) >= 0) {
        out.append(aliasTargets.charAt(aliases.indexOf(c)));
      } else {
        return new Normalised(null, raw.charAt(i), i);
      }
    }
    return new Normalised(out.toString(), '\0', -1);
  }

  /** The reverse complement of a normalised DNA sequence (N stays N). */
  public static String reverseComplement(String dna) {
    StringBuilder out = new StringBuilder(dna.length());
    for (int i = dna.length() - 1; i >= 0; i--) {
      out.append(switch (dna.charAt(i)) {
        case 'A' -> 'T';
        case 'C' -> 'G';
        case 'G' -> 'C';
        case 'T' -> 'A';
        default -> 'N';
      });
    }
    return out.toString();
  }
}

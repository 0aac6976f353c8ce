package org.seqml.ingest.bio;

/** Why a sequence record was refused; the code is what the rejects table's reason column holds. */
public enum BioReject {
  /** Lines before a file's first header line. */
  NO_HEADER("no_header"),
  /** A header with no identifier after '>' or '@'. */
  MISSING_ID("missing_id"),
  /** A header followed directly by another header or the end of the file. */
  MISSING_SEQUENCE("missing_sequence"),
  /** Sequence lines that are all empty. */
  EMPTY_SEQUENCE("empty_sequence"),
  /** A character outside the alphabet and its normalisation rule. */
  INVALID_CHARACTER("invalid_character"),
  /** Bytes that are not UTF-8. */
  INVALID_UTF8("invalid_utf8"),
  /** Fewer residues than one k-mer token (bio.tokens = kmer). */
  TOO_SHORT("too_short"),
  /** Longer than bio.max-length. */
  TOO_LONG("too_long"),
  /** An id seen before (the first record with it is kept). */
  DUPLICATE_ID("duplicate_id"),
  /** FASTQ: a record whose header is not '@' or whose third line is not '+'. */
  MALFORMED_RECORD("malformed_record"),
  /** FASTQ: sequence and quality lines of different lengths. */
  QUALITY_LENGTH_MISMATCH("quality_length_mismatch"),
  /** FASTQ: fewer than four lines at the end of a file. */
  TRUNCATED_RECORD("truncated_record"),
  /** Classification: no class for the record from the configured label source. */
  UNLABELLED("unlabelled"),
  /** bio.split-from = header or table: no split=train|validation|test for the record. */
  MISSING_SPLIT("missing_split");

  private final String code;

  BioReject(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}

package org.seqml.ingest.series;

/** Why a series row was refused; each reason goes to the rejects table with the row's file and line. */
public final class SeriesReject {
  /** A key column is null or empty. */
  public static final String NULL_KEY = "null_key";
  /** The time is null or cannot be read as a timestamp, a date or an integer order. */
  public static final String UNPARSEABLE_TIME = "unparseable_time";
  /** A target or covariate is null. */
  public static final String MISSING_VALUE = "missing_value";
  /** A target or covariate in a CSV cell is not a number. */
  public static final String UNPARSEABLE_NUMBER = "unparseable_number";
  /** A target or covariate is NaN or infinite. */
  public static final String NON_FINITE = "non_finite";
  /** A second row of one (key, time), with series.duplicates = reject (the first, in file order, is kept). */
  public static final String DUPLICATE = "duplicate";
  /** A CSV row the parser could not split into the header's fields. */
  public static final String MALFORMED_ROW = "malformed_row";

  private SeriesReject() {}
}

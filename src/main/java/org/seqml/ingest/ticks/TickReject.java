package org.seqml.ingest.ticks;

import java.util.List;

/** Reason codes of rejected tick records. Every code is covered by the rejects accounting test. */
public final class TickReject {
  public static final String EMPTY_LINE = "empty_line";
  public static final String WRONG_FIELD_COUNT = "wrong_field_count";
  public static final String MISSING_VALUE = "missing_value";
  public static final String UNPARSEABLE_NUMBER = "unparseable_number";
  public static final String UNPARSEABLE_TIMESTAMP = "unparseable_timestamp";
  public static final String NON_FINITE = "non_finite";
  public static final String NON_POSITIVE_PRICE = "non_positive_price";
  public static final String NON_POSITIVE_SIZE = "non_positive_size";
  public static final String NEGATIVE_BOOK_SIZE = "negative_book_size";
  public static final String CROSSED_QUOTE = "crossed_quote";
  public static final String UNKNOWN_EVENT_TYPE = "unknown_event_type";
  public static final String EMPTY_BOOK_SIDE = "empty_book_side";
  public static final String TRADING_HALT = "trading_halt";
  public static final String DUPLICATE = "duplicate";
  public static final String OUT_OF_ORDER = "out_of_order";
  /** An event time further than ingest.max-time-skew from the median time of its symbol in its file. */
  public static final String IMPLAUSIBLE_TIME = "implausible_time";

  /** Codes a generic trades/quotes table can produce. */
  public static final List<String> TABLE_CODES = List.of(
      EMPTY_LINE, WRONG_FIELD_COUNT, MISSING_VALUE, UNPARSEABLE_NUMBER, UNPARSEABLE_TIMESTAMP,
      NON_FINITE, NON_POSITIVE_PRICE, NON_POSITIVE_SIZE, NEGATIVE_BOOK_SIZE, CROSSED_QUOTE,
      IMPLAUSIBLE_TIME, DUPLICATE, OUT_OF_ORDER);

  /** Codes only LOBSTER files can produce. */
  public static final List<String> LOBSTER_CODES = List.of(UNKNOWN_EVENT_TYPE, EMPTY_BOOK_SIDE, TRADING_HALT);

  private TickReject() {}
}

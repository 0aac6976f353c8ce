package org.seqml.ingest.ticks;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Builds "candidate" rows: a tick's fields plus a reject reason (null when the record is good),
 * and holds the value checks every source shares.
 */
public final class TickRecords {
  /** TickSchema with every field nullable, plus reason, detail and raw. */
  public static final StructType CANDIDATE_SCHEMA = candidateSchema();

  static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd")
      .optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().appendLiteral(' ').optionalEnd()
      .appendPattern("HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
      .toFormatter();

  private TickRecords() {}

  private static StructType candidateSchema() {
    StructType s = new StructType();
    for (var f : TickSchema.SCHEMA.fields()) {
      s = s.add(f.name(), f.dataType(), true);
    }
    return s.add("reason", DataTypes.StringType, true)
        .add("detail", DataTypes.StringType, true)
        .add("raw", DataTypes.StringType, true);
  }

  /** A refused record: only provenance, reason and raw text survive. */
  public static Row reject(String source, long line, String reason, String detail, String raw) {
    return RowFactory.create(null, null, null, null, null, null, null, null, null, null, null, null,
        source, line, reason, detail, raw);
  }

  /** Checks values and returns a good candidate row, or a reject row naming the first problem. */
  public static Row candidate(String symbol, Timestamp ts, long seq, String event, int side, Long orderId,
      Double price, double size, double bid, double ask, double bidSize, double askSize,
      boolean sizeMustBePositive, String source, long line, String raw) {
    String reason = check(price, size, bid, ask, bidSize, askSize, sizeMustBePositive);
    if (reason != null) {
      return reject(source, line, reason, describe(price, size, bid, ask, bidSize, askSize), raw);
    }
    return RowFactory.create(symbol, ts, seq, event, side, orderId, price, size, bid, ask, bidSize, askSize,
        source, line, null, null, raw);
  }

  static String check(Double price, double size, double bid, double ask, double bidSize, double askSize,
      boolean sizeMustBePositive) {
    if ((price != null && !Double.isFinite(price)) || !Double.isFinite(size) || !Double.isFinite(bid)
        || !Double.isFinite(ask) || !Double.isFinite(bidSize) || !Double.isFinite(askSize)) {
      return TickReject.NON_FINITE;
    }
    if ((price != null && price <= 0) || bid <= 0 || ask <= 0) {
      return TickReject.NON_POSITIVE_PRICE;
    }
    if (sizeMustBePositive ? size <= 0 : size < 0) {
      return TickReject.NON_POSITIVE_SIZE;
    }
    if (bidSize < 0 || askSize < 0) {
      return TickReject.NEGATIVE_BOOK_SIZE;
    }
    if (bid > ask) {
      return TickReject.CROSSED_QUOTE;
    }
    return null;
  }

  private static String describe(Double price, double size, double bid, double ask, double bs, double as) {
    return "price=" + price + " size=" + size + " bid=" + bid + " ask=" + ask + " bid_size=" + bs
        + " ask_size=" + as;
  }

  /** Parses a number; NaN and Infinity parse (and are refused later as non_finite). */
  public static double number(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      throw new NumberFormatException("empty");
    }
    return Double.parseDouble(t);
  }

  /**
   * Parses a timestamp: ISO-8601 with offset or Z; a local date-time (T or space, up to nanoseconds)
   * read in {@code zone}; or epoch seconds/millis/micros/nanos told apart by magnitude.
   */
  public static Timestamp timestamp(String text, ZoneId zone) {
    Timestamp ts = parseTimestamp(text, zone);
    long epochSecond = Math.floorDiv(ts.getTime(), 1000L);
    if (epochSecond < EARLIEST_SECOND || epochSecond >= AFTER_LATEST_SECOND) {
      // e.g. a compact 20240304093000 or a time of day read as epoch seconds lands in 1970
      throw new DateTimeParseException("'" + text + "' reads as " + ts.toInstant() + ", outside "
          + EARLIEST_YEAR + ".." + LATEST_YEAR, text, 0);
    }
    return ts;
  }

  /** Plausible years of market data; anything outside is a misread timestamp. */
  static final int EARLIEST_YEAR = 1990;
  static final int LATEST_YEAR = 2100;
  private static final long EARLIEST_SECOND = java.time.LocalDate.of(EARLIEST_YEAR, 1, 1).toEpochDay() * 86_400L;
  private static final long AFTER_LATEST_SECOND = java.time.LocalDate.of(LATEST_YEAR + 1, 1, 1).toEpochDay() * 86_400L;

  /**
   * Epoch numbers (seconds, millis, micros or nanos by their size), ISO date-times with an offset, or
   * local date-times in {@code zone}. Called for every record, hence no regular expression (String.matches
   * compiles one per call) and no exception for a local time: only text that holds an offset's sign or
   * Z can parse with one, so only such text tries.
   */
  private static Timestamp parseTimestamp(String text, ZoneId zone) {
    String t = text.trim();
    if (isEpochNumber(t)) {
      long v = Long.parseLong(t);
      Instant instant = v < 100_000_000_000L ? Instant.ofEpochSecond(v)
          : v < 100_000_000_000_000L ? Instant.ofEpochMilli(v)
          : v < 100_000_000_000_000_000L ? Instant.ofEpochSecond(v / 1_000_000, (v % 1_000_000) * 1000)
          : Instant.ofEpochSecond(v / 1_000_000_000, v % 1_000_000_000);
      return Timestamp.from(instant);
    }
    if (mayHaveOffset(t)) {
      Timestamp common = commonIsoOffset(t);
      if (common != null) {
        return common;
      }
      try {
        return Timestamp.from(OffsetDateTime.parse(t).toInstant());
      } catch (DateTimeParseException e) {
        // not an offset after all: a local time, as below
      }
    }
    return Timestamp.from(LocalDateTime.parse(t, LOCAL).atZone(zone).toInstant());
  }

  /**
   * The common shape {@code yyyy-MM-ddTHH:mm:ss[.f]Z} or with {@code +hh:mm} / {@code -hh:mm}, read
   * digit by digit, else null: any other shape, or a value out of range, takes OffsetDateTime.parse
   * and its verdict. That parse had an eighth of a CSV ingest's samples (docs/BENCHMARKS.md).
   */
  static Timestamp commonIsoOffset(String t) {
    int n = t.length();
    if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (t.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        nanos = nanos * 10 + (t.charAt(i++) - '0');
      }
      if (i == start) {
        return null;
      }
      for (int k = i - start; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && t.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
      int oh = digits(t, i + 1, 2);
      int om = digits(t, i + 4, 2);
      if (oh < 0 || om < 0 || om > 59 || oh * 60 + om > 18 * 60) {
        return null;
      }
      offsetSeconds = (oh * 3600 + om * 60) * (t.charAt(i) == '-' ? -1 : 1);
    } else {
      return null;
    }
    long epochSecond = java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L
        + minute * 60L + second - offsetSeconds;
    return Timestamp.from(Instant.ofEpochSecond(epochSecond, nanos));
  }

  /** The value of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String t, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** 9 to 19 ASCII digits. */
  static boolean isEpochNumber(String t) {
    int n = t.length();
    if (n < 9 || n > 19) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Whether an ISO offset (Z, +hh:mm or -hh:mm after the date) could be in the text. */
  static boolean mayHaveOffset(String t) {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == 'Z' || c == 'z' || c == '+' || (c == '-' && i > 10)) {
        return true;
      }
    }
    return false;
  }
}

package org.seqml.ingest.ticks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Timestamps of table sources parse as they did before the parser lost its per-record regular
 * expression and exception: the earlier parser is kept here as the reference.
 */
class TickTimestampsTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  /** The parser as it was (commit ec03a52; its local-time format is unchanged, so it is shared). */
  private static Timestamp reference(String text, ZoneId zone) {
    String t = text.trim();
    if (t.matches("\\d{9,19}")) {
      long v = Long.parseLong(t);
      java.time.Instant instant = v < 100_000_000_000L ? java.time.Instant.ofEpochSecond(v)
          : v < 100_000_000_000_000L ? java.time.Instant.ofEpochMilli(v)
          : v < 100_000_000_000_000_000L ? java.time.Instant.ofEpochSecond(v / 1_000_000, (v % 1_000_000) * 1000)
          : java.time.Instant.ofEpochSecond(v / 1_000_000_000, v % 1_000_000_000);
      return Timestamp.from(instant);
    }
    try {
      return Timestamp.from(OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException e) {
      return Timestamp.from(LocalDateTime.parse(t, TickRecords.LOCAL).atZone(zone).toInstant());
    }
  }

  @Test
  void everyFormParsesToTheSameInstantAsBefore() {
    List<String> valid = List.of("1709562600", "1709562600123", "1709562600123456", "1709562600123456789",
        "2024-03-04T14:30:00Z", "2024-03-04T14:30:00.5Z", "2024-03-04T14:30:00.123456789Z",
        "2024-03-04T14:30:00+01:00", "2024-03-04T09:30:00-05:00", "2024-03-04T14:30:00.25-05:00",
        " 2024-03-04T14:30:00Z ", "2024-03-04T14:30:00", "2024-03-04 14:30:00", "2024-03-04 14:30:00.000001",
        "2024-03-10T02:30:00", "2024-11-03 01:30:00");
    for (String t : valid) {
      assertEquals(reference(t, NEW_YORK), TickRecords.timestamp(t, NEW_YORK), t);
    }
  }

  /**
   * The digit-by-digit reading of the common ISO shape against OffsetDateTime.parse, on texts made
   * from that shape with random field values (in and out of range), fraction lengths 0-10, offsets,
   * lower-case letters and a random character replaced: the same instant, or the same refusal.
   */
  @Test
  void theCommonIsoShapeReadsAsOffsetDateTimeParseDoes() {
    Random random = new Random(11);
    String alphabet = "0123456789-:.TZtz+ ";
    int fast = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder b = new StringBuilder();
      b.append(String.format("%04d-%02d-%02d", 1985 + random.nextInt(120), random.nextInt(14), random.nextInt(33)));
      b.append(random.nextInt(20) == 0 ? 't' : 'T');
      b.append(String.format("%02d:%02d:%02d", random.nextInt(26), random.nextInt(62), random.nextInt(62)));
      int fraction = random.nextInt(12) - 1; // -1: no point
      if (fraction >= 0) {
        b.append('.');
        for (int k = 0; k < fraction; k++) {
          b.append((char) ('0' + random.nextInt(10)));
        }
      }
      switch (random.nextInt(5)) {
        case 0 -> b.append(random.nextInt(20) == 0 ? 'z' : 'Z');
        case 1 -> b.append(String.format("+%02d:%02d", random.nextInt(20), random.nextInt(62)));
        case 2 -> b.append(String.format("-%02d:%02d", random.nextInt(20), random.nextInt(62)));
        case 3 -> b.append(String.format("+%02d:%02d:%02d", random.nextInt(3), random.nextInt(60), random.nextInt(60)));
        default -> b.append(String.format("+%02d", random.nextInt(20)));
      }
      if (random.nextInt(4) == 0) {
        b.setCharAt(random.nextInt(b.length()), alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String t = b.toString();
      Timestamp expected;
      try {
        expected = referenceWithYears(t);
      } catch (java.time.DateTimeException e) {
        assertThrows(DateTimeParseException.class, () -> TickRecords.timestamp(t, NEW_YORK), t);
        continue;
      }
      assertEquals(expected, TickRecords.timestamp(t, NEW_YORK), t);
      if (TickRecords.commonIsoOffset(t) != null) {
        fast++;
      }
    }
    assertNotNull(TickRecords.commonIsoOffset("2024-03-04T14:30:00.123456789-05:00"));
    assertTrue(fast > 20_000, "the digit-by-digit path ran for only " + fast + " texts");
  }

  /** The reference parser, then the plausible-years check TickRecords.timestamp applies. */
  private static Timestamp referenceWithYears(String t) {
    Timestamp ts = reference(t, NEW_YORK);
    int year = ts.toInstant().atOffset(java.time.ZoneOffset.UTC).getYear();
    if (year < TickRecords.EARLIEST_YEAR || year > TickRecords.LATEST_YEAR) {
      throw new DateTimeParseException("outside the years", t, 0);
    }
    return ts;
  }

  @Test
  void whatDidNotParseStillDoesNot() {
    for (String t : List.of("04/03/2024", "2024-03-04T14:30", "2024-03-04T14:30:00+0100x", "20240304 143000",
        "yesterday", "2024-3-4 14:30:00", "2024-03-04T14:30:00 Z")) {
      assertThrows(DateTimeParseException.class, () -> reference(t, NEW_YORK), "reference: " + t);
      assertThrows(DateTimeParseException.class, () -> TickRecords.timestamp(t, NEW_YORK), t);
    }
  }
}

package org.seqml.ingest.ticks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
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

  @Test
  void whatDidNotParseStillDoesNot() {
    for (String t : List.of("04/03/2024", "2024-03-04T14:30", "2024-03-04T14:30:00+0100x", "20240304 143000",
        "yesterday", "2024-3-4 14:30:00", "2024-03-04T14:30:00 Z")) {
      assertThrows(DateTimeParseException.class, () -> reference(t, NEW_YORK), "reference: " + t);
      assertThrows(DateTimeParseException.class, () -> TickRecords.timestamp(t, NEW_YORK), t);
    }
  }
}

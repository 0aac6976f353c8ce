package org.seqml.ingest.ticks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SharedData;
import org.seqml.SparkTestSession;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.InputError;

class LobsterSourceTest {
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  @TempDir Path dir;

  @Test
  void lobsterOnlyReasonsAreRejectedAndCountsAddUp() throws IOException {
    String messages = String.join("\n",
        "34200.1,1,11,100,1000000,1",    // good submit
        "34200.2,4,11,50,1000000,1",     // good visible execution at the bid
        "34200.3,9,12,10,1000100,-1",    // unknown event type
        "34200.4,7,-1,0,-1,0",           // trading halt
        "34200.5,1,13,10,1000100,-1",    // empty ask side afterwards
        "34200.6,1,14,10,1000100,-1",    // crossed book afterwards
        "34200.7,3,11,50,1000000,1",     // good delete
        "34200.8,5,0,20,1000200,-1",     // hidden fill ...
        "34200.8,5,0,20,1000200,-1",     // ... and a second identical one: a real repeat, kept
        "34200.9,4,15,5,1000200,-1",     // visible execution ...
        "34200.9,4,15,5,1000200,-1") + "\n";  // ... repeated with the same order id: a duplicate
    String books = String.join("\n",
        "1000200,10,1000000,100",
        "1000200,10,1000000,50",
        "1000200,10,1000000,50",
        "1000200,10,1000000,50",
        "9999999999,0,1000000,50",
        "1000000,10,1000200,50",
        "1000200,10,999900,20",
        "1000200,10,999900,20",
        "1000200,10,999900,20",
        "1000200,5,999900,20",
        "1000200,5,999900,20") + "\n";
    Files.writeString(dir.resolve("XYZ_2012-06-21_34200000_57600000_message_1.csv"), messages);
    Files.writeString(dir.resolve("XYZ_2012-06-21_34200000_57600000_orderbook_1.csv"), books);
    IngestResult result = LobsterSource.read(SparkTestSession.get(), dir.toString(), NEW_YORK, "");
    List<Row> accepted = result.accepted().orderBy("seq").collectAsList();
    Map<String, Long> reasons = result.rejects().collectAsList().stream()
        .collect(Collectors.groupingBy(r -> r.getString(2), Collectors.counting()));
    assertEquals(11, result.inputCount());
    assertEquals(11, accepted.size() + reasons.values().stream().mapToLong(Long::longValue).sum());
    assertEquals(Map.of("unknown_event_type", 1L, "trading_halt", 1L, "empty_book_side", 1L, "crossed_quote", 1L,
        "duplicate", 1L), reasons);
    assertEquals(List.of("submit", "exec_visible", "delete", "exec_hidden", "exec_hidden", "exec_visible"),
        accepted.stream().map(r -> r.getString(3)).toList());
    Row exec = accepted.get(1);
    assertEquals("XYZ", exec.getString(0));
    assertEquals("2012-06-21T13:30:00.200Z", exec.getTimestamp(1).toInstant().toString(), "09:30:00.2 New York");
    assertEquals(100.0, exec.getDouble(6), 1e-9, "price / 10000");
    assertEquals(1, exec.getInt(4));
    assertEquals(100.0, exec.getDouble(8), 1e-9, "bid");
    assertEquals(100.02, exec.getDouble(9), 1e-9, "ask");
  }

  @Test
  void filesOfDifferentLengthStopTheJobNamingFileAndLine() throws IOException {
    Files.writeString(dir.resolve("XYZ_2012-06-21_0_1_message_1.csv"), "34200.1,1,11,100,1000000,1\n34200.2,1,12,100,1000000,1\n");
    Files.writeString(dir.resolve("XYZ_2012-06-21_0_1_orderbook_1.csv"), "1000200,10,1000000,100\n");
    SparkException e = assertThrows(SparkException.class,
        () -> LobsterSource.read(SparkTestSession.get(), dir.toString(), NEW_YORK, "").accepted().count());
    Throwable cause = e;
    while (cause != null && !(cause instanceof InputError)) {
      cause = cause.getCause();
    }
    assertTrue(cause != null, "an InputError explains the failure: " + e);
    assertTrue(cause.getMessage().contains("orderbook_1.csv:2"), cause.getMessage());
  }

  @Test
  void aPairWithoutItsOrderbookIsAnError() throws IOException {
    Files.writeString(dir.resolve("XYZ_2012-06-21_0_1_message_1.csv"), "34200.1,1,11,100,1000000,1\n");
    InputError e = assertThrows(InputError.class,
        () -> LobsterSource.read(SparkTestSession.get(), dir.toString(), NEW_YORK, ""));
    assertTrue(e.getMessage().contains("orderbook file of this pair is missing"), e.getMessage());
  }

  /** The AMZN sample day: every record accounted for, and visible executions match the book. */
  @Test
  void amznDayIngestsAndExecutionsHappenAtTheBestQuote() {
    Path zip = SharedData.require("ticks/lobster/LOBSTER_SampleFile_AMZN_2012-06-21_1.zip");
    IngestResult result = LobsterSource.read(SparkTestSession.get(), zip.toString(), NEW_YORK, "");
    List<Row> ticks = result.accepted().orderBy("seq").collectAsList();
    long rejected = result.rejects().count();
    assertEquals(57_515, result.inputCount());
    assertEquals(57_515, ticks.size() + rejected, "input = accepted + rejected");
    assertEquals(0, rejected, "the sample is clean; its 48 repeated hidden fills are real events");
    assertEquals("AMZN", ticks.get(0).getString(0));
    assertEquals("2012-06-21T13:30:00.017459Z", ticks.get(0).getTimestamp(1).toInstant().toString(),
        "LOBSTER nanoseconds kept to the microsecond (Spark timestamps); seq keeps the order");

    int executions = 0;
    int checked = 0;
    for (int i = 1; i < ticks.size(); i++) {
      Row t = ticks.get(i);
      Row before = ticks.get(i - 1);
      if (!t.getString(3).equals("exec_visible")) {
        continue;
      }
      executions++;
      if (before.getLong(2) != t.getLong(2) - 1) {
        continue; // the preceding book row was rejected
      }
      double bestOfSide = t.getInt(4) == 1 ? before.getDouble(8) : before.getDouble(9);
      assertEquals(bestOfSide, t.getDouble(6), 1e-9, "execution at line " + t.getLong(2)
          + " side " + t.getInt(4) + " happens at the best quote of its side");
      checked++;
    }
    assertEquals(8_974, executions, "all visible executions (type 4) are accepted");
    assertTrue(checked > 8_900, "checked " + checked);
  }
}

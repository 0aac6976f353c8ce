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
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.InputError;
import org.seqml.ingest.Rejects;
import org.seqml.util.Schemas;

class TableTickSourceTest {
  static final String HEADER = "timestamp,symbol,price,size,bid,ask,bid_size,ask_size,venue";

  /** One line per reject reason (the expected code is the map key), plus good lines. */
  static final Map<String, String> BAD = new TreeMap<>(Map.ofEntries(
      Map.entry("empty_line", "   "),
      Map.entry("wrong_field_count", "2024-03-04T14:30:01Z,AAA,10.0,5"),
      Map.entry("missing_value", "2024-03-04T14:30:01Z,AAA,,5,9.9,10.1,100,100,X"),
      Map.entry("unparseable_number", "2024-03-04T14:30:01Z,AAA,ten,5,9.9,10.1,100,100,X"),
      Map.entry("unparseable_timestamp", "yesterday,AAA,10.0,5,9.9,10.1,100,100,X"),
      Map.entry("non_finite", "2024-03-04T14:30:01Z,AAA,NaN,5,9.9,10.1,100,100,X"),
      Map.entry("non_positive_price", "2024-03-04T14:30:01Z,AAA,-1.0,5,9.9,10.1,100,100,X"),
      Map.entry("non_positive_size", "2024-03-04T14:30:01Z,AAA,10.0,0,9.9,10.1,100,100,X"),
      Map.entry("negative_book_size", "2024-03-04T14:30:01Z,AAA,10.0,5,9.9,10.1,-3,100,X"),
      Map.entry("crossed_quote", "2024-03-04T14:30:01Z,AAA,10.0,5,10.2,10.1,100,100,X"),
      Map.entry("implausible_time", "2099-03-04T14:30:01Z,AAA,10.0,5,9.9,10.1,100,100,X")));

  @TempDir Path dir;

  @Test
  void everyReasonCodeIsRejectedAndCountsAddUp() throws IOException {
    StringBuilder a = new StringBuilder(HEADER).append('\n');
    for (int i = 0; i < 20; i++) {
      a.append(String.format("2024-03-04 09:30:%02d.5,AAA,10.0%d,5,10.00,10.02,100,200,X%n", i, i % 3));
    }
    BAD.values().forEach(line -> a.append(line).append('\n'));
    // duplicate of the first good line; an event that goes back in time
    a.append("2024-03-04 09:30:00.5,AAA,10.00,5,10.00,10.02,100,200,X\n");
    a.append("2024-03-04 09:29:00,AAA,10.00,7,10.00,10.02,100,200,X\n");
    Files.writeString(dir.resolve("a.csv"), a);
    StringBuilder b = new StringBuilder("symbol,ask_size,bid_size,ask,bid,size,price,timestamp\n");
    for (int i = 0; i < 10; i++) {
      b.append(String.format("BBB,50,60,20.02,20.00,%d,20.01,2024-03-04T14:31:%02dZ%n", i + 1, i));
    }
    Files.writeString(dir.resolve("b.csv"), b);

    IngestResult result = TableTickSource.csv(SparkTestSession.get(), dir.toString(), ZoneId.of("America/New_York"));
    long accepted = result.accepted().count();
    List<Row> rejects = result.rejects().collectAsList();
    long input = result.inputCount();
    assertEquals(20 + BAD.size() + 2 + 10, input, "every line but the headers is an input record");
    assertEquals(input, accepted + rejects.size(), "input = accepted + rejected");
    assertEquals(30, accepted);

    Map<String, Long> byReason = rejects.stream().collect(Collectors.groupingBy(r -> r.getString(2), Collectors.counting()));
    for (String code : TickReject.TABLE_CODES) {
      assertEquals(1L, byReason.getOrDefault(code, 0L), "one reject with reason " + code + " in " + byReason);
    }
    for (Row r : rejects) {
      String reason = r.getString(2);
      if (BAD.containsKey(reason)) {
        assertEquals(BAD.get(reason), r.getString(4), "raw line kept for " + reason);
      }
      assertTrue(r.getString(0).endsWith("a.csv"), "source file named");
      assertTrue(r.getLong(1) > 1, "line number after the header");
    }
    Row dup = rejects.stream().filter(r -> r.getString(2).equals("duplicate")).findFirst().orElseThrow();
    assertEquals(20 + BAD.size() + 2, dup.getLong(1), "the later copy is the rejected one (line number)");
    assertEquals(Schemas.shape(TickSchema.SCHEMA), Schemas.shape(result.accepted().schema()));
    assertEquals(Schemas.shape(Rejects.SCHEMA), Schemas.shape(result.rejects().schema()));
    Row first = result.accepted().filter("symbol = 'AAA'").orderBy("ts").first();
    assertEquals("2024-03-04T14:30:00.500Z", first.getTimestamp(1).toInstant().toString(),
        "local time read in the configured zone");
  }

  /**
   * RFC 4180 as a CSV reader reads it: a byte order mark before the header, quoted fields with commas
   * (a symbol "BRK,A" accepted; a price "1,000" refused as a number, not for its field count), and a row
   * with more fields than the header refused.
   */
  @Test
  void csvIsReadByTheRfcNotByCommas() throws IOException {
    String csv = "\uFEFFsymbol,timestamp,price,size,bid,ask,bid_size,ask_size\n"
        + "\"BRK,A\",2024-03-04T14:30:00Z,600000.5,1,600000,600001,2,3\n"
        + "\"BRK,A\",2024-03-04T14:30:01Z,\"1,000\",1,600000,600001,2,3\n"
        + "\"BRK,A\",2024-03-04T14:30:02Z,600000.5,1,600000,600001,2,3,extra\n"
        + "\"say \"\"hi\"\"\",2024-03-04T14:30:03Z,10.5,1,10,11,2,3\n";
    Files.writeString(dir.resolve("rfc.csv"), csv);
    IngestResult result = TableTickSource.csv(SparkTestSession.get(), dir.resolve("rfc.csv").toString(),
        ZoneId.of("UTC"));
    List<String> symbols = result.accepted().orderBy("ts").select("symbol").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
    assertEquals(List.of("BRK,A", "say \"hi\""), symbols);
    Map<Long, String> reasons = result.rejects().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getLong(1), r -> r.getString(2)));
    assertEquals(Map.of(3L, "unparseable_number", 4L, "wrong_field_count"), reasons);
  }

  @Test
  void missingColumnStopsTheJobNamingFileAndLine() throws IOException {
    Files.writeString(dir.resolve("bad.csv"), "symbol,timestamp,price,size,bid,ask\nAAA,2024-03-04T14:30:00Z,1,1,1,1\n");
    InputError e = assertThrows(InputError.class,
        () -> TableTickSource.csv(SparkTestSession.get(), dir.resolve("bad.csv").toString(), ZoneId.of("UTC")));
    assertTrue(e.getMessage().contains("bad.csv:1"), e.getMessage());
    assertTrue(e.getMessage().contains("[bid_size, ask_size]"), e.getMessage());
  }

  @Test
  void parquetTablesAreCheckedTheSameWay() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> table = spark.sql("SELECT * FROM VALUES "
        + "('AAA', TIMESTAMP'2024-03-04 14:30:00', 10.0D, 5.0D, 9.99D, 10.01D, 100.0D, 90.0D), "
        + "('AAA', TIMESTAMP'2024-03-04 14:30:01', 10.0D, 5.0D, 10.05D, 10.01D, 100.0D, 90.0D), "
        + "('AAA', NULL, 10.0D, 5.0D, 9.99D, 10.01D, 100.0D, 90.0D) "
        + "AS t(symbol, timestamp, price, size, bid, ask, bid_size, ask_size)");
    Dataset<Row> numeric = spark.sql("SELECT * FROM VALUES "
        + "('AAA', 1709562600123L, 10.0D, 5.0D, 9.99D, 10.01D, 100.0D, 90.0D), "
        + "('AAA', 20240304093000L, 10.0D, 5.0D, 9.99D, 10.01D, 100.0D, 90.0D) "
        + "AS t(symbol, timestamp, price, size, bid, ask, bid_size, ask_size)");
    String numericPath = dir.resolve("numeric.parquet").toString();
    numeric.coalesce(1).write().mode(SaveMode.Overwrite).parquet(numericPath);
    IngestResult epoch = TableTickSource.parquet(spark, numericPath, ZoneId.of("UTC"));
    assertEquals("2024-03-04T14:30:00.123Z", epoch.accepted().first().getTimestamp(1).toInstant().toString(),
        "epoch milliseconds told apart by magnitude");
    assertEquals("unparseable_timestamp", epoch.rejects().first().getString(2),
        "a compact date-time read as epoch lands in 1970: refused, not accepted");
    String path = dir.resolve("t.parquet").toString();
    table.coalesce(1).write().mode(SaveMode.Overwrite).parquet(path);
    IngestResult result = TableTickSource.parquet(spark, path, ZoneId.of("UTC"));
    assertEquals(1, result.accepted().count());
    List<String> reasons = result.rejects().collectAsList().stream().map(r -> r.getString(2)).sorted().toList();
    assertEquals(List.of("crossed_quote", "missing_value"), reasons);
    assertEquals(3, result.inputCount());

    String noSize = dir.resolve("n.parquet").toString();
    table.drop("bid_size").write().mode(SaveMode.Overwrite).parquet(noSize);
    InputError e = assertThrows(InputError.class, () -> TableTickSource.parquet(spark, noSize, ZoneId.of("UTC")));
    assertTrue(e.getMessage().contains("[bid_size]"), e.getMessage());

    // A boolean price would be cast to 1.0 for every row: the schema is refused, naming column and type.
    String booleanPrice = dir.resolve("b.parquet").toString();
    table.withColumn("price", org.apache.spark.sql.functions.lit(true)).write().mode(SaveMode.Overwrite)
        .parquet(booleanPrice);
    InputError typed = assertThrows(InputError.class,
        () -> TableTickSource.parquet(spark, booleanPrice, ZoneId.of("UTC")));
    assertTrue(typed.getMessage().contains("column price is boolean"), typed.getMessage());
  }
}

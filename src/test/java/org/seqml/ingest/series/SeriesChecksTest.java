package org.seqml.ingest.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.InputError;

/** A series table read by column roles: every reject reason, the accounting, roles and types checked first. */
class SeriesChecksTest {
  @TempDir Path dir;

  private SeqmlConfig config(String... overrides) {
    List<String> all = new java.util.ArrayList<>(List.of("ingest.source=files", "ingest.path=" + dir,
        "series.time=t", "series.targets=[y]", "series.past-covariates=[x]", "series.key=[store]"));
    all.addAll(List.of(overrides));
    return new ConfigLoader(Path.of(".")).load("series-table", null, all);
  }

  private IngestResult read(SeqmlConfig config) {
    SparkSession spark = SparkTestSession.get();
    return SeriesChecks.ingest(SeriesTable.read(spark, config.ingest(), config.series()), config.series(),
        config.ingest().path());
  }

  private static Map<String, Long> reasons(IngestResult in) {
    Map<String, Long> out = new TreeMap<>();
    in.rejects().groupBy("reason").count().collectAsList().forEach(r -> out.put(r.getString(0), r.getLong(1)));
    return out;
  }

  @Test
  void everyBadRowIsRejectedWithItsReasonAndEveryRowIsCounted() throws IOException {
    Files.writeString(dir.resolve("load.csv"), String.join("\n",
        "store,t,y,x",
        "a,2024-01-01 00:00:00,1.5,20",
        "a,2024-01-01 01:00:00,2.5,21",
        "b,2024-01-01 00:00:00,10,19",
        ",2024-01-01 02:00:00,3,20",                // null_key
        "a,yesterday,3,20",                         // unparseable_time
        "a,2024-01-01 03:00:00,,20",                // missing_value
        "a,2024-01-01 04:00:00,many,20",            // unparseable_number
        "a,2024-01-01 05:00:00,NaN,20",             // non_finite
        "b,2024-01-01 00:00:00,11,19",              // duplicate of line 4
        "\"b\",2024-01-01 06:00:00,\"1,000\",18",   // a quoted field with a comma: a number it is not
        "b,2024-01-01 07:00:00,12,18,extra",        // malformed_row
        "b,2024-01-01 08:00:00,13,17") + "\n");
    IngestResult in = read(config("ingest.file-format=csv"));
    long input = in.inputCount();
    long accepted = in.accepted().count();
    long rejected = in.rejects().count();
    assertEquals(12, input);
    assertEquals(input, accepted + rejected);
    assertEquals(Map.of("duplicate", 1L, "malformed_row", 1L, "missing_value", 1L, "non_finite", 1L, "null_key", 1L,
        "unparseable_number", 2L, "unparseable_time", 1L), reasons(in));
    Row duplicate = in.rejects().filter("reason = 'duplicate'").first();
    assertEquals(10, duplicate.getLong(1), "the second row, on line 10, is the one refused");
    List<Row> a = in.accepted().filter("key = 'a'").orderBy("ts").collectAsList();
    assertEquals(List.of(1.5, 2.5), a.stream().map(r -> r.getDouble(3)).toList());
    assertEquals(20.0, a.get(0).getDouble(4));
    assertEquals(2, a.get(0).getLong(6), "line of the first data row");
  }

  @Test
  void futureAndStaticColumnsAreCheckedLikeTheOtherValues() throws IOException {
    Files.writeString(dir.resolve("load.csv"), String.join("\n",
        "store,t,y,x,price,size,region",
        "a,2024-01-01 00:00:00,1,20,9.5,3,north",
        "a,2024-01-01 01:00:00,2,21,,3,north",          // missing_value: a future covariate
        "a,2024-01-01 02:00:00,3,22,9.5,big,north",     // unparseable_number: a numeric static
        "b,2024-01-01 00:00:00,4,19,Infinity,5,south",  // non_finite: a future covariate
        "b,2024-01-01 01:00:00,5,18,8.0,5,") + "\n");  // a missing category is the empty one
    IngestResult in = read(config("ingest.file-format=csv", "series.future-covariates=[price]", "series.static=[size]",
        "series.static-categorical=[region]"));
    assertEquals(5, in.inputCount());
    assertEquals(in.inputCount(), in.accepted().count() + in.rejects().count());
    assertEquals(Map.of("missing_value", 1L, "non_finite", 1L, "unparseable_number", 1L), reasons(in));
    assertEquals(List.of("", "north"), in.accepted().select("region").distinct().orderBy("region").collectAsList()
        .stream().map(r -> r.getString(0)).toList());
  }

  @Test
  void aMissingRoleColumnStopsBeforeWorkNamingIt() throws IOException {
    Files.writeString(dir.resolve("load.csv"), "store,t,y\na,2024-01-01,1\n");
    InputError e = assertThrows(InputError.class, () -> read(config("ingest.file-format=csv")));
    assertTrue(e.getMessage().contains("lacks the column(s) [x]") && e.getMessage().contains("[store, t, y]"),
        e.getMessage());
  }

  @Test
  void aTargetThatIsNotNumericStopsBeforeWorkNamingItsType() {
    SparkSession spark = SparkTestSession.get();
    StructType schema = new StructType().add("store", DataTypes.StringType).add("t", DataTypes.DateType)
        .add("y", DataTypes.BooleanType).add("x", DataTypes.DoubleType);
    spark.createDataFrame(List.of(RowFactory.create("a", Date.valueOf("2024-01-01"), true, 1.0)), schema)
        .write().parquet(dir.resolve("p").toString());
    InputError e = assertThrows(InputError.class,
        () -> read(config("ingest.file-format=parquet", "ingest.path=" + dir.resolve("p"))));
    assertTrue(e.getMessage().contains("column y is boolean"), e.getMessage());
  }

  @Test
  void datesAndIntegerOrdersAreTimes() {
    SparkSession spark = SparkTestSession.get();
    StructType schema = new StructType().add("store", DataTypes.StringType).add("t", DataTypes.DateType)
        .add("y", DataTypes.IntegerType).add("x", DataTypes.FloatType);
    spark.createDataFrame(List.of(RowFactory.create("a", Date.valueOf("2024-01-02"), 3, 1.5f)), schema)
        .write().parquet(dir.resolve("d").toString());
    Row day = read(config("ingest.file-format=parquet", "ingest.path=" + dir.resolve("d"))).accepted().first();
    assertEquals("2024-01-02T00:00:00Z", day.getTimestamp(1).toInstant().toString());
    assertEquals(3.0, day.getDouble(3));
    StructType ordered = new StructType().add("store", DataTypes.StringType).add("t", DataTypes.LongType)
        .add("y", DataTypes.DoubleType).add("x", DataTypes.DoubleType);
    spark.createDataFrame(List.of(RowFactory.create("a", 5L, 1.0, 2.0), RowFactory.create("a", 6L, 1.0, 2.0)), ordered)
        .write().parquet(dir.resolve("o").toString());
    List<Row> steps = read(config("ingest.file-format=parquet", "ingest.path=" + dir.resolve("o"))).accepted()
        .orderBy("ts").collectAsList();
    assertEquals(1000, steps.get(1).getTimestamp(1).getTime() - steps.get(0).getTimestamp(1).getTime(),
        "an integer order keeps its order and its spacing (a second per unit)");
  }

  @Test
  void aWideTableMakesEachTargetColumnASeries() throws IOException {
    Files.writeString(dir.resolve("rates.csv"), "0.5,1.5\n0.6,1.4\n0.7,oops\n");
    IngestResult in = read(config("ingest.file-format=csv", "series.header=false", "series.columns=[usd,eur]",
        "series.targets=[usd,eur]", "series.layout=wide", "series.time=\"\"", "series.key=[]",
        "series.past-covariates=[]"));
    assertEquals(6, in.inputCount(), "two series of three rows");
    assertEquals(Map.of("unparseable_number", 1L), reasons(in));
    List<Row> usd = in.accepted().filter("key = 'usd'").orderBy("ts").collectAsList();
    assertEquals(List.of(0.5, 0.6, 0.7), usd.stream().map(r -> r.getDouble(3)).toList());
    assertTrue(usd.get(0).getTimestamp(1).before(usd.get(1).getTimestamp(1)), "row order is the time");
  }

  @Test
  void averagedDuplicatesCountEveryInputRowAsAccepted() throws IOException {
    Files.writeString(dir.resolve("load.csv"), "store,t,y,x\na,2024-01-01 00:00:00,1,10\na,2024-01-01 00:00:00,3,20\n"
        + "a,2024-01-01 01:00:00,5,30\n,2024-01-01 02:00:00,1,1\n");
    SeqmlConfig config = config("ingest.file-format=csv", "series.duplicates=mean");
    SeriesChecks.Checked checked = SeriesChecks.check(SeriesTable.read(SparkTestSession.get(), config.ingest(),
        config.series()), config.series(), config.ingest().path(), java.time.ZoneOffset.UTC);
    List<Row> rows = checked.result().accepted().orderBy("ts").collectAsList();
    assertEquals(List.of(2.0, 5.0), rows.stream().map(r -> r.getDouble(3)).toList(), "the two rows at 00:00 averaged");
    long acceptedInput = checked.validBeforeMerge().count();
    assertEquals(3, acceptedInput);
    assertEquals(checked.result().inputCount(), acceptedInput + checked.result().rejects().count());
  }

  @Test
  void textTimesWithoutAnOffsetAreReadInTheIngestTimezone() throws IOException {
    Files.writeString(dir.resolve("load.csv"), "store,t,y,x\na,2024-01-01 00:00:00,1,10\nb,2024-01-01T00:00:00Z,1,10\n");
    SeqmlConfig config = config("ingest.file-format=csv");
    List<Row> rows = SeriesChecks.check(SeriesTable.read(SparkTestSession.get(), config.ingest(), config.series()),
        config.series(), config.ingest().path(), java.time.ZoneId.of("America/New_York")).result().accepted()
        .orderBy("key").collectAsList();
    assertEquals("2024-01-01T05:00:00Z", rows.get(0).getTimestamp(1).toInstant().toString(), "New York midnight");
    assertEquals("2024-01-01T00:00:00Z", rows.get(1).getTimestamp(1).toInstant().toString(), "its own offset wins");
  }

  @Test
  void rowOrderAsTimeNeedsOneFile() throws IOException {
    Files.writeString(dir.resolve("a.csv"), "0.5\n");
    Files.writeString(dir.resolve("b.csv"), "0.6\n");
    InputError e = assertThrows(InputError.class, () -> read(config("ingest.file-format=csv", "series.header=false",
        "series.columns=[usd]", "series.targets=[usd]", "series.time=\"\"", "series.key=[]",
        "series.past-covariates=[]")));
    assertTrue(e.getMessage().contains("input has 2 files"), e.getMessage());
  }
}

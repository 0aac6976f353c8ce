package org.seqml.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;

/** A regular grid: rows of a step combined per column, missing steps filled by each policy, filled steps counted. */
class SeriesGridTest {
  private static final StructType ROWS = new StructType().add("key", DataTypes.StringType)
      .add("ts", DataTypes.TimestampType).add("seq", DataTypes.LongType).add("y", DataTypes.DoubleType)
      .add("x", DataTypes.DoubleType);

  private static Row row(String key, String time, long seq, double y, double x) {
    return RowFactory.create(key, Timestamp.from(Instant.parse("2024-01-01T" + time + ":00Z")), seq, y, x);
  }

  private static Dataset<Row> rows() {
    // key a: two rows in the 00:00 hour, none at 01:00 or 02:00, one at 03:10; key b: one row
    return SparkTestSession.get().createDataFrame(List.of(row("a", "00:00", 1, 1, 10), row("a", "00:40", 2, 3, 20),
        row("a", "03:10", 3, 9, 40), row("b", "05:30", 4, 7, 1)), ROWS);
  }

  private static List<Double> column(SeriesGrid.Gridded g, String key, String column) {
    return g.rows().filter("key = '" + key + "'").orderBy("ts").select(column).collectAsList().stream()
        .map(r -> r.getDouble(0)).toList();
  }

  @Test
  void forwardFillWithLastAndMeanPerColumn() {
    SeriesGrid.Gridded g = SeriesGrid.regular(rows(), 3600, List.of("y", "x"), Map.of("x", "mean"), "ffill");
    assertEquals(List.of(3.0, 3.0, 3.0, 9.0), column(g, "a", "y"), "last of the first hour, carried forward");
    assertEquals(List.of(15.0, 15.0, 15.0, 40.0), column(g, "a", "x"), "mean of the first hour");
    assertEquals(List.of(7.0), column(g, "b", "y"));
    assertEquals(Map.of("a", 2L), g.filledByKey());
    List<Row> times = g.rows().filter("key = 'a'").orderBy("ts").select("ts").collectAsList();
    assertEquals("2024-01-01T01:00:00Z", times.get(1).getTimestamp(0).toInstant().toString(),
        "a step is stamped with its start");
  }

  @Test
  void linearAndZeroFillsAndSums() {
    SeriesGrid.Gridded linear = SeriesGrid.regular(rows(), 3600, List.of("y", "x"), Map.of("y", "sum"), "linear");
    assertEquals(List.of(4.0, 5.666666666666667, 7.333333333333334, 9.0), column(linear, "a", "y"),
        "the sum 4 at 00:00, 9 at 03:00, and the steps between on the line through them");
    SeriesGrid.Gridded zero = SeriesGrid.regular(rows(), 3600, List.of("y", "x"), Map.of(), "zero");
    assertEquals(List.of(3.0, 0.0, 0.0, 9.0), column(zero, "a", "y"));
  }
}

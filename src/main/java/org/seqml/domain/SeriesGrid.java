package org.seqml.domain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Series rows on a regular grid: each key's rows bucketed to steps of the frequency (a step is stamped
 * with its start), the rows of one step combined per column (last, mean or sum), and every step
 * between a key's first and last that has no row filled (ffill: the value before it; linear: between
 * the values around it; zero). The filled steps are counted per key for the manifest.
 */
final class SeriesGrid {
  private SeriesGrid() {}

  /** The gridded rows (key, ts, seq, values...) and how many steps of each key were filled. */
  record Gridded(Dataset<Row> rows, Map<String, Long> filledByKey) {}

  static Gridded regular(Dataset<Row> rows, long stepSeconds, List<String> values, Map<String, String> aggregation,
      String fill) {
    Column bucket = functions.timestamp_seconds(functions.floor(functions.unix_seconds(col("ts")).divide(stepSeconds))
        .multiply(stepSeconds));
    List<Column> combined = new ArrayList<>();
    for (String v : values) {
      String how = aggregation.getOrDefault(v, "last");
      combined.add((switch (how) {
        case "mean" -> functions.avg(col(v));
        case "sum" -> functions.sum(col(v));
        default -> functions.max_by(col(v), functions.struct(col("ts"), col("seq")));
      }).as(v));
    }
    Dataset<Row> steps = rows.withColumn("ts", bucket).groupBy("key", "ts")
        .agg(functions.min("seq").as("seq"), combined.toArray(Column[]::new));
    Dataset<Row> grid = steps.groupBy("key").agg(functions.min("ts").as("first"), functions.max("ts").as("last"))
        .select(col("key"), functions.explode(functions.expr("sequence(first, last, make_dt_interval(0, 0, 0, "
            + stepSeconds + "))")).as("ts"));
    Dataset<Row> joined = grid.join(steps, scala.collection.JavaConverters.asScalaBuffer(List.of("key", "ts")).toSeq(),
        "left_outer").withColumn("_filled", col("seq").isNull());
    WindowSpec before = Window.partitionBy("key").orderBy("ts").rowsBetween(Window.unboundedPreceding(),
        Window.currentRow());
    WindowSpec after = Window.partitionBy("key").orderBy("ts").rowsBetween(Window.currentRow(),
        Window.unboundedFollowing());
    Column t = functions.unix_seconds(col("ts")).cast(DataTypes.DoubleType);
    List<Column> out = new ArrayList<>(List.of(col("key"), col("ts"), functions.coalesce(col("seq"),
        functions.unix_seconds(col("ts"))).as("seq")));
    for (String v : values) {
      Column value = col(v);
      Column filled = switch (fill) {
        case "zero" -> functions.coalesce(value, lit(0.0));
        case "linear" -> {
          Column prevV = functions.last(value, true).over(before);
          Column prevT = functions.last(when(value.isNotNull(), t), true).over(before);
          Column nextV = functions.first(value, true).over(after);
          Column nextT = functions.first(when(value.isNotNull(), t), true).over(after);
          yield functions.coalesce(value, prevV.plus(nextV.minus(prevV).multiply(t.minus(prevT))
              .divide(nextT.minus(prevT))));
        }
        default -> functions.last(value, true).over(before);
      };
      out.add(filled.cast(DataTypes.DoubleType).as(v));
    }
    out.add(col("_filled"));
    Dataset<Row> filled = joined.select(out.toArray(Column[]::new)).persist();
    Map<String, Long> byKey = new TreeMap<>();
    filled.filter(col("_filled")).groupBy("key").count().collectAsList()
        .forEach(r -> byKey.put(r.getString(0), r.getLong(1)));
    return new Gridded(filled.drop("_filled"), byKey);
  }
}

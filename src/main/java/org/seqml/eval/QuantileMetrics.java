package org.seqml.eval;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.seqml.io.Json;
import org.seqml.score.BatchScorer;

/**
 * How good a quantile forecast is: the pinball loss averaged over its levels (in original units, and
 * divided by the key's deviation when one is given), each level's coverage (the share of actual values at
 * or below it, which should be near the level), and the coverage of the interval between the outermost
 * levels against its nominal width; overall and per horizon step.
 */
public final class QuantileMetrics {
  private QuantileMetrics() {}

  /**
   * @param pairs rows with {@code actual}, {@code quantiles} (level name to value), {@code horizon_step} and,
   *     when {@code std} is not null, that column
   * @param levels the ascending levels the quantiles map holds
   */
  public static ObjectNode evaluate(Dataset<Row> pairs, double[] levels, String std) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(avg(pinball(levels, null)));
    aggs.add(std == null ? lit(null).cast("double") : avg(pinball(levels, col(std))));
    Column lower = quantile(levels[0]);
    Column upper = quantile(levels[levels.length - 1]);
    aggs.add(avg(when(col("actual").geq(lower).and(col("actual").leq(upper)), 1.0).otherwise(0.0)));
    for (double level : levels) {
      aggs.add(avg(when(col("actual").leq(quantile(level)), 1.0).otherwise(0.0)));
    }
    aggs.add(functions_sum(crossings(levels)));
    Column[] rest = aggs.subList(1, aggs.size()).toArray(Column[]::new);
    ObjectNode out = Json.object();
    ArrayNode names = out.putArray("levels");
    for (double level : levels) {
      names.add(level);
    }
    Row all = pairs.agg(aggs.get(0), rest).first();
    fill(out, all, 0, levels);
    ArrayNode byStep = out.putArray("by_horizon_step");
    for (Row r : pairs.groupBy("horizon_step").agg(count(lit(1)), aggs.toArray(Column[]::new))
        .orderBy("horizon_step").collectAsList()) {
      ObjectNode step = byStep.addObject();
      step.put("horizon_step", r.getInt(0));
      step.put("rows", r.getLong(1));
      fill(step, r, 2, levels);
    }
    return out;
  }

  private static void fill(ObjectNode out, Row r, int i, double[] levels) {
    out.put("pinball", r.getDouble(i));
    if (!r.isNullAt(i + 1)) {
      out.put("pinball_standardised", r.getDouble(i + 1));
    }
    ObjectNode interval = out.putObject("interval");
    interval.put("lower", levels[0]);
    interval.put("upper", levels[levels.length - 1]);
    interval.put("nominal", levels[levels.length - 1] - levels[0]);
    interval.put("coverage", r.getDouble(i + 2));
    ObjectNode coverage = out.putObject("coverage");
    for (int j = 0; j < levels.length; j++) {
      coverage.put(BatchScorer.levelName(levels[j]), r.getDouble(i + 3 + j));
    }
    out.put("crossings", r.isNullAt(i + 3 + levels.length) ? 0 : r.getLong(i + 3 + levels.length));
  }

  private static Column quantile(double level) {
    return col("quantiles").getItem(BatchScorer.levelName(level));
  }

  /** The pinball loss of one (actual, quantiles) pair averaged over the levels, divided by {@code scale} if given. */
  static Column pinball(double[] levels, Column scale) {
    Column sum = lit(0.0);
    for (double level : levels) {
      Column u = col("actual").minus(quantile(level));
      sum = sum.plus(when(u.geq(0), u.multiply(level)).otherwise(u.multiply(level - 1)));
    }
    Column mean = sum.divide(levels.length);
    return scale == null ? mean : mean.divide(scale);
  }

  /** 1 where a level's value lies below the one before it (sorted scores never do). */
  private static Column crossings(double[] levels) {
    Column any = lit(false);
    for (int j = 1; j < levels.length; j++) {
      any = any.or(quantile(levels[j]).lt(quantile(levels[j - 1])));
    }
    return when(any, 1L).otherwise(0L);
  }

  private static Column functions_sum(Column c) {
    return org.apache.spark.sql.functions.sum(c);
  }
}

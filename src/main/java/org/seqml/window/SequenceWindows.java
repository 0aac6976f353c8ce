package org.seqml.window;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;

/**
 * Sequences to model windows. Sequences are split first (stratified by class: within each class,
 * ordered by a seeded hash of the id, the first split.train share trains, the next
 * split.validation share validates, the rest tests), so every window of a sequence shares its
 * sequence's split. Classify: a sequence of n tokens up to L long is one window (padded and masked
 * by the model); a longer one is cut at starts 0, S, 2S, ... plus a last window flush with its end.
 * Next-token: one window per token after the first, holding up to L tokens before it (left-padded)
 * and the token itself.
 */
public final class SequenceWindows {
  public static final StructType SCHEMA = new StructType()
      .add("sequence_id", DataTypes.StringType, false)
      .add("window", DataTypes.IntegerType, false)
      .add("start", DataTypes.IntegerType, false)
      .add("tokens", DataTypes.IntegerType, false)
      .add("segment", DataTypes.StringType, false)
      .add("label", DataTypes.StringType, true)
      .add("split", DataTypes.StringType, false);

  private SequenceWindows() {}

  /** The sequences table with a split column added. */
  public static Dataset<Row> split(Dataset<Row> sequences, SeqmlConfig.Split split, long seed) {
    return positionInClass(sequences, seed).withColumn("split",
            when(col("position").lt(split.train()), lit(SlidingWindows.TRAIN))
                .when(col("position").lt(split.train() + split.validation()), lit(SlidingWindows.VALIDATION))
                .otherwise(lit(SlidingWindows.TEST)))
        .drop("position");
  }

  /**
   * {@code sequences} with a column "position" in [0, 1): a sequence's rank within its class, ordered by a seeded
   * hash of its id, over the class's size. Splits and cross-validation folds cut classes along it.
   */
  public static Dataset<Row> positionInClass(Dataset<Row> sequences, long seed) {
    var byClass = Window.partitionBy("label").orderBy(xxhash64(col("sequence_id"), lit(seed)), col("sequence_id"));
    return sequences.withColumn("position",
        row_number().over(byClass).minus(1).divide(count(lit(1)).over(Window.partitionBy("label"))));
  }

  /** The sequences table with the split the data gave each sequence (its given_split column). */
  public static Dataset<Row> givenSplit(Dataset<Row> sequences) {
    return sequences.withColumn("split", col("given_split"));
  }

  /** The overlapping k-mers of a string column, in SQL so no Scala collection crosses the Java API. */
  public static org.apache.spark.sql.Column kmers(String column, int k) {
    return org.apache.spark.sql.functions.expr(String.format(
        "transform(sequence(1, greatest(length(`%s`) - %d, 1)), i -> substring(`%s`, i, %d))", column, k - 1, column,
        k));
  }

  /** Token count of a sequence: residues, or overlapping k-mers. */
  public static int tokenCount(int length, int k) {
    return Math.max(0, length - k + 1);
  }

  public static Dataset<Row> windows(Dataset<Row> splitSequences, String task, int length, int stride, int k) {
    Dataset<Row> s = splitSequences.select("sequence_id", "sequence", "label", "split");
    boolean nextToken = task.equals("next-token");
    return s.sparkSession().createDataFrame(s.javaRDD().flatMap(r -> {
      String id = r.getString(0);
      String seq = r.getString(1);
      int n = tokenCount(seq.length(), k);
      List<Row> out = new ArrayList<>();
      if (nextToken) {
        for (int t = 1; t < n; t++) {
          int from = Math.max(0, t - length);
          out.add(RowFactory.create(id, t, from, t - from, seq.substring(from, t + k), null, r.getString(3)));
        }
      } else {
        List<Integer> starts = starts(n, length, stride);
        for (int w = 0; w < starts.size(); w++) {
          int from = starts.get(w);
          int tokens = Math.min(length, n - from);
          out.add(RowFactory.create(id, w, from, tokens, seq.substring(from, from + tokens + k - 1), r.getString(2),
              r.getString(3)));
        }
      }
      return out.iterator();
    }), SCHEMA);
  }

  /** Window starts over n tokens: 0, S, 2S, ... and one flush with the end, so every token is covered. */
  static List<Integer> starts(int n, int length, int stride) {
    List<Integer> starts = new ArrayList<>();
    if (n <= length) {
      starts.add(0);
      return starts;
    }
    for (int s = 0; s + length < n; s += stride) {
      starts.add(s);
    }
    starts.add(n - length);
    return starts;
  }
}

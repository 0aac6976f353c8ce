package org.seqml.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;

/** The token baselines' bits per token by hand: add-one smoothed counts, unigram and by context. */
class TokenEvaluatorTest {
  private static final StructType TOKENS = new StructType().add("split", DataTypes.StringType)
      .add("token", DataTypes.StringType).add("context", DataTypes.StringType);

  private static Dataset<Row> rows(String split, String... tokenContext) {
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < tokenContext.length; i += 2) {
      rows.add(RowFactory.create(split, tokenContext[i], tokenContext[i + 1]));
    }
    return SparkTestSession.get().createDataFrame(rows, TOKENS);
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void bitsPerTokenByHand() {
    Dataset<Row> train = rows("train", "A", "x", "A", "x", "B", "y");
    Dataset<Row> test = rows("test", "A", "x", "C", "z");
    int v = 3; // A, B, C
    // unigram: P(A) = (2 + 1) / (3 + 3), P(C) = (0 + 1) / (3 + 3)
    assertEquals(-(log2(0.5) + log2(1.0 / 6)) / 2, TokenEvaluator.bits(train, test, lit(""), v), 1e-12);
    // by context: P(A | x) = (2 + 1) / (2 + 3); context z never seen: P(C | z) = (0 + 1) / (0 + 3)
    Dataset<Row> test2 = rows("test", "A", "x", "B", "z");
    assertEquals(-(log2(0.6) + log2(1.0 / 3)) / 2, TokenEvaluator.bits(train, test2, col("context"), v), 1e-12);
  }
}

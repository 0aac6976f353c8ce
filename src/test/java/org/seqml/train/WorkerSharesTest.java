package org.seqml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;

class WorkerSharesTest {
  /** Each worker's ids, in the order the worker visits them. */
  private static List<List<Long>> shares(Dataset<Row> rows, int workers, long seed) {
    Dataset<Row> dealt = WorkerShares.of(rows, workers, seed);
    assertEquals(workers, dealt.javaRDD().getNumPartitions());
    List<List<Long>> out = new ArrayList<>();
    for (List<Row> share : dealt.javaRDD().glom().collect()) {
      out.add(share.stream().map(r -> r.getLong(0)).collect(Collectors.toList()));
    }
    return out;
  }

  @Test
  void workersGetEqualSharesOfEveryRowInARandomOrder() {
    SparkSession spark = SparkTestSession.get();
    // 6,144 rows in 2 input partitions, as the scaling bench: a hash split dealt them 97 and 96 batches of 32
    int inputPartitions = 2;
    Dataset<Row> rows = spark.range(0, 6144, 1, inputPartitions).toDF("id");
    List<List<Long>> shares = shares(rows, 2, 42);
    int most = shares.stream().mapToInt(List::size).max().orElseThrow();
    int least = shares.stream().mapToInt(List::size).min().orElseThrow();
    assertTrue(most - least <= inputPartitions, "shares of " + least + " and " + most + " rows");
    List<Long> all = shares.stream().flatMap(List::stream).sorted().collect(Collectors.toList());
    assertEquals(LongStream.range(0, 6144).boxed().collect(Collectors.toList()), all, "every row once");
    for (List<Long> share : shares) {
      assertNotEquals(share.stream().sorted().collect(Collectors.toList()), share, "a share in the input's order");
    }
    // a seed deals the same shares in the same order (a rerun, a retried task); another seed another order
    assertEquals(shares, shares(rows, 2, 42));
    assertNotEquals(shares, shares(rows, 2, 43));
    // three workers from seven input partitions
    List<List<Long>> three = shares(spark.range(0, 1000, 1, 7).toDF("id"), 3, 7);
    int spread = three.stream().mapToInt(List::size).max().orElseThrow()
        - three.stream().mapToInt(List::size).min().orElseThrow();
    assertTrue(spread <= 7, "three shares spread by " + spread);
    assertEquals(1000, three.stream().mapToInt(List::size).sum());
  }
}

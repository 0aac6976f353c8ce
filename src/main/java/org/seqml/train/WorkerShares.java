package org.seqml.train;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A training set dealt to the workers: one Spark partition each, of equal size within one row per
 * input partition, each in a seeded random order.
 *
 * <p>Round-robin, as DL4J's balanced repartitioning, not hashed on a random column: a hash split's
 * shares are binomial, and the worker with more minibatches keeps the others waiting at every epoch's
 * last averaging round (the scaling bench's 6,144 rows on 2 workers: 3,032 and 3,112 rows, 95 and 98
 * batches of 32). Spark sorts the rows before a round robin, so a retried task deals the same rows; the
 * random column then orders each share.
 */
final class WorkerShares {
  private WorkerShares() {}

  static Dataset<Row> of(Dataset<Row> rows, int workers, long seed) {
    return rows.withColumn("_share_order", functions.rand(seed))
        .repartition(workers)
        .sortWithinPartitions("_share_order")
        .drop("_share_order");
  }
}

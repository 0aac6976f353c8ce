package org.seqml.window;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Stratified k-fold cross-validation of sequences: within each class, ordered by a seeded hash of the id
 * ({@link SequenceWindows#positionInClass}, as the split), the sequences fall into k equal folds. In fold f
 * the f-th part tests; of every other part the first {@code validationShare} validates (early stopping, the decision
 * threshold) and the rest trains. A sequence is in one part of each fold and tests in exactly one fold;
 * its windows follow it.
 */
public final class CrossValidationFolds {
  private final Dataset<Row> assigned;
  private final int folds;
  private final double validationShare;

  private CrossValidationFolds(Dataset<Row> assigned, int folds, double validationShare) {
    this.assigned = assigned;
    this.folds = folds;
    this.validationShare = validationShare;
  }

  /** Assigns each of {@code sequences} (sequence_id, label) its fold and its place within the fold. */
  public static CrossValidationFolds of(Dataset<Row> sequences, int folds, double validationShare, long seed) {
    Dataset<Row> ranked = SequenceWindows.positionInClass(sequences.select("sequence_id", "label"), seed)
        .withColumn("cv_fold", floor(col("position").multiply(folds)).cast("int"))
        .withColumn("within_fold", col("position").multiply(folds).minus(col("cv_fold")))
        .select("sequence_id", "cv_fold", "within_fold");
    return new CrossValidationFolds(ranked, folds, validationShare);
  }

  public int folds() {
    return folds;
  }

  /** The split of each sequence id in fold {@code fold} (0-based): sequence_id, split. */
  public Dataset<Row> splits(int fold) {
    return assigned.select(col("sequence_id"),
        when(col("cv_fold").equalTo(fold), lit(SlidingWindows.TEST))
            .when(col("within_fold").lt(validationShare), lit(SlidingWindows.VALIDATION))
            .otherwise(lit(SlidingWindows.TRAIN)).as("split"));
  }

  /** {@code table} (with sequence_id and split) with its split replaced by fold {@code fold}'s. */
  public Dataset<Row> resplit(Dataset<Row> table, int fold) {
    Dataset<Row> splits = splits(fold).withColumnRenamed("split", "cv_split");
    String[] columns = table.columns();
    Dataset<Row> joined = table.join(splits, "sequence_id").withColumn("split", col("cv_split")).drop("cv_split");
    return joined.selectExpr(java.util.Arrays.stream(columns).map(c -> "`" + c + "`").toArray(String[]::new));
  }
}

package org.seqml.eval;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.seqml.window.SlidingWindows;

/**
 * The test (window, step) pairs a forecast evaluation compares on: the model's scores with a known actual
 * beside the windows' own values, joined on (key, end_pos, horizon_step). Refused when there are none, or
 * when a pair is in the scores or the windows but not both (the scores were not made from these windows).
 */
final class TestPairs {
  private TestPairs() {}

  /** The joined pairs, cached (the caller unpersists); {@code windowColumn} is a column only the windows give. */
  static Dataset<Row> join(Dataset<Row> scores, Dataset<Row> steps, String windowColumn) {
    Dataset<Row> model = scores.filter(col("split").equalTo(SlidingWindows.TEST).and(col("actual").isNotNull()));
    Dataset<Row> joined = model.join(steps,
            scala.collection.JavaConverters.asScalaBuffer(List.of("key", "end_pos", "horizon_step")).toSeq(),
            "full_outer")
        .cache();
    if (joined.isEmpty()) {
      joined.unpersist();
      throw new IllegalStateException("no test windows with known targets to evaluate: more data, a smaller "
          + "window or a larger test split (1 - split.train - split.validation) is needed");
    }
    long unmatched = joined.filter(col("prediction").isNull().or(col(windowColumn).isNull())).count();
    if (unmatched > 0) {
      joined.unpersist();
      throw new IllegalStateException(unmatched + " test (window, step) pairs are in the scores or the windows "
          + "but not both: score the test split of the same windows before evaluating");
    }
    return joined;
  }
}

package org.seqml.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.types.StructType;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.run.RunContext;
import org.seqml.run.Stage;
import org.seqml.util.Schemas;

/** Every stage of a run's plan wrote what it declared: names and types of the table, in order. */
final class PlanContract {
  private PlanContract() {}

  static void assertEveryStageWroteItsDeclaredSchema(RunContext run) {
    for (Stage stage : Plan.of(run.config()).stages()) {
      boolean cutOnRead = stage.table().equals(Layout.WINDOWS)
          && !PartitionSink.exists(run, Layout.WINDOWS); // ticks cut windows from their steps
      StructType actual = cutOnRead ? Phases.windows(run).schema()
          : PartitionSink.read(run, stage.table()).drop("ds").schema();
      assertEquals(Schemas.shape(stage.schema()), Schemas.shape(actual), stage.describe());
    }
  }
}

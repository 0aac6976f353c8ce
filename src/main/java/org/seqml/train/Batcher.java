package org.seqml.train;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.dataset.DataSet;

/** Turns a batch of rows (the columns a task trains on) into a DL4J minibatch; runs on executors. */
@FunctionalInterface
public interface Batcher extends Serializable {
  DataSet batch(List<Row> rows);
}

package org.seqml.train;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.seqml.model.Networks;
import org.seqml.util.Batches;

/** A network's mean loss over a dataset, computed in mapPartitions from a broadcast of its bytes. */
public final class ValidationLoss {
  private ValidationLoss() {}

  public static double of(JavaSparkContext jsc, ComputationGraph net, Dataset<Row> rows, Batcher batcher,
      Loss loss, int batchSize) {
    Broadcast<byte[]> model = jsc.broadcast(bytes(net));
    try {
      double[] total = rows.javaRDD().mapPartitions((Iterator<Row> it) -> {
        double[] acc = new double[2];
        if (it.hasNext()) {
          ComputationGraph copy = Networks.restoreForTask(model.value());
          Batches.of(it, batchSize).forEachRemaining(batch -> {
            DataSet ds = batcher.batch(batch);
            INDArray output = Networks.output(copy, ds);
            double[] s = loss.sum(output, ds.getLabels());
            Networks.close(output);
            Networks.close(ds);
            acc[0] += s[0];
            acc[1] += s[1];
          });
        }
        return List.of(acc).iterator();
      }).reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
      return total[0] / total[1];
    } finally {
      model.destroy();
    }
  }

  static byte[] bytes(ComputationGraph net) {
    return Networks.bytes(net, false);
  }
}

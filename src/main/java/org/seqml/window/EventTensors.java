package org.seqml.window;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Next-event windows to tensors: histories as class indices [batch, 1, h], next events one-hot. */
public final class EventTensors implements Serializable {
  private final Vocabulary vocabulary;
  private final int history;

  public EventTensors(Vocabulary vocabulary, int history) {
    this.vocabulary = vocabulary;
    this.history = history;
  }

  public INDArray features(List<Row> rows, int historyColumn) {
    float[] data = new float[rows.size() * history];
    for (int i = 0; i < rows.size(); i++) {
      List<String> h = rows.get(i).getList(historyColumn);
      for (int t = 0; t < history; t++) {
        data[i * history + t] = vocabulary.indexOf(h.get(t));
      }
    }
    return Nd4j.create(data, new long[] {rows.size(), 1, history}, 'c');
  }

  public INDArray labels(List<Row> rows, int nextColumn) {
    INDArray labels = Nd4j.zeros(rows.size(), vocabulary.classes());
    for (int i = 0; i < rows.size(); i++) {
      labels.putScalar(i, vocabulary.indexOf(rows.get(i).getString(nextColumn)), 1.0);
    }
    return labels;
  }

  public DataSet dataSet(List<Row> rows, int historyColumn, int nextColumn) {
    return new DataSet(features(rows, historyColumn), labels(rows, nextColumn));
  }
}

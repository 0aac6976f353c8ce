package org.seqml.window;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sequence windows (SequenceWindows rows) to tensors. A segment becomes tokens (residues, or
 * overlapping k-mers looked up in the vocabulary, unknown if unseen in training); each position is a
 * one-hot vector [batch, V, L] or a token id [batch, 1, L] for an embedding. Classify windows are
 * padded on the right, next-token histories on the left (so the last position is the newest
 * token); the mask [batch, L] marks real positions and reaches every layer.
 */
public final class SequenceTensors implements Serializable {
  private final Vocabulary vocabulary;
  private final int k;
  private final int length;
  private final boolean oneHot;
  private final boolean nextToken;
  private final List<String> classes;

  public SequenceTensors(Vocabulary vocabulary, int k, int length, boolean oneHot, boolean nextToken,
      List<String> classes) {
    this.vocabulary = vocabulary;
    this.k = k;
    this.length = length;
    this.oneHot = oneHot;
    this.nextToken = nextToken;
    this.classes = List.copyOf(classes);
  }

  /** Classes the head predicts: the sequence classes, or every token for next-token. */
  public int outputs() {
    return nextToken ? vocabulary.classes() : classes.size();
  }

  int[] tokens(String segment) {
    int n = segment.length() - k + 1;
    int[] out = new int[Math.max(0, n)];
    for (int i = 0; i < out.length; i++) {
      out[i] = vocabulary.indexOf(segment.substring(i, i + k));
    }
    return out;
  }

  /** Rows: segment at {@code segmentColumn}, label at {@code labelColumn} (ignored for next-token). */
  public DataSet dataSet(List<Row> rows, int segmentColumn, int labelColumn) {
    int b = rows.size();
    INDArray features = oneHot ? Nd4j.zeros(DataType.FLOAT, b, vocabulary.classes(), length)
        : Nd4j.zeros(DataType.FLOAT, b, 1, length);
    INDArray mask = Nd4j.zeros(DataType.FLOAT, b, length);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, b, outputs());
    for (int i = 0; i < b; i++) {
      Row r = rows.get(i);
      int[] tokens = tokens(r.getString(segmentColumn));
      int history = nextToken ? tokens.length - 1 : Math.min(tokens.length, length);
      int offset = nextToken ? length - history : 0;
      for (int t = 0; t < history; t++) {
        int position = offset + t;
        if (oneHot) {
          features.putScalar(new long[] {i, tokens[t], position}, 1f);
        } else {
          features.putScalar(new long[] {i, 0, position}, tokens[t]);
        }
        mask.putScalar(i, position, 1f);
      }
      if (nextToken) {
        labels.putScalar(i, tokens[tokens.length - 1], 1f);
      } else if (labelColumn >= 0 && !r.isNullAt(labelColumn)) {
        int c = classes.indexOf(r.getString(labelColumn));
        if (c < 0) {
          throw new IllegalArgumentException("class " + r.getString(labelColumn) + " is not one of " + classes);
        }
        labels.putScalar(i, c, 1f);
      }
    }
    return new DataSet(features, labels, mask, null);
  }
}

package org.seqml.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.seqml.io.RowCounts;

/**
 * What a domain hands a task: its windows with explicit column roles, the per-sequence rows they were
 * cut from where the task needs them, and where the data came from. One kind per task family; a task
 * reads its kind and knows no domain.
 */
public sealed interface SequenceSet {
  /** Where the windows came from: the ingest's description and row counts (input = accepted + rejected). */
  Source source();

  /**
   * The config keys the windows' values depend on beyond the task's own (a domain's feature settings):
   * a model trained with other values of these is refused.
   */
  List<String> dependsOn();

  /** The windows, in the kind's schema. */
  Dataset<Row> windows();

  /** The ingest's data block and row counts, as the manifests carry them. */
  record Source(JsonNode data, RowCounts rows) {}

  /**
   * Multi-horizon forecasting windows (SlidingWindows.SCHEMA): {@code features} holds W x F values,
   * time-major, of the named feature columns; {@code target} the next H values of the feature at
   * {@code targetIndex}. Outputs name the key column {@code keyName}. {@code statics} names the features
   * that are the same at every step of a key (per-key scaling would erase them: they scale over all keys).
   */
  record Forecast(Dataset<Row> windows, String keyName, List<String> features, int targetIndex,
      String targetDescription, Source source, List<String> dependsOn, List<String> statics)
      implements SequenceSet {
    /** The same set over other windows of the same schema (a backtest fold's re-split). */
    public Forecast withWindows(Dataset<Row> other) {
      return new Forecast(other, keyName, features, targetIndex, targetDescription, source, dependsOn, statics);
    }

    /** The indices of {@link #statics} among the features. */
    public java.util.Set<Integer> staticIndices() {
      java.util.Set<Integer> indices = new java.util.TreeSet<>();
      statics.forEach(s -> indices.add(features.indexOf(s)));
      return indices;
    }
  }

  /**
   * Next-event windows (SessionWindows.WINDOWS: history, next, predict, label, split) and the sessions
   * they were cut from (SessionWindows.SESSIONS), labelled 1 when abnormal.
   */
  record Events(Dataset<Row> sessions, Dataset<Row> windows, Source source, List<String> dependsOn)
      implements SequenceSet {}

  /**
   * Token windows (SequenceWindows.SCHEMA: sequence_id, segment, label, split) and the sequences with
   * their split, tokenised as {@code tokens} says.
   */
  record Tokens(Dataset<Row> sequences, Dataset<Row> windows, Tokenizer tokens, String splitDescription,
      Source source, List<String> dependsOn) implements SequenceSet {}

  /**
   * How a token sequence is read: k-mers of length {@code k} (1 = single letters), a fixed vocabulary
   * ({@code letters}, or null for the {@code maxVocabulary} most frequent training k-mers), one-hot or
   * embedded, the class counted as positive (blank = the second of two), the k of the k-mer baseline,
   * and an optional augmentation of the training windows (another view of the same class).
   */
  record Tokenizer(String kind, int k, List<String> letters, int maxVocabulary, String encoding,
      String positiveClass, int baselineK, Augmentation augmentation) {
    public boolean oneHot() {
      return encoding.equals("one-hot");
    }
  }

  /** A second view of each training window's {@code segment} (e.g. the other DNA strand); null = none. */
  record Augmentation(String name, UnaryOperator<Column> segment) {}
}

package org.seqml.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.bio.SequenceSchema;

class SequenceWindowsTest {
  @Test
  void windowStartsCoverEveryToken() {
    assertEquals(List.of(0), SequenceWindows.starts(50, 100, 50));
    assertEquals(List.of(0), SequenceWindows.starts(100, 100, 50));
    assertEquals(List.of(0, 1), SequenceWindows.starts(101, 100, 50));
    assertEquals(List.of(0, 50, 60), SequenceWindows.starts(160, 100, 50));
  }

  private static Dataset<Row> sequences(int perClass) {
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < perClass; i++) {
      for (String label : List.of("a", "b")) {
        rows.add(RowFactory.create(label + i, "f", (long) i, "", "ACGTACGTAC", 10, label, null));
      }
    }
    return SparkTestSession.get().createDataFrame(rows, SequenceSchema.SCHEMA);
  }

  @Test
  void splitIsStratifiedAndSeeded() {
    Dataset<Row> split = SequenceWindows.split(sequences(100), new SeqmlConfig.Split(0.7, 0.1), 5);
    Map<String, Long> counts = split.groupBy("label", "split").count().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0) + "/" + r.getString(1), r -> r.getLong(2)));
    assertEquals(Map.of("a/train", 70L, "a/validation", 10L, "a/test", 20L, "b/train", 70L, "b/validation", 10L,
        "b/test", 20L), counts);
    assertEquals(split.orderBy("sequence_id").collectAsList(),
        SequenceWindows.split(sequences(100), new SeqmlConfig.Split(0.7, 0.1), 5).orderBy("sequence_id").collectAsList());
  }

  @Test
  void classifyAndNextTokenWindows() {
    Dataset<Row> split = SequenceWindows.split(sequences(1), new SeqmlConfig.Split(0.7, 0.1), 5).limit(1);
    List<Row> cls = SequenceWindows.windows(split, "classify", 4, 3, 1).orderBy("window").collectAsList();
    assertEquals(List.of("ACGT", "TACG", "GTAC"), cls.stream().map(r -> r.getString(4)).toList(),
        "starts 0, 3, then 6, flush with the end");
    List<Row> kmer = SequenceWindows.windows(split, "classify", 100, 50, 3).collectAsList();
    assertEquals(8, kmer.get(0).getInt(3), "10 bases hold 8 overlapping 3-mers");
    List<Row> next = SequenceWindows.windows(split, "next-token", 3, 1, 1).orderBy("window").collectAsList();
    assertEquals(9, next.size(), "every token after the first is a target");
    assertEquals("AC", next.get(0).getString(4), "history A, target C");
    assertEquals("GTAC", next.get(8).getString(4), "the last 3 tokens, then the target");
  }
}

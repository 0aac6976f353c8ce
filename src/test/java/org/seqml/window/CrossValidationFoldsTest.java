package org.seqml.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;

/** Every sequence tests in exactly one fold, no fold leaks a sequence across parts, classes stay balanced. */
class CrossValidationFoldsTest {
  static final StructType SEQUENCES = new StructType().add("sequence_id", DataTypes.StringType)
      .add("label", DataTypes.StringType).add("split", DataTypes.StringType);

  @Test
  void foldsPartitionTheSequencesByClass() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      rows.add(RowFactory.create("s" + i, i < 60 ? "promoter" : "other", "train"));
    }
    Dataset<Row> sequences = SparkTestSession.get().createDataFrame(rows, SEQUENCES);
    CrossValidationFolds folds = CrossValidationFolds.of(sequences, 5, 0.125, 17);
    Map<String, Integer> testedIn = new HashMap<>();
    for (int f = 0; f < 5; f++) {
      Map<String, Set<String>> parts = new HashMap<>();
      for (Row r : folds.resplit(sequences, f).collectAsList()) {
        parts.computeIfAbsent(r.getString(2), p -> new HashSet<>()).add(r.getString(0));
      }
      int total = parts.values().stream().mapToInt(Set::size).sum();
      assertEquals(300, total, "every sequence in one part of fold " + f);
      Set<String> all = new HashSet<>();
      parts.values().forEach(all::addAll);
      assertEquals(300, all.size(), "no sequence in two parts of fold " + f);
      Set<String> test = parts.get("test");
      assertEquals(60, test.size(), "a fifth tests");
      assertEquals(12, test.stream().filter(id -> Integer.parseInt(id.substring(1)) < 60).count(),
          "a fifth of each class tests");
      // the first eighth of each class within each other fold validates: ceil(12 / 8) + ceil(48 / 8) = 2 + 6
      // per fold, 32 of 240
      assertEquals(32, parts.get("validation").size());
      test.forEach(id -> testedIn.merge(id, 1, Integer::sum));
    }
    assertEquals(300, testedIn.size(), "every sequence tests in some fold");
    assertTrue(testedIn.values().stream().allMatch(n -> n == 1), "and in one only");
  }
}

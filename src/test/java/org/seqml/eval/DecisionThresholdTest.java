package org.seqml.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.score.SequenceScorer;

/** Thresholds fitted on hand-made validation scores and applied to test scores, checked by hand. */
class DecisionThresholdTest {
  static final List<String> CLASSES = List.of("no", "yes");

  static Row score(String id, String label, float yes, String split) {
    return RowFactory.create(id, 10, label, yes >= 0.5f ? "yes" : "no", new float[] {1 - yes, yes}, 1, split, "m");
  }

  static Dataset<Row> table(List<Row> rows) {
    return SparkTestSession.get().createDataFrame(rows, SequenceScorer.CLASS_SCORES);
  }

  @Test
  void mccPicksTheCutThatSeparatesTheValidationClasses() {
    // Validation: positives at 0.30, 0.35, 0.40, negatives at 0.05, 0.10, 0.20, 0.32. At 0.5 nothing is
    // positive; at >= 0.35 two positives and no negative (MCC 0.73); at >= 0.30 all three positives and one
    // negative (tp 3, fp 1, tn 3, fn 0: MCC 12 / sqrt(4 * 3 * 4 * 3) = 0.75), the best cut.
    List<Row> validation = new ArrayList<>();
    float[] pos = {0.30f, 0.35f, 0.40f};
    float[] neg = {0.05f, 0.10f, 0.20f, 0.32f};
    for (int i = 0; i < pos.length; i++) {
      validation.add(score("p" + i, "yes", pos[i], "validation"));
    }
    for (int i = 0; i < neg.length; i++) {
      validation.add(score("n" + i, "no", neg[i], "validation"));
    }
    Dataset<Row> v = table(validation);
    DecisionThreshold.Fitted mcc = DecisionThreshold.fit(DecisionThreshold.scored(v, "yes", 1), "mcc");
    assertEquals(0.30, mcc.threshold(), 1e-6);
    assertEquals(0.75, mcc.value(), 1e-9);
    // Youden at 0.30: 1 + 3/4 - 1 = 0.75; at 0.35: 2/3 + 1 - 1 = 0.667
    DecisionThreshold.Fitted youden = DecisionThreshold.fit(DecisionThreshold.scored(v, "yes", 1), "youden");
    assertEquals(0.30, youden.threshold(), 1e-6);
    assertEquals(0.75, youden.value(), 1e-9);

    // Test: yes at 0.31 and at 0.30 itself (found at 0.30, missed at 0.5), yes at 0.9, no at 0.29 and 0.6.
    Dataset<Row> test = table(List.of(score("t1", "yes", 0.31f, "test"), score("t2", "yes", 0.9f, "test"),
        score("t3", "no", 0.29f, "test"), score("t4", "no", 0.6f, "test"), score("t5", "yes", 0.30f, "test")));
    ObjectNode tuned = DecisionThreshold.apply(test, CLASSES, "yes", mcc);
    assertEquals(3, tuned.get("tp").asLong(), "p >= threshold is positive");
    assertEquals(1, tuned.get("fp").asLong());
    assertEquals(1, tuned.get("tn").asLong());
    assertEquals(0, tuned.get("fn").asLong());
    assertEquals(1.0, tuned.get("sensitivity").asDouble(), 1e-12);
    assertEquals(0.5, tuned.get("specificity").asDouble(), 1e-12);
    // MCC = (3*1 - 1*0) / sqrt(4 * 3 * 2 * 1) = 0.6124
    assertEquals(3 / Math.sqrt(24), tuned.get("mcc").asDouble(), 1e-12);
    assertEquals("validation", tuned.get("fitted_on").asText());
  }

  @Test
  void noThresholdWithoutBothClasses() {
    Dataset<Row> v = table(List.of(score("a", "yes", 0.7f, "validation"), score("b", "yes", 0.2f, "validation")));
    assertNull(DecisionThreshold.fit(DecisionThreshold.scored(v, "yes", 1), "mcc"));
  }
}

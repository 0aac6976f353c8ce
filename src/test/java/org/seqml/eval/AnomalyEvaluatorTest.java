package org.seqml.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.score.NextEventScorer;
import org.seqml.window.SessionWindows;

/** Operating points per top-g from hand-made event ranks. */
class AnomalyEvaluatorTest {
  static Row event(String session, int pos, boolean unknown, Integer rank) {
    return RowFactory.create(session, pos, unknown, rank, rank == null ? null : 1.0, false, "test");
  }

  static Row session(String id, int label) {
    return RowFactory.create(id, 2, new String[] {"a", "b"}, null, label, "test");
  }

  @Test
  void aSessionIsFlaggedAtGWhenAnEventRanksGOrWorseOrIsUnseen() {
    Dataset<Row> events = SparkTestSession.get().createDataFrame(List.of(
        event("n1", 0, false, null), event("n1", 1, false, 0),   // normal, always expected
        event("n2", 0, false, null), event("n2", 1, false, 2),   // normal, third choice
        event("a1", 0, false, null), event("a1", 1, false, 5),   // abnormal, sixth choice
        event("a2", 0, true, null), event("a2", 1, false, 0)),   // abnormal, opens with an unseen event
        NextEventScorer.EVENT_SCORES);
    Dataset<Row> sessions = SparkTestSession.get().createDataFrame(List.of(
        session("n1", 0), session("n2", 0), session("a1", 1), session("a2", 1)), SessionWindows.SESSIONS);
    JsonNode curve = AnomalyEvaluator.byTopG(events, sessions, 7);
    // g=1: every non-top event is a miss -> n2, a1, a2 flagged
    assertEquals(List.of(2L, 1L, 0L, 1L), counts(curve.get(0)));
    // g=3: n2 (rank 2) is fine now; a1 (rank 5) and a2 (unseen) still flagged
    assertEquals(List.of(2L, 0L, 0L, 2L), counts(curve.get(2)));
    // g=6: a1's rank 5 is within the top 6; only the unseen event remains
    assertEquals(List.of(1L, 0L, 1L, 2L), counts(curve.get(5)));
    assertEquals(0.5, curve.get(5).get("recall").asDouble(), 1e-12);
    assertEquals(0.0, curve.get(5).get("false_positive_rate").asDouble(), 1e-12);
  }

  private static List<Long> counts(JsonNode point) {
    return List.of(point.get("tp").asLong(), point.get("fp").asLong(), point.get("fn").asLong(),
        point.get("tn").asLong());
  }

  /** Precision and F1 restated at a population's ratio, by hand: recall and false-positive rate stay. */
  @Test
  void figuresAreRestatedAtThePopulationRatio() {
    // 100 abnormal (90 found), 1000 normal (10 flagged): recall 0.9, fpr 0.01, precision 0.9 on this mix.
    com.fasterxml.jackson.databind.node.ObjectNode m = AnomalyEvaluator.fromCounts(90, 10, 10, 990);
    new AnomalyEvaluator.Population(33, "detect.population-ratio", 2000.0).add(m);
    JsonNode at = m.get("at_population_ratio");
    double precision = 0.9 / (0.9 + 33 * 0.01);
    assertEquals(precision, at.get("precision").asDouble(), 1e-12);
    assertEquals(2 * precision * 0.9 / (precision + 0.9), at.get("f1").asDouble(), 1e-12);
    assertEquals(20.0, at.get("false_alarms_per_day").asDouble(), 1e-9, "fpr 0.01 of 2000 normal sessions a day");
    assertEquals(0.9, m.get("precision").asDouble(), 1e-12, "the test mix's own figure stays");
  }

  /** The input's own ratio, and normal sessions per day over its time span. */
  @Test
  void thePopulationIsTheLabelledInputsOwn() {
    java.util.List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) { // 30 normal, 10 abnormal, one every 6 hours: 39 * 6 h = 9.75 days
      rows.add(RowFactory.create("s" + i, 2, new String[] {"a"},
          java.sql.Timestamp.from(java.time.Instant.parse("2024-03-04T00:00:00Z").plusSeconds(6 * 3600L * i)),
          i % 4 == 0 ? 1 : 0, "test"));
    }
    rows.add(RowFactory.create("unlabelled", 2, new String[] {"a"}, null, null, "test"));
    AnomalyEvaluator.Population p = AnomalyEvaluator.Population.of(
        SparkTestSession.get().createDataFrame(rows, SessionWindows.SESSIONS), 0);
    assertEquals(3.0, p.normalPerAbnormal(), 1e-12);
    assertEquals("input", p.from());
    assertEquals(30 / 9.75, p.normalPerDay(), 1e-9);
    assertEquals(50.0, AnomalyEvaluator.Population.of(
        SparkTestSession.get().createDataFrame(rows, SessionWindows.SESSIONS), 50).normalPerAbnormal(), 1e-12);
  }
}

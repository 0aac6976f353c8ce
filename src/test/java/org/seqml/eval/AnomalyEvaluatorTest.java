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
}

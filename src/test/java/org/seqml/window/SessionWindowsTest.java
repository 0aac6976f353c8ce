package org.seqml.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.logs.LogEventSchema;
import org.seqml.util.Schemas;

class SessionWindowsTest {
  static Row event(String session, long ts, long seq, String id, Integer label) {
    return RowFactory.create(session, new Timestamp(ts), seq, id, null, null, label, "f", seq);
  }

  @Test
  void sessionsAreOrderedAndWindowsPadTheStart() {
    List<Row> events = List.of(
        event("s1", 3000, 9, "C", 0), event("s1", 1000, 7, "A", 0), event("s1", 2000, 1, "B", 0),
        event("s1", 2000, 2, "B2", 0), event("s2", 500, 1, "X", 1));
    Dataset<Row> input = SparkTestSession.get().createDataFrame(events, LogEventSchema.SCHEMA).repartition(3);
    Dataset<Row> sessions = SessionWindows.sessions(input, new SeqmlConfig.Split(0.5, 0.1));
    assertEquals(Schemas.shape(SessionWindows.SESSIONS), Schemas.shape(sessions.schema()));
    Map<String, Row> byId = sessions.collectAsList().stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
    assertEquals(List.of("A", "B", "B2", "C"), byId.get("s1").getList(2), "ordered by (ts, seq)");
    assertEquals(4, byId.get("s1").getInt(1));
    assertEquals("test", byId.get("s2").getString(5), "an abnormal session never trains");

    List<Row> windows = SessionWindows.windows(sessions, 3, true).filter("session_id = 's1'").orderBy("pos")
        .collectAsList();
    assertEquals(5, windows.size(), "four events and the end");
    assertEquals(List.of("B", "B2", "C"), windows.get(4).getList(2));
    assertEquals(SessionWindows.END, windows.get(4).getString(3));
    assertEquals(4, SessionWindows.windows(sessions, 3, false).filter("session_id = 's1'").count(),
        "classic DeepLog: no end window");
    assertEquals(List.of("", "", ""), windows.get(0).getList(2));
    assertEquals("A", windows.get(0).getString(3));
    assertFalse(windows.get(0).getBoolean(4), "the first event is context only");
    assertEquals(List.of("", "A", "B"), windows.get(2).getList(2));
    assertEquals("B2", windows.get(2).getString(3));
    assertEquals(List.of("A", "B", "B2"), windows.get(3).getList(2));
    assertEquals("C", windows.get(3).getString(3));
    assertTrue(windows.get(3).getBoolean(4));
  }

  @Test
  void splitSharesFollowTheHashAndDoNotDependOnPartitioning() {
    List<Row> events = new ArrayList<>();
    for (int s = 0; s < 2000; s++) {
      events.add(event("session-" + s, s, 0, "A", 0));
    }
    Dataset<Row> one = SparkTestSession.get().createDataFrame(events, LogEventSchema.SCHEMA).coalesce(1);
    Dataset<Row> many = one.repartition(7);
    SeqmlConfig.Split detect = new SeqmlConfig.Split(0.5, 0.1);
    Map<String, String> a = SessionWindows.sessions(one, detect).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(5)));
    Map<String, String> b = SessionWindows.sessions(many, detect).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(5)));
    assertEquals(a, b);
    long train = a.values().stream().filter("train"::equals).count();
    long validation = a.values().stream().filter("validation"::equals).count();
    assertTrue(Math.abs(train - 1000) < 80, "about half train: " + train);
    assertTrue(Math.abs(validation - 200) < 50, "about a tenth validation: " + validation);
  }
}

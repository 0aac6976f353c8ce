package org.seqml.ingest.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.InputFiles;
import org.seqml.ingest.TextLines;
import scala.Tuple3;

/** Session files and raw log lines: every reject reason, the accounting, and partition-free template ids. */
class LogIngestTest {
  @TempDir Path dir;

  static SeqmlConfig config(String... overrides) {
    return new ConfigLoader(Path.of(".")).load("logs", "ci", List.of(overrides));
  }

  static Map<String, Long> reasons(LogIngest in) {
    return in.rejects().collectAsList().stream().collect(Collectors.groupingBy(r -> r.getString(2), Collectors.counting()));
  }

  static long acceptedLines(LogIngest in) {
    return in.events().select("source", "line").distinct().count();
  }

  @Test
  void sessionFilesRejectEveryBadLineAndLabelByFileName() throws IOException {
    Files.writeString(dir.resolve("train"), String.join("\n",
        "blk_1,5 5 22 11 9",
        "blk_2,5 22 11",
        "",
        "no comma here",
        "blk_3,5 x 11",
        "blk_4,",
        "blk_1,5 5 5",
        "blk_5," + "7 ".repeat(3000)) + "\n");
    Files.write(dir.resolve("test_abnormal"), ("blk_9,5 23 \n".getBytes(StandardCharsets.UTF_8)));
    Files.write(dir.resolve("test_abnormal"), new byte[] {'b', 'l', 'k', '_', '8', ',', '5', ' ', (byte) 0xC3, '\n'},
        java.nio.file.StandardOpenOption.APPEND);
    SeqmlConfig c = config("logs.labels.abnormal-files=*abnormal*");
    LogIngest in = SessionFileSource.read(SparkTestSession.get(), dir.toString(), c.logs());
    assertEquals(10, in.input().count());
    assertEquals(Map.of("empty_line", 1L, "format_mismatch", 1L, "non_integer_event_id", 1L, "empty_session", 1L,
        "duplicate_session", 1L, "line_too_long", 1L, "invalid_utf8", 1L), reasons(in));
    assertEquals(3, acceptedLines(in));
    assertEquals(10, acceptedLines(in) + in.rejects().count(), "input = accepted + rejected");
    List<Row> events = in.events().orderBy("session_id", "seq").collectAsList();
    assertEquals(5 + 3 + 2, events.size());
    assertEquals(List.of("5", "5", "22", "11", "9"), events.stream().filter(r -> r.getString(0).equals("blk_1"))
        .map(r -> r.getString(3)).toList(), "the first blk_1 line wins, in order");
    assertEquals(1, events.stream().filter(r -> r.getString(0).equals("blk_9")).findFirst().orElseThrow().getInt(6));
    assertEquals(0, events.get(0).getInt(6));
  }

  @Test
  void rawLinesRejectEveryBadLine() throws IOException {
    String ok = "2024-03-04 10:00:00.000 INFO gateway: Login request req-00000001 from 10.0.0.1";
    Files.writeString(dir.resolve("a.log"), String.join("\n",
        ok,
        "",
        "    at com.shop.Handler.serve(Handler.java:10)",
        "2024-03-04 25:61:00.000 INFO gateway: Login request req-00000002 from 10.0.0.1",
        "2024-03-04 10:00:01.000 INFO health: Heartbeat from node n1 load 5%",
        "2024-03-04 10:00:02.000 INFO gateway: Response 200 for req-00000001 in 5 ms " + "x".repeat(5000),
        "2024-03-04 10:00:03.000 INFO gateway: Response 200 for req-00000001 and req-00000003 in 5 ms") + "\n");
    Files.write(dir.resolve("a.log"), ("2024-03-04 10:00:04.000 INFO gateway: bad \u00ff byte req-00000004\n")
        .getBytes(StandardCharsets.ISO_8859_1), java.nio.file.StandardOpenOption.APPEND);
    SeqmlConfig c = config();
    LogIngest in = LogLinesSource.read(SparkTestSession.get(),
        TextLines.read(SparkTestSession.get(), InputFiles.list(dir.toString(), new org.apache.hadoop.conf.Configuration())),
        c.logs(), ZoneOffset.UTC);
    assertEquals(8, in.input().count());
    assertEquals(Map.of("empty_line", 1L, "format_mismatch", 1L, "unparseable_timestamp", 1L, "no_session_id", 1L,
        "line_too_long", 1L, "invalid_utf8", 1L), reasons(in));
    assertEquals(2, acceptedLines(in));
    assertEquals(3, in.events().count(), "a line naming two requests belongs to both sessions");
    assertEquals(8, acceptedLines(in) + in.rejects().count());
  }

  @Test
  void sessionsByStreamAndInactivityGap() throws IOException {
    Files.writeString(dir.resolve("b.log"), String.join("\n",
        "2024-03-04 10:00:00.000 INFO db: Opened connection 1",
        "2024-03-04 10:00:10.000 INFO web: Served page 7",
        "2024-03-04 10:00:20.000 INFO db: Closed connection 1",
        "2024-03-04 10:01:00.000 INFO db: Opened connection 2",
        "2024-03-04 10:00:15.000 INFO web: Served page 8") + "\n");
    SeqmlConfig c = config("logs.session.by=gap", "logs.session.key-field=Component", "logs.session.gap=30s");
    LogIngest in = LogLinesSource.read(SparkTestSession.get(),
        TextLines.read(SparkTestSession.get(), List.of(dir.resolve("b.log").toString())), c.logs(), ZoneOffset.UTC);
    Map<String, List<Long>> sessions = in.events().orderBy("ts").collectAsList().stream().collect(Collectors
        .groupingBy(r -> r.getString(0), java.util.TreeMap::new, Collectors.mapping(r -> r.getLong(8), Collectors.toList())));
    assertEquals(List.of(List.of(1L, 3L), List.of(4L), List.of(2L, 5L)), List.copyOf(sessions.values()),
        "db splits after 40 s of silence; web stays one session; order is by time, not by line");
    assertTrue(sessions.keySet().stream().allMatch(k -> k.startsWith("db#") || k.startsWith("web#")));
  }

  @Test
  void templateIdsDoNotDependOnPartitioning() {
    SeqmlConfig c = config("logs.generator.sessions=300");
    LogGenerator.Generated g = LogGenerator.generate(SparkTestSession.get(), c.logs().generator());
    List<Tuple3<String, Long, String>> lines = g.lines().collect();
    JavaRDD<Tuple3<String, Long, String>> one = g.lines().coalesce(1);
    JavaRDD<Tuple3<String, Long, String>> many = g.lines().repartition(9);
    Map<Long, String> a = idsByLine(LogLinesSource.read(SparkTestSession.get(), one, c.logs(), ZoneOffset.UTC));
    Map<Long, String> b = idsByLine(LogLinesSource.read(SparkTestSession.get(), many, c.logs(), ZoneOffset.UTC));
    assertTrue(a.size() > 0.9 * lines.size(), "most lines are events");
    assertEquals(a, b);
  }

  private static Map<Long, String> idsByLine(LogIngest in) {
    return in.events().select("line", "event_id").distinct().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getLong(0), r -> r.getString(1)));
  }
}

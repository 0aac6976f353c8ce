package org.seqml.ingest.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {
  static final LogFormat HDFS = LogFormat.of("<Date> <Time> <Pid> <Level> <Component>: <Content>");

  @Test
  void headersComeInFormatOrderWithContentLast() {
    ParsedLine line = HDFS.parse("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for"
        + " block blk_38865049064139660 terminating").orElseThrow();
    assertEquals(List.of("Date", "Time", "Pid", "Level", "Component", "Content"), List.copyOf(line.fields().keySet()));
    assertEquals(Map.of("Date", "081109", "Time", "203615", "Pid", "148", "Level", "INFO",
        "Component", "dfs.DataNode$PacketResponder",
        "Content", "PacketResponder 1 for block blk_38865049064139660 terminating"), line.fields());
    assertEquals("PacketResponder 1 for block blk_38865049064139660 terminating", line.content());
  }

  @Test
  void headersAreLazySoTheContentKeepsLaterSeparators() {
    ParsedLine line = HDFS.parse("081109 203615 148 INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock:"
        + " blockMap updated: 10.250.10.6:50010").orElseThrow();
    assertEquals("dfs.FSNamesystem", line.fields().get("Component"));
    assertEquals("BLOCK* NameSystem.addStoredBlock: blockMap updated: 10.250.10.6:50010", line.content());
  }

  @Test
  void textBetweenHeadersIsRegexAsInTheLoghubConfigs() {
    LogFormat hadoop = LogFormat.of("<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>");
    ParsedLine line = hadoop.parse("2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app"
        + ".MRAppMaster: Created MRAppMaster for application appattempt_1445144423722_0020_000001").orElseThrow();
    assertEquals("main", line.fields().get("Process"));
    assertEquals("Created MRAppMaster for application appattempt_1445144423722_0020_000001", line.content());
  }

  @Test
  void anOptionalPartThatIsAbsentGivesNullFields() {
    LogFormat linux = LogFormat.of("<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>");
    assertEquals("1234", linux.parse("Jun 14 15:16:01 combo sshd[1234]: session opened").orElseThrow()
        .fields().get("PID"));
    ParsedLine withoutPid = linux.parse("Jun 14 15:16:01 combo kernel: Linux version 2.6.5").orElseThrow();
    assertNull(withoutPid.fields().get("PID"));
    assertEquals("kernel", withoutPid.fields().get("Component"));
  }

  @Test
  void spacesInTheFormatMatchAnyRunOfWhitespaceAndTheLineIsStripped() {
    ParsedLine line = HDFS.parse("  081109\t203615   148 INFO dfs.DataNode: done  \r").orElseThrow();
    assertEquals("203615", line.fields().get("Time"));
    assertEquals("done", line.content());
  }

  @Test
  void aLineThatDoesNotFitTheFormatIsEmpty() {
    LogFormat openSsh = LogFormat.of("<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>");
    assertTrue(openSsh.parse("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster").isPresent());
    assertTrue(openSsh.parse("Dec 10 06:55:46 LabSZ cron[24200]: Invalid user webmaster").isEmpty());
    assertTrue(openSsh.parse("").isEmpty());
    assertTrue(HDFS.parse("081109 203615 148 INFO no colon separator here").isEmpty());
  }

  @Test
  void aFormatWithoutContentOrWithBrokenRegexIsRejectedNamingTheFormat() {
    IllegalArgumentException noContent = assertThrows(IllegalArgumentException.class,
        () -> LogFormat.of("<Date> <Message>"));
    assertTrue(noContent.getMessage().contains("<Content>") && noContent.getMessage().contains("<Date> <Message>"),
        noContent.getMessage());
    IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
        () -> LogFormat.of("<Date> [<Content>"));
    assertTrue(broken.getMessage().contains("<Date> [<Content>"), broken.getMessage());
  }

  @Test
  void aFormatSurvivesSerializationAndStillParses() {
    LogFormat copy = Serialization.roundTrip(HDFS);
    assertEquals(HDFS.parse("081109 203615 148 INFO dfs.DataNode: done"),
        copy.parse("081109 203615 148 INFO dfs.DataNode: done"));
    assertEquals(HDFS.headers(), copy.headers());
  }
}

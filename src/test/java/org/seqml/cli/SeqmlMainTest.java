package org.seqml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line: help on every command, and bad settings refused before Spark starts. */
class SeqmlMainTest {
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SeqmlMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "ingest", "window", "train", "score", "evaluate", "report", "backtest", "config"})
  void everyCommandHasHelp(String command) {
    Result r = run(command, "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Usage: seqml " + command), r.out());
    for (String option : new String[] {"--pipeline", "--env", "--conf", "--ds"}) {
      assertTrue(r.out().contains(option), command + " documents " + option);
    }
  }

  @Test
  void topLevelHelpListsTheCommands() {
    Result r = run("--help");
    assertEquals(0, r.code());
    for (String c : new String[] {"run", "ingest", "window", "train", "score", "evaluate"}) {
      assertTrue(r.out().contains(c), r.out());
    }
  }

  @Test
  void anInvalidSettingFailsBeforeSparkWithKeyValueAndOrigin() {
    Result r = run("run", "--pipeline", "ticks", "--conf", "train.batch-size-per-worker=0");
    assertEquals(SeqmlMain.CONFIG_ERROR, r.code());
    assertTrue(r.err().contains("train.batch-size-per-worker must be >= 1 (got 0) in --conf "
        + "train.batch-size-per-worker=0"), r.err());
  }

  /** Typesafe Config cuts 1.5 to 1: a fraction where a whole number belongs is refused, in a list too. */
  @ParameterizedTest
  @ValueSource(strings = {"train.epochs=1.5", "window.size=32.9", "model.hidden=[32, 16.5]", "train.epochs=\"2.0e0\""})
  void aFractionForAWholeNumberIsAConfigError(String setting) {
    Result r = run("config", "--pipeline", "ticks", "--conf", setting);
    boolean whole = setting.contains("2.0e0");
    assertEquals(whole ? 0 : SeqmlMain.CONFIG_ERROR, r.code(), r.err());
    assertTrue(whole || r.err().contains("must be a whole number"), r.err());
  }

  @Test
  void anUnwritableOutputDirIsAConfigErrorBeforeSpark() {
    Result r = run("run", "--pipeline", "ticks", "--env", "ci", "--conf", "output.dir=/proc/seqml-out");
    assertEquals(SeqmlMain.CONFIG_ERROR, r.code(), r.err());
    assertTrue(r.err().startsWith("seqml: config error: output.dir /proc/seqml-out cannot be written"), r.err());
  }

  @Test
  void aMissingInputIsAnInputErrorBeforeSpark() {
    Result r = run("ingest", "--pipeline", "ticks-table", "--env", "ci", "--conf", "ingest.path=/nonexistent/ticks.csv");
    assertEquals(SeqmlMain.INPUT_ERROR, r.code(), r.err());
    assertTrue(r.err().startsWith("seqml: input error: /nonexistent/ticks.csv: no such file"), r.err());
    Result glob = run("run", "--pipeline", "ticks-table", "--env", "ci", "--conf", "ingest.path=target/none-*.csv");
    assertEquals(SeqmlMain.INPUT_ERROR, glob.code(), glob.err());
    assertTrue(glob.err().contains("matches no file"), glob.err());
    assertEquals(1, r.err().lines().count(), "one line: " + r.err());
  }

  @Test
  void configExplainsAKeyWithItsDocDefaultValueAndOrigin() {
    Result r = run("config", "--pipeline", "ticks", "--env", "ci", "--conf", "train.epochs=3", "--explain", "train.epochs");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("train.epochs\n  Passes over the training windows."), r.out());
    assertTrue(r.out().contains("  default: 6\n") && r.out().contains("  value:   3\n"), r.out());
    assertTrue(r.out().contains("  set by:  --conf"), r.out());
    Result byFile = run("config", "--pipeline", "logs-hdfs", "--explain", "window.size");
    assertTrue(byFile.out().contains("set by:  ") && byFile.out().contains("logs-hdfs.conf"), byFile.out());
    Result unknown = run("config", "--pipeline", "ticks", "--explain", "train.epoch");
    assertEquals(SeqmlMain.CONFIG_ERROR, unknown.code());
  }

  @Test
  void configKeysListsWhatTheDomainAndTaskRead() {
    Result logs = run("config", "--pipeline", "logs", "--keys");
    assertEquals(0, logs.code(), logs.err());
    assertTrue(logs.out().contains("\ndetect.top-g = ") && logs.out().contains("\nlogs.max-line-length = "), logs.out());
    assertTrue(!logs.out().contains("\nbio.") && !logs.out().contains("\nfeatures.")
        && !logs.out().contains("\nclassify."), "keys of other domains and tasks listed:\n" + logs.out());
    assertTrue(logs.out().contains("\ntrain.epochs = "), logs.out());
  }

  @Test
  void everyCommandButRunNeedsAPipeline() {
    Result score = run("score", "--env", "ci");
    assertEquals(SeqmlMain.CONFIG_ERROR, score.code(), score.err());
    assertTrue(score.err().contains("seqml score needs --pipeline NAME"), score.err());
    assertEquals(0, run("config", "--pipeline", "ticks").code());
  }

  @Test
  void aCopiedPipelineFileThatNamesAnotherPipelineSaysSo() throws java.io.IOException {
    java.nio.file.Path copy = java.nio.file.Files.createTempFile("my", ".conf");
    java.nio.file.Files.writeString(copy, "include \"" + java.nio.file.Path.of("pipelines/ticks.conf").toAbsolutePath()
        + "\"\n");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream before = System.err;
    System.setErr(new java.io.PrintStream(err, true));
    try {
      assertEquals(0, run("config", "--pipeline", copy.toString()).code());
    } finally {
      System.setErr(before);
    }
    assertTrue(err.toString().contains("names its pipeline \"ticks\""), err.toString());
  }

  @Test
  void aBadDsIsAConfigError() {
    Result r = run("ingest", "--pipeline", "ticks", "--ds", "2024-13-01");
    assertEquals(SeqmlMain.CONFIG_ERROR, r.code());
    assertTrue(r.err().contains("--ds must be a date"), r.err());
  }

  @Test
  void configPrintsTheResolvedLayers() {
    Result r = run("config", "--pipeline", "ticks", "--env", "ci", "--conf", "window.size=40");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"size\" : 40"), r.out());
    assertTrue(r.out().contains("# config hash "), r.out());
  }

  @Test
  void configPrintsThePlanWithEveryTablesSchema() {
    Result r = run("config", "--pipeline", "logs", "--env", "ci");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("# plan: logs x next-event"), r.out());
    assertTrue(r.out().contains("window -> windows (session_id string, pos int, history array<string>"), r.out());
    assertTrue(r.out().contains("score -> scores (session_id string"), r.out());
    Result ticks = run("config", "--pipeline", "ticks", "--env", "ci");
    assertTrue(ticks.out().contains("score -> scores (symbol string"), "forecast scores keep the ticks' word for "
        + "the key: " + ticks.out());
  }

  @Test
  void aBacktestOfATaskWithoutOneIsAConfigErrorBeforeSpark() {
    Result r = run("backtest", "--pipeline", "logs", "--env", "ci");
    assertEquals(SeqmlMain.CONFIG_ERROR, r.code(), r.err());
    assertTrue(r.err().contains("backtest serves task = forecast (got \"next-event\")"), r.err());
  }

  @Test
  void aTaskTheDomainDoesNotServeIsAConfigErrorBeforeSpark() {
    Result r = run("run", "--pipeline", "logs", "--conf", "task=forecast");
    assertEquals(SeqmlMain.CONFIG_ERROR, r.code());
    assertTrue(r.err().contains("task must be one of [next-event] for ingest.domain = logs (got \"forecast\")"),
        r.err());
  }

  @Test
  void aDomainsKeysAreNotValidatedForAnotherDomain() {
    // features.* and window.horizon are the ticks domain's and the forecast task's: a logs run never reads them
    Result r = run("config", "--pipeline", "logs", "--conf", "features.columns=[spread]", "--conf",
        "window.horizon=9");
    assertEquals(0, r.code(), r.err());
    Result ticks = run("config", "--pipeline", "ticks", "--conf", "features.columns=[spread]");
    assertEquals(SeqmlMain.CONFIG_ERROR, ticks.code());
    assertTrue(ticks.err().contains("features.columns must start with ret"), ticks.err());
  }

  @Test
  void theRetiredLogsSharesAreRefusedNamingTheirReplacement() {
    Result r = run("config", "--pipeline", "logs", "--conf", "detect.train-share=0.6");
    assertEquals(SeqmlMain.CONFIG_ERROR, r.code());
    assertTrue(r.err().contains("detect.train-share is no longer read") && r.err().contains("split.train"), r.err());
  }

  /** The three keys once all named format are refused, each naming the key that replaced it. */
  @ParameterizedTest
  @ValueSource(strings = {"ingest.format=csv:ingest.file-format", "bio.format=fasta:bio.record-format",
      "logs.format=x:logs.line-format"})
  void theOldFormatKeysAreRefusedNamingTheirNewName(String setting) {
    String[] parts = setting.split(":");
    Result r = run("config", "--pipeline", "ticks-table", "--conf", parts[0]);
    assertEquals(SeqmlMain.CONFIG_ERROR, r.code(), r.err());
    assertTrue(r.err().contains("no longer read") && r.err().contains("renamed " + parts[1]), r.err());
  }
}

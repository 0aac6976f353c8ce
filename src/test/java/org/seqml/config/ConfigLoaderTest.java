package org.seqml.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path home;
  ConfigLoader loader;

  @BeforeEach
  void layers() throws IOException {
    Files.createDirectories(home.resolve("pipelines"));
    Files.createDirectories(home.resolve("conf/env"));
    Files.writeString(home.resolve("pipelines/p.conf"), "window.size = 16\nwindow.stride = 3\ntrain.epochs = 2\n");
    Files.writeString(home.resolve("conf/env/e.conf"), "window.size = 24\n");
    Files.writeString(home.resolve("pipelines/bad.conf"), "train.epochs = -1\n");
    loader = new ConfigLoader(home);
  }

  @Test
  void eachLayerOverridesTheOneBelow() {
    assertEquals(32, loader.load(null, null, List.of()).window().size(), "reference.conf default");
    SeqmlConfig pipeline = loader.load("p", null, List.of());
    assertEquals(16, pipeline.window().size());
    assertEquals("p", pipeline.pipeline(), "pipeline name defaults to the file name");
    SeqmlConfig env = loader.load("p", "e", List.of());
    assertEquals(24, env.window().size(), "env wins over pipeline");
    assertEquals(3, env.window().stride(), "pipeline value survives where env is silent");
    SeqmlConfig override = loader.load("p", "e", List.of("window.size=8", "train.epochs = 5"));
    assertEquals(8, override.window().size(), "--conf wins over everything");
    assertEquals(5, override.train().epochs());
  }

  /** An empty ingest.timezone is the domain's default: New York for ticks, UTC for the others. */
  @Test
  void eachDomainHasItsOwnDefaultTimezone() {
    ConfigLoader project = new ConfigLoader(Path.of("."));
    assertEquals("America/New_York", project.load("ticks", null, List.of()).ingest().timezone().getId());
    assertEquals("UTC", project.load("bio", null, List.of()).ingest().timezone().getId());
    assertEquals("UTC", project.load("logs", null, List.of("ingest.timezone=\"\"")).ingest().timezone().getId());
    assertEquals("Asia/Tokyo", project.load("logs", null, List.of("ingest.timezone=Asia/Tokyo")).ingest().timezone()
        .getId());
  }

  /** A copy of a shipped pipeline kept outside pipelines/ still finds the pipeline it includes. */
  @Test
  void aCopiedPipelineFindsTheShippedFileItIncludes(@TempDir Path elsewhere) throws IOException {
    Files.writeString(home.resolve("pipelines/base.conf"), "ingest.domain = \"logs\"\nwindow.size = 12\n");
    Path copy = Files.writeString(elsewhere.resolve("mine.conf"), "include \"base.conf\"\nwindow.stride = 4\n");
    SeqmlConfig mine = loader.load(copy.toString(), null, List.of());
    assertEquals("logs", mine.ingest().domain(), "the included file's values");
    assertEquals(12, mine.window().size());
    assertEquals(4, mine.window().stride());
    assertEquals("mine", mine.pipeline());
    // one beside the copy wins over the shipped one
    Files.writeString(elsewhere.resolve("base.conf"), "window.size = 20\n");
    assertEquals(20, loader.load(copy.toString(), null, List.of()).window().size());
    // and one found nowhere is an error naming it, not an empty layer
    Path lost = Files.writeString(elsewhere.resolve("lost.conf"), "include \"nowhere.conf\"\n");
    ConfigError e = assertThrows(ConfigError.class, () -> loader.load(lost.toString(), null, List.of()));
    assertTrue(e.getMessage().contains("nowhere.conf") && e.getMessage().contains("lost.conf"), e.getMessage());
  }

  @Test
  void invalidOverrideNamesKeyValueAndOrigin() {
    ConfigError e = assertThrows(ConfigError.class, () -> loader.load("p", null, List.of("window.size=0")));
    assertTrue(e.getMessage().contains("window.size"), e.getMessage());
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    assertTrue(e.getMessage().contains("--conf window.size=0"), e.getMessage());
  }

  @Test
  void invalidFileValueNamesTheFile() {
    ConfigError e = assertThrows(ConfigError.class, () -> loader.load("bad", null, List.of()));
    assertTrue(e.getMessage().contains("train.epochs"), e.getMessage());
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    assertTrue(e.getMessage().contains("pipelines/bad.conf"), e.getMessage());
  }

  @Test
  void crossFieldRulesAreChecked() {
    ConfigError horizon = assertThrows(ConfigError.class,
        () -> loader.load(null, null, List.of("window.size=4", "window.horizon=5")));
    assertTrue(horizon.getMessage().startsWith("window.horizon must be <= window.size"), horizon.getMessage());
    // a level forecast may look past its window (96 in, 720 out); its seasonal baseline must fit in it
    assertEquals(720, loader.load("series", null, List.of("window.size=96", "window.horizon=720")).window().horizon());
    ConfigError season = assertThrows(ConfigError.class,
        () -> loader.load("series", null, List.of("window.size=12", "forecast.season=24")));
    assertTrue(season.getMessage().startsWith("forecast.season must be <= window.size"), season.getMessage());
    ConfigError split = assertThrows(ConfigError.class,
        () -> loader.load(null, null, List.of("split.train=0.8", "split.validation=0.3")));
    assertTrue(split.getMessage().contains("split.validation"), split.getMessage());
    ConfigError path = assertThrows(ConfigError.class,
        () -> loader.load(null, null, List.of("ingest.source=table")));
    assertTrue(path.getMessage().contains("ingest.path"), path.getMessage());
    ConfigError type = assertThrows(ConfigError.class,
        () -> loader.load(null, null, List.of("train.epochs=many")));
    assertTrue(type.getMessage().contains("train.epochs must be an integer (got \"many\")"), type.getMessage());
  }

  @Test
  void convolutionBlocksTakeOneValueOrOnePerBlock() {
    SeqmlConfig.Conv one = loader.load(null, null, List.of("model.conv.filters=32", "model.conv.kernel=9")).model()
        .conv();
    assertEquals(List.of(32), one.filters());
    assertEquals(9, one.kernel(0));
    SeqmlConfig.Conv blocks = loader.load(null, null, List.of("model.family=cnn", "model.conv.filters=[64,32]",
        "model.conv.kernel=[15,5]", "model.conv.pool=2", "model.conv.norm=batch")).model().conv();
    assertEquals(5, blocks.kernel(1));
    assertEquals(2, blocks.pool(1));
    assertEquals(8, blocks.length(32));
    assertTrue(!loader.load(null, null, List.of()).model().conv().enabled(), "filters 0 = no blocks");
    ConfigError cnn = assertThrows(ConfigError.class, () -> loader.load(null, null, List.of("model.family=cnn")));
    assertTrue(cnn.getMessage().startsWith("model.conv.filters must name at least one block"), cnn.getMessage());
    ConfigError count = assertThrows(ConfigError.class, () -> loader.load(null, null,
        List.of("model.conv.filters=[8,8]", "model.conv.kernel=[3,5,7]")));
    assertTrue(count.getMessage().startsWith("model.conv.kernel must be one value or one per block"), count.getMessage());
    ConfigError even = assertThrows(ConfigError.class, () -> loader.load(null, null,
        List.of("model.conv.filters=8", "model.conv.kernel=4")));
    assertTrue(even.getMessage().contains("odd"), even.getMessage());
    ConfigError last = assertThrows(ConfigError.class, () -> loader.load(null, null,
        List.of("model.conv.filters=8", "model.conv.pool=2", "model.pooling=last")));
    assertTrue(last.getMessage().startsWith("model.conv.pool must be 1 with model.pooling = last"), last.getMessage());
    ConfigError gone = assertThrows(ConfigError.class, () -> loader.load(null, null,
        List.of("window.size=8", "model.conv.filters=[8,8]", "model.conv.pool=4")));
    assertTrue(gone.getMessage().contains("leaves no position"), gone.getMessage());
  }

  @Test
  void unknownPipelineListsWhereItLooked() {
    ConfigError e = assertThrows(ConfigError.class, () -> loader.load("nope", null, List.of()));
    assertTrue(e.getMessage().contains("unknown pipeline 'nope'"), e.getMessage());
    assertTrue(e.getMessage().contains("pipelines/nope.conf"), e.getMessage());
  }

  @Test
  void overrideValuesMayBeBarePaths() {
    SeqmlConfig c = loader.load(null, null, List.of("output.dir=/tmp/a:b/out", "ingest.source=table",
        "ingest.path=hdfs://nn:8020/x/*.csv"));
    assertEquals("/tmp/a:b/out", c.outputDir());
    assertEquals("hdfs://nn:8020/x/*.csv", c.ingest().path());
  }

  @Test
  void overridePathsKeepDoubleSlashesAndHashes() {
    SeqmlConfig c = loader.load(null, null, List.of("output.dir=/mnt//out#1", "features.bar=1s"));
    assertEquals("/mnt//out#1", c.outputDir());
    assertEquals(java.time.Duration.ofSeconds(1), c.features().bar());
  }

  @Test
  void quotedSparkKeysReachSparkWithoutQuotes() throws IOException {
    Files.writeString(home.resolve("conf/env/q.conf"), "spark.conf { \"spark.ui.enabled\" = false }\n");
    assertEquals(java.util.Map.of("spark.ui.enabled", "false"), loader.load(null, "q", List.of()).spark().conf());
  }

  @Test
  void hashChangesWithTheConfigAndOnlyThen() {
    String a = loader.load("p", null, List.of()).configHash();
    assertEquals(a, loader.load("p", null, List.of()).configHash());
    assertNotEquals(a, loader.load("p", null, List.of("train.epochs=3")).configHash());
  }

  @Test
  void shippedPipelinesAndEnvsAreValid() {
    ConfigLoader project = new ConfigLoader(Path.of("."));
    for (String pipeline : List.of("ticks", "ticks-lobster")) {
      for (String env : List.of("local", "cluster", "ci")) {
        SeqmlConfig c = project.load(pipeline, env, List.of());
        assertEquals(pipeline, c.pipeline());
      }
    }
    assertEquals("table", project.load("ticks-table", null, List.of("ingest.path=/x.csv")).ingest().source());
  }

  @Test
  void unknownKeysAreRejectedWithWhereTheyCameFromAndTheLikelyKey() throws IOException {
    ConfigError typo = assertThrows(ConfigError.class, () -> loader.load("p", null, List.of("train.epoch=3")));
    assertTrue(typo.getMessage().contains("'train.epoch'"), typo.getMessage());
    assertTrue(typo.getMessage().contains("did you mean 'train.epochs'"), typo.getMessage());
    ConfigError misplaced = assertThrows(ConfigError.class, () -> loader.load(null, null, List.of("root=/x")));
    assertTrue(misplaced.getMessage().contains("unknown config key 'root'"), misplaced.getMessage());
    Files.writeString(home.resolve("pipelines/typo.conf"), "window { size = 8, strid = 2 }\n");
    ConfigError inFile = assertThrows(ConfigError.class, () -> loader.load("typo", null, List.of()));
    assertTrue(inFile.getMessage().contains("'window.strid'") && inFile.getMessage().contains("pipelines/typo.conf")
        && inFile.getMessage().contains("did you mean 'window.stride'"), inFile.getMessage());
    assertEquals("4g", loader.load(null, null, List.of("spark.conf.\"spark.executor.memory\"=4g")).spark().conf()
        .get("spark.executor.memory"), "spark.conf is a free-form map");
  }
}

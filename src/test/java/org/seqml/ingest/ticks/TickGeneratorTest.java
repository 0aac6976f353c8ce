package org.seqml.ingest.ticks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.IngestResult;

/** The generator's input count, given by construction rather than counted, is the count of what it generates. */
class TickGeneratorTest {
  @Test
  void theKnownInputCountIsWhatTheGeneratorGenerates() {
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("ticks", "ci",
        List.of("ingest.generator.symbols=3", "ingest.generator.ticks-per-symbol=257"));
    IngestResult result = TicksIngest.read(SparkTestSession.get(), config.ingest());
    assertEquals(3 * 257, result.inputCount());
    assertEquals(result.inputCount(), result.accepted().count());
    assertEquals(result.inputCount(), result.input().count());
    assertEquals(0, result.rejects().count());
    assertEquals(3, result.accepted().select("symbol").distinct().count());
  }
}

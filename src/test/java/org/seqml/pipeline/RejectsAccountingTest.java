package org.seqml.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.ticks.TickReject;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.run.CodeVersion;
import org.seqml.run.RunContext;

/** The ingest phase writes every reject with its reason and manifests whose counts add up. */
class RejectsAccountingTest {
  @TempDir Path dir;

  @Test
  void manifestsCountEveryRejectByReason() throws IOException {
    StringBuilder csv = new StringBuilder("symbol,timestamp,price,size,bid,ask,bid_size,ask_size\n");
    for (int i = 0; i < 12; i++) {
      csv.append(String.format("S,2024-03-04T14:30:%02dZ,10.01,1,10.00,10.02,5,6%n", i));
    }
    csv.append("S,2099-03-04T14:30:30Z,10.01,1,10.00,10.02,5,6\n");  // implausible_time
    csv.append("S,2024-03-04T14:30:12Z,10.01,1,10.00,10.02,5,6\n");  // good: the 2099 tick poisons nothing
    csv.append("\n");                                                 // empty_line
    csv.append("S,2024-03-04T14:31:00Z,10.01,1,10.00\n");            // wrong_field_count
    csv.append("S,2024-03-04T14:31:00Z,,1,10.00,10.02,5,6\n");       // missing_value
    csv.append("S,2024-03-04T14:31:00Z,x,1,10.00,10.02,5,6\n");      // unparseable_number
    csv.append("S,04/03/2024,10.01,1,10.00,10.02,5,6\n");            // unparseable_timestamp
    csv.append("S,2024-03-04T14:31:00Z,Infinity,1,10.00,10.02,5,6\n"); // non_finite
    csv.append("S,2024-03-04T14:31:00Z,0,1,10.00,10.02,5,6\n");      // non_positive_price
    csv.append("S,2024-03-04T14:31:00Z,10.01,-2,10.00,10.02,5,6\n"); // non_positive_size
    csv.append("S,2024-03-04T14:31:00Z,10.01,1,10.00,10.02,-5,6\n"); // negative_book_size
    csv.append("S,2024-03-04T14:31:00Z,10.01,1,10.03,10.02,5,6\n");  // crossed_quote
    csv.append("S,2024-03-04T14:30:03Z,10.01,1,10.00,10.02,5,6\n");  // duplicate of line 5
    csv.append("S,2024-03-04T14:29:00Z,10.01,2,10.00,10.02,5,6\n");  // out_of_order
    RunContext run = ingest("in.csv", csv.toString());

    JsonNode ticks = PartitionSink.manifest(run, Layout.TICKS);
    JsonNode rejects = PartitionSink.manifest(run, Layout.REJECTS);
    assertEquals(26, ticks.get("rows").get("in").asLong());
    assertEquals(13, ticks.get("rows").get("accepted").asLong());
    assertEquals(13, ticks.get("rows").get("rejected").asLong());
    assertEquals(13, ticks.get("rows_written").asLong());
    assertEquals(13, rejects.get("rows_written").asLong());
    for (String code : TickReject.TABLE_CODES) {
      assertEquals(1, rejects.get("rejected_by_reason").path(code).asLong(), code + " in " + rejects);
    }
    assertEquals(13, PartitionSink.read(run, Layout.REJECTS).filter("raw IS NOT NULL AND line > 1").count());
  }

  /** No accepted tick at all: the phase still finishes, with an empty ticks partition whose provenance says so. */
  @Test
  void inputWithEveryLineRejectedStillCompletesTheIngest() throws IOException {
    RunContext run = ingest("bad.csv", "symbol,timestamp,price,size,bid,ask,bid_size,ask_size\n"
        + "S,2024-03-04T14:31:00Z,x,1,10.00,10.02,5,6\nS,2024-03-04T14:31:00Z,0,1,10.00,10.02,5,6\n");

    JsonNode ticks = PartitionSink.manifest(run, Layout.TICKS);
    assertEquals(2, ticks.get("rows").get("in").asLong());
    assertEquals(0, ticks.get("rows").get("accepted").asLong());
    assertEquals(2, ticks.get("rows").get("rejected").asLong());
    assertEquals(0, ticks.get("data").get("rows").asLong());
    assertEquals(0, ticks.get("data").get("keys").asLong());
    assertEquals("xxhash64-sum:0", ticks.get("data").get("content_hash").asText());
  }

  /** The ingest phase of the ticks-table pipeline over a CSV file of the given content. */
  private RunContext ingest(String file, String content) throws IOException {
    Path input = dir.resolve(file);
    Files.writeString(input, content);
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("ticks-table", "ci",
        List.of("output.dir=" + dir.resolve("out-" + file), "ingest.path=" + input));
    RunContext run = new RunContext(config, SparkTestSession.get(), "2024-03-04", "rejects-" + file, CodeVersion.get(),
        Layout.of(config.outputDir(), config.pipeline()));
    Phases.ingest(run);
    return run;
  }
}

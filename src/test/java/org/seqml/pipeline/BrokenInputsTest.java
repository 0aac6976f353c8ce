package org.seqml.pipeline;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.ingest.InputError;
import org.seqml.io.Layout;
import org.seqml.run.CodeVersion;
import org.seqml.run.RunContext;

/**
 * Files that cannot be read to their end stop the ingest with an input error (exit 3) naming the file,
 * and the line where it is known, for every format seqml reads: a truncated or corrupt .csv.gz, a
 * truncated Parquet file, a truncated LOBSTER zip or one whose entry fails its CRC, a truncated .fa.gz.
 */
class BrokenInputsTest {
  @TempDir Path dir;

  private static final String HEADER = "symbol,timestamp,price,size,bid,ask,bid_size,ask_size\n";

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static String ticksCsv(int rows) {
    StringBuilder csv = new StringBuilder(HEADER);
    Random random = new Random(3);
    for (int i = 0; i < rows; i++) {
      csv.append(String.format("S%d,2024-03-04T14:%02d:%02d.%06dZ,10.%02d,%d,10.00,10.02,5,6%n", i % 7, 30 + i / 60000,
          (i / 1000) % 60, i % 1000, random.nextInt(100), 1 + random.nextInt(9)));
    }
    return csv.toString();
  }

  /** The ingest of {@code pipeline} fails with an input error; its message is returned. */
  private String ingestFails(String pipeline, String... overrides) {
    List<String> all = new ArrayList<>(List.of("output.dir=" + dir.resolve("out")));
    all.addAll(Arrays.asList(overrides));
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load(pipeline, "ci", all);
    RunContext run = new RunContext(config, SparkTestSession.get(), "2024-03-04", "broken", CodeVersion.get(),
        Layout.of(config.outputDir(), config.pipeline()));
    Exception e = assertThrows(Exception.class, () -> Phases.ingest(run));
    InputError input = InputError.in(e);
    assertNotNull(input, "not an input error: " + e);
    return input.getMessage();
  }

  @Test
  void aTruncatedCsvGzNamesFileAndLine() throws IOException {
    byte[] whole = gzip(ticksCsv(40_000));
    Path file = dir.resolve("ticks.csv.gz");
    Files.write(file, Arrays.copyOf(whole, whole.length / 2));
    String message = ingestFails("ticks-table", "ingest.path=" + file);
    assertTrue(message.contains(file + ":") && message.contains("cannot be read"), message);
    assertTrue(message.matches(".*\\.gz:\\d+: .*"), "no line: " + message);
  }

  @Test
  void aGzThatIsNotGzipNamesTheFile() throws IOException {
    Path file = dir.resolve("ticks.csv.gz");
    byte[] noise = new byte[4096];
    new Random(1).nextBytes(noise);
    Files.write(file, noise);
    String message = ingestFails("ticks-table", "ingest.path=" + file);
    assertTrue(message.contains(file + ":1:") && message.contains("cannot be read"), message);
  }

  @Test
  void aTruncatedParquetFileNamesTheFile() throws IOException {
    Path table = dir.resolve("ticks-parquet");
    SparkTestSession.get().range(5000).selectExpr("'S' as symbol", "current_timestamp() as timestamp",
        "10.0 + id / 1000 as price", "1.0 as size", "10.0 as bid", "10.02 as ask", "5.0 as bid_size",
        "6.0 as ask_size").coalesce(1).write().parquet(table.toString());
    Path part;
    try (var files = Files.list(table)) {
      part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    byte[] whole = Files.readAllBytes(part);
    Files.write(part, Arrays.copyOf(whole, whole.length - 40));
    // as a file copied from elsewhere: without the checksum file Hadoop's local writer put beside it
    Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
    String message = ingestFails("ticks-table", "ingest.path=" + table, "ingest.file-format=parquet");
    assertTrue(message.contains(part.getFileName().toString()) && message.contains("cannot be read"), message);
  }

  private static byte[] lobsterZip(boolean stored) throws IOException {
    StringBuilder messages = new StringBuilder();
    StringBuilder books = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      messages.append(String.format("%.6f,1,%d,100,2231800,1%n", 34200.0 + i * 0.01, 1000 + i));
      books.append("2239500,100,2231800,100\n");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (String[] entry : new String[][] {
          {"AMZN_2012-06-21_34200000_57600000_message_1.csv", messages.toString()},
          {"AMZN_2012-06-21_34200000_57600000_orderbook_1.csv", books.toString()}}) {
        byte[] bytes = entry[1].getBytes(StandardCharsets.US_ASCII);
        ZipEntry e = new ZipEntry(entry[0]);
        if (stored) {
          CRC32 crc = new CRC32();
          crc.update(bytes);
          e.setMethod(ZipEntry.STORED);
          e.setSize(bytes.length);
          e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  @Test
  void aTruncatedLobsterZipNamesTheFile() throws IOException {
    byte[] whole = lobsterZip(false);
    Path file = dir.resolve("AMZN_2012-06-21.zip");
    Files.write(file, Arrays.copyOf(whole, whole.length * 2 / 3));
    String message = ingestFails("ticks-lobster", "ingest.path=" + file);
    assertTrue(message.contains(file.toString()) && message.contains("cannot be read"), message);
  }

  @Test
  void aLobsterEntryFailingItsCrcNamesTheEntry() throws IOException {
    byte[] zip = lobsterZip(true);
    // A digit in the message file's data changes: the entry no longer matches its CRC.
    int at = new String(zip, StandardCharsets.ISO_8859_1).indexOf("34250.");
    zip[at + 3] = (byte) (zip[at + 3] == '9' ? '8' : '9');
    Path file = dir.resolve("AMZN_2012-06-21.zip");
    Files.write(file, zip);
    String message = ingestFails("ticks-lobster", "ingest.path=" + file);
    assertTrue(message.contains("message_1.csv") && message.contains("cannot be read"), message);
  }

  @Test
  void aTruncatedFastaGzNamesFileAndLine() throws IOException {
    StringBuilder fasta = new StringBuilder();
    Random random = new Random(5);
    for (int i = 0; i < 4000; i++) {
      fasta.append(">s").append(i).append('\n');
      for (int j = 0; j < 81; j++) {
        fasta.append("ACGT".charAt(random.nextInt(4)));
      }
      fasta.append('\n');
    }
    Path folder = Files.createDirectories(dir.resolve("fasta"));
    byte[] whole = gzip(fasta.toString());
    Path file = folder.resolve("x_prom.fa.gz");
    Files.write(file, Arrays.copyOf(whole, whole.length / 2));
    Files.write(folder.resolve("x_non_prom.fa.gz"), whole);
    String message = ingestFails("bio-promoters", "ingest.path=" + folder,
        "bio.labels.files=[\"*_non_prom.fa.gz=non_promoter\", \"*_prom.fa.gz=promoter\"]");
    assertTrue(message.contains("x_prom.fa.gz:") && message.contains("cannot be read"), message);
  }
}

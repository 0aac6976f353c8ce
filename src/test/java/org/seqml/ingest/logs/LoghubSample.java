package org.seqml.ingest.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seqml.SharedData;

/**
 * A loghub 2k sample from the shared data folder: raw lines and the ground-truth EventId of each
 * (from {@code <System>_2k.log_structured.csv}). Tests using it skip when the data is absent.
 */
record LoghubSample(List<String> lines, List<String> eventIds) {
  static LoghubSample load(String system) throws IOException {
    Path dir = SharedData.require("logs/loghub/" + system);
    // The reference reads logs as ISO-8859-1; readAllLines splits on \n, \r\n and \r like Python.
    List<String> lines = Files.readAllLines(dir.resolve(system + "_2k.log"), StandardCharsets.ISO_8859_1);
    List<List<String>> rows = Csv.parse(Files.readString(dir.resolve(system + "_2k.log_structured.csv"),
        StandardCharsets.UTF_8));
    int column = rows.get(0).indexOf("EventId");
    if (column < 0) {
      throw new IllegalStateException("no EventId column in the ground truth of " + system + ": " + rows.get(0));
    }
    List<String> eventIds = new ArrayList<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      eventIds.add(row.get(column));
    }
    return new LoghubSample(lines, eventIds);
  }
}

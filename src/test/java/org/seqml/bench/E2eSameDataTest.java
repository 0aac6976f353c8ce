package org.seqml.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.io.Json;

/**
 * The end-to-end bench's check that both sides worked on the same data: the peer's sample of steps is
 * matched to seqml's steps table by (key, position), feature by feature, and cuts, counts and scalers compared.
 */
class E2eSameDataTest {
  @TempDir Path dir;

  @Test
  void samplesAreMatchedByKeyAndPositionAndTheirDifferencesReported() throws Exception {
    SparkSession spark = SparkTestSession.get();
    StructType schema = new StructType().add("key", DataTypes.StringType).add("seq", DataTypes.LongType)
        .add("ret", DataTypes.DoubleType).add("spread", DataTypes.DoubleType).add("imbalance", DataTypes.DoubleType)
        .add("volume", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (long seq = 2; seq <= 2000; seq++) {
      rows.add(RowFactory.create("A", seq, 0.5, 1.0, 0.1, 2.0));
      rows.add(RowFactory.create("B", seq, -0.5, 1.5, -0.1, 3.0));
    }
    Path root = dir.resolve("seqml");
    spark.createDataFrame(rows, schema).write().parquet(root.resolve("steps/ds=2024-03-04").toString());
    Files.writeString(root.resolve("steps/ds=2024-03-04/_manifest.json"), "{\"split\": {\"validation_from\": "
        + "\"2024-03-04T15:00:00Z\", \"test_from\": \"2024-03-04T15:10:00Z\"}}");
    Files.createDirectories(root.resolve("model"));
    Files.writeString(root.resolve("model/metadata.json"),
        "{\"data\": {\"train_windows\": 700, \"validation_windows\": 150}}");
    Path peerOut = Files.createDirectories(dir.resolve("peer"));
    // positions 997 and 1994 of each key; B's second step off by 0.25 in its spread
    Files.writeString(peerOut.resolve("sample_steps.json"), "[[\"A\", 997, 0.5, 1.0, 0.1, 2.0], "
        + "[\"A\", 1994, 0.5, 1.0, 0.1, 2.0], [\"B\", 997, -0.5, 1.5, -0.1, 3.0], [\"B\", 1994, -0.5, 1.75, -0.1, 3.0]]");
    long c1 = java.time.Instant.parse("2024-03-04T15:00:02Z").toEpochMilli() * 1000;
    long c2 = java.time.Instant.parse("2024-03-04T15:10:00Z").toEpochMilli() * 1000;
    JsonNode peer = Json.MAPPER.readTree("{\"cuts_us\": [" + c1 + ", " + c2 + "], \"windows\": {\"train\": 698, "
        + "\"validation\": 151}, \"scaler\": {\"mean\": [0, 1, 0, 2], \"std\": [1, 1, 1, 2]}}");
    JsonNode seqml = Json.MAPPER.readTree("{\"scaler\": {\"mean\": [0, 1, 0, 2.5], \"std\": [1, 1, 1, 2]}}");

    ObjectNode s = E2eBench.sameData(spark, root, seqml, peerOut, peer);
    assertEquals(4, s.get("sample_steps_in_seqml").asInt());
    assertEquals(4, s.get("seqml_sample_steps").asInt());
    assertEquals(0.0, s.at("/largest_feature_difference/ret").asDouble());
    assertEquals(0.25, s.at("/largest_feature_difference/spread").asDouble(), 1e-12);
    assertEquals(2.0, s.get("validation_cut_difference_s").asDouble(), 1e-9);
    assertEquals(0.0, s.get("test_cut_difference_s").asDouble(), 1e-9);
    assertEquals(700, s.get("seqml_train_windows").asLong());
    assertEquals(698, s.get("peer_train_windows").asLong());
    assertEquals(0.25, s.get("scaler_largest_difference_in_std").asDouble(), 1e-12); // 0.5 / 2
  }
}

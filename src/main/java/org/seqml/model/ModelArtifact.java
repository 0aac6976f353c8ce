package org.seqml.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.seqml.io.AtomicPublish;
import org.seqml.io.Json;

/**
 * A trained model on disk: {@code model.zip} (DL4J, with updater state), {@code metadata.json}
 * (provenance: resolved config, window spec, scaler, data, metrics, code version) and
 * {@code SHA256SUMS}, verified on every load. The model id ends with the zip's hash, so equal ids
 * mean equal parameters. Published by renaming a complete temporary folder into place.
 */
public record ModelArtifact(String modelId, byte[] modelZip, JsonNode metadata) {
  public static final String MODEL = "model.zip";
  public static final String METADATA = "metadata.json";
  public static final String SUMS = "SHA256SUMS";

  /** Serialises {@code net}; {@code metadata} gets model_id and is frozen into the artifact. */
  public static ModelArtifact of(ComputationGraph net, ModelMetadata metadata) {
    byte[] bytes = Networks.bytes(net, true);
    String id = metadata.pipeline() + "-" + sha256(bytes).substring(0, 16);
    return new ModelArtifact(id, bytes, Json.MAPPER.valueToTree(metadata.withModelId(id)));
  }

  /** The metadata as its record (an artifact of an older seqml reads with the fields it has). */
  public ModelMetadata typed() {
    try {
      return Json.MAPPER.treeToValue(metadata, ModelMetadata.class);
    } catch (IOException e) {
      throw new IllegalStateException("model " + modelId + " has unreadable metadata: " + e.getMessage(), e);
    }
  }

  public ComputationGraph network() {
    return restore(modelZip);
  }

  public static ComputationGraph restore(byte[] zip) {
    return Networks.restore(zip, false);
  }

  /** Writes into {@code dir} atomically: a temp sibling is filled, then swapped in. */
  public void save(String dir, Configuration hadoop) {
    byte[] meta = Json.bytes(metadata);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(MODEL, modelZip);
    files.put(METADATA, meta);
    StringBuilder sums = new StringBuilder();
    files.forEach((name, bytes) -> sums.append(sha256(bytes)).append("  ").append(name).append('\n'));
    files.put(SUMS, sums.toString().getBytes(StandardCharsets.UTF_8));
    AtomicPublish.folder(dir, files, hadoop);
  }

  /** Loads and verifies checksums; a corrupt or partial artifact fails naming the file. */
  public static ModelArtifact load(String dir, Configuration hadoop) {
    try {
      Path base = new Path(dir);
      FileSystem fs = base.getFileSystem(hadoop);
      if (!fs.exists(new Path(base, SUMS))) {
        throw new org.seqml.util.Refusal("no model at " + dir + " (no " + SUMS + "): run the train phase first");
      }
      String sums = new String(readAll(fs, new Path(base, SUMS)), StandardCharsets.UTF_8);
      Map<String, byte[]> files = new LinkedHashMap<>();
      for (String line : sums.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        String[] parts = line.split("\\s+", 2);
        byte[] bytes;
        try {
          bytes = readAll(fs, new Path(base, parts[1]));
        } catch (org.apache.hadoop.fs.ChecksumException e) {
          throw new org.seqml.util.Refusal("checksum mismatch for " + dir + "/" + parts[1] + " (file system "
              + "checksum): the artifact is corrupt, retrain or restore it", e);
        }
        String actual = sha256(bytes);
        if (!actual.equals(parts[0])) {
          throw new org.seqml.util.Refusal("checksum mismatch for " + dir + "/" + parts[1] + ": expected "
              + parts[0] + ", found " + actual + "; the artifact is corrupt, retrain or restore it");
        }
        files.put(parts[1], bytes);
      }
      if (!files.containsKey(MODEL) || !files.containsKey(METADATA)) {
        throw new org.seqml.util.Refusal(SUMS + " in " + dir + " does not list " + MODEL + " and " + METADATA);
      }
      JsonNode meta = Json.MAPPER.readTree(files.get(METADATA));
      return new ModelArtifact(meta.get("model_id").asText(), files.get(MODEL), meta);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load model from " + dir, e);
    }
  }

  private static byte[] readAll(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return in.readAllBytes();
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package org.seqml.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqml.io.AtomicPublish;
import org.seqml.io.Json;
import org.seqml.model.ModelArtifact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-epoch checkpoints in {@code <dir>/epoch-NNNN/}: the network with its updater state, the best
 * parameters so far, the epoch history and the early-stopping counters, the config hash and the
 * data context (scaler or vocabulary). Each is written to a temporary folder and renamed into place,
 * with a SHA256SUMS file written last: a checkpoint whose sums are missing or wrong is never used.
 */
public final class Checkpoints {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  private static final String PREFIX = "epoch-";

  /** A checkpoint read back. */
  public record Loaded(int epoch, ComputationGraph network, INDArray bestParams, List<ParameterAveragingTrainer.Epoch> history,
      double best, int bestEpoch, int epochsWithoutImprovement) {}

  private final String dir;
  private final int keep;
  private final Configuration hadoop;
  private final String configHash;
  private final JsonNode context;

  public Checkpoints(String dir, int keep, Configuration hadoop, String configHash, JsonNode context) {
    this.dir = dir;
    this.keep = keep;
    this.hadoop = hadoop;
    this.configHash = configHash;
    this.context = context;
  }

  public String dir() {
    return dir;
  }

  /** Removes every checkpoint: a fresh (not resumed) training must not leave older epochs to resume from. */
  public void clear() {
    try {
      Path base = new Path(dir);
      FileSystem fs = base.getFileSystem(hadoop);
      if (fs.exists(base)) {
        for (FileStatus c : fs.listStatus(base)) {
          fs.delete(c.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear checkpoints in " + dir, e);
    }
  }

  public void save(int epoch, ComputationGraph net, INDArray bestParams, EpochPolicy policy,
      List<ParameterAveragingTrainer.Epoch> history) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    try {
      ModelSerializer.writeModel(net, model, true);
      if (bestParams != null) {
        ByteArrayOutputStream best = new ByteArrayOutputStream();
        Nd4j.write(bestParams, new DataOutputStream(best));
        files.put("best-params.bin", best.toByteArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.put("model.zip", model.toByteArray());
    ObjectNode state = Json.object();
    state.put("epoch", epoch);
    state.put("config_hash", configHash);
    state.set("context", context);
    state.put("best", policy.best());
    state.put("best_epoch", policy.bestEpoch());
    state.put("epochs_without_improvement", policy.epochsWithoutImprovement());
    ArrayNode epochs = state.putArray("history");
    for (ParameterAveragingTrainer.Epoch e : history) {
      epochs.addArray().add(e.epoch()).add(e.trainLoss()).add(e.validationLoss()).add(e.samplesPerSecond())
          .add(e.seconds());
    }
    files.put("state.json", Json.bytes(state));
    StringBuilder sums = new StringBuilder();
    files.forEach((name, bytes) -> sums.append(ModelArtifact.sha256(bytes)).append("  ").append(name).append('\n'));
    files.put("SHA256SUMS", sums.toString().getBytes(StandardCharsets.UTF_8));
    Path target = new Path(new Path(dir), String.format("%s%04d", PREFIX, epoch));
    AtomicPublish.folder(target.toString(), files, hadoop);
    try {
      Path base = new Path(dir);
      prune(base.getFileSystem(hadoop), base);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prune the checkpoints in " + dir, e);
    }
  }

  /** The newest complete checkpoint; refuses one made with another config or other data. */
  public Optional<Loaded> newest() {
    try {
      Path base = new Path(dir);
      FileSystem fs = base.getFileSystem(hadoop);
      if (!fs.exists(base)) {
        return Optional.empty();
      }
      List<FileStatus> newestFirst = checkpoints(fs, base);
      java.util.Collections.reverse(newestFirst);
      for (FileStatus candidate : newestFirst) {
        Map<String, byte[]> files = verified(fs, candidate.getPath());
        if (files == null) {
          LOG.warn("skipping incomplete or corrupt checkpoint {}", candidate.getPath());
          continue;
        }
        JsonNode state = Json.MAPPER.readTree(files.get("state.json"));
        if (!state.get("config_hash").asText().equals(configHash)) {
          throw new IllegalStateException("checkpoint " + candidate.getPath() + " was made with another config (hash "
              + state.get("config_hash").asText() + ", now " + configHash + "): resume with the same config, or "
              + "train without train.resume");
        }
        if (!state.get("context").equals(context)) {
          throw new IllegalStateException("checkpoint " + candidate.getPath() + " was made on other data (its scaler "
              + "or vocabulary differs): train without train.resume");
        }
        return Optional.of(load(files, state));
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoints in " + dir, e);
    }
  }

  private static Loaded load(Map<String, byte[]> files, JsonNode state) throws IOException {
    ComputationGraph net = org.seqml.model.Networks.restore(files.get("model.zip"), true);
    INDArray best = files.containsKey("best-params.bin")
        ? Nd4j.read(new DataInputStream(new ByteArrayInputStream(files.get("best-params.bin")))) : null;
    List<ParameterAveragingTrainer.Epoch> history = new ArrayList<>();
    for (JsonNode e : state.get("history")) {
      history.add(new ParameterAveragingTrainer.Epoch(e.get(0).asInt(), e.get(1).asDouble(), e.get(2).asDouble(),
          e.get(3).asDouble(), e.get(4).asDouble()));
    }
    return new Loaded(state.get("epoch").asInt(), net, best, history, state.get("best").asDouble(),
        state.get("best_epoch").asInt(), state.get("epochs_without_improvement").asInt());
  }

  private static Map<String, byte[]> verified(FileSystem fs, Path checkpoint) throws IOException {
    Path sumsPath = new Path(checkpoint, "SHA256SUMS");
    if (!fs.exists(sumsPath)) {
      return null;
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String line : new String(read(fs, sumsPath), StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split("\\s+", 2);
      Path file = new Path(checkpoint, parts[1]);
      byte[] bytes;
      try {
        bytes = fs.exists(file) ? read(fs, file) : null;
      } catch (org.apache.hadoop.fs.ChecksumException e) {
        return null;
      }
      if (bytes == null || !ModelArtifact.sha256(bytes).equals(parts[0])) {
        return null;
      }
      files.put(parts[1], bytes);
    }
    return files.containsKey("state.json") && files.containsKey("model.zip") ? files : null;
  }

  private static List<FileStatus> checkpoints(FileSystem fs, Path base) throws IOException {
    return new ArrayList<>(Arrays.stream(fs.listStatus(base))
        .filter(s -> s.isDirectory() && s.getPath().getName().startsWith(PREFIX))
        .sorted(Comparator.comparing(s -> s.getPath().getName()))
        .toList());
  }

  private void prune(FileSystem fs, Path base) throws IOException {
    List<FileStatus> all = checkpoints(fs, base);
    for (int i = 0; i < all.size() - keep; i++) {
      fs.delete(all.get(i).getPath(), true);
    }
  }

  private static byte[] read(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }
}

package org.seqml.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * What a model's {@code metadata.json} says about it: which run, code, config and runtime made it,
 * the window it reads, the data context it needs to read windows (a scaler, a vocabulary, classes:
 * as data, the model knows neither), the data it was trained on, its training and its validation
 * figures. Written and read by Jackson; unknown fields of other versions are kept out, not refused.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelMetadata(
    String modelId,
    String pipeline,
    String task,
    String createdAt,
    String runId,
    String ds,
    String codeVersion,
    String configHash,
    JsonNode config,
    Runtime runtime,
    WindowSpec window,
    JsonNode scaler,
    JsonNode keyScales,
    JsonNode vocabulary,
    List<String> classes,
    Data data,
    Training training,
    Map<String, Double> metrics) {

  /** The window a model reads; fields a task does not use are absent. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record WindowSpec(Integer size, Integer stride, Integer horizon, String target, List<String> features,
      Integer topG, String tokens, Integer k, String encoding) {}

  /** The data trained on: the ingest's description and row counts, and the windows of each split used. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Data(JsonNode ingest, JsonNode rows, long trainWindows, long validationWindows) {}

  /** Training's figures: workers, wall time, the epoch published, per-epoch losses and speed. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Training(int workers, double wallSeconds, int publishedEpoch, JsonNode executors,
      List<Epoch> epochs) {}

  /** One epoch of training. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Epoch(int epoch, double trainLoss, double validationLoss, double samplesPerSecond, double seconds) {}

  /**
   * Where the model was trained: results depend on the ND4J backend, the BLAS kernels and which of
   * seqml's fused kernels ran, so they travel with it.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Runtime(String java, String os, String arch, String nd4jBackend, String blasVendor,
      String openblasCoretype, boolean smallKernels, String lstmKernel, String transformerKernel) {}

  public ModelMetadata withModelId(String id) {
    return new ModelMetadata(id, pipeline, task, createdAt, runId, ds, codeVersion, configHash, config, runtime,
        window, scaler, keyScales, vocabulary, classes, data, training, metrics);
  }
}

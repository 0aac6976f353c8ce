package org.seqml.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The whole resolved configuration of one run: immutable, validated, with a stable hash. A domain's or
 * task's own settings are read and validated only when it runs, and are null otherwise: {@code logs}
 * unless ingest.domain = logs, {@code bio} unless bio, {@code series} unless series, {@code features} and
 * the ticks parts of {@code ingest} (lobster date, generator) unless ticks ({@code ingest.file-format} unless
 * ticks or series files), {@code detect} unless task = next-event, {@code forecast} unless forecast.
 */
public record SeqmlConfig(
    String pipeline,
    String task,
    String outputDir,
    java.time.Duration lockExpiry,
    Ingest ingest,
    Logs logs,
    Bio bio,
    Series series,
    Detect detect,
    Classify classify,
    Forecast forecast,
    Features features,
    Window window,
    Split split,
    Model model,
    Train train,
    Score score,
    SparkSettings spark,
    String resolvedJson,
    String configHash) implements Serializable {

  /** Where raw data comes from. */
  public record Ingest(
      String domain,
      String source,
      String path,
      String format,
      ZoneId timezone,
      String lobsterDate,
      Generator generator,
      double rejectWarnShare,
      double rejectFailShare,
      java.time.Duration maxTimeSkew) implements Serializable {}

  /** The built-in tick generator's parameters. */
  public record Generator(
      int symbols,
      int ticksPerSymbol,
      long seed,
      Instant start,
      int meanIntervalMs,
      double signalStrength,
      int partitions) implements Serializable {}

  /** How raw log lines become events and sessions. */
  public record Logs(
      String format,
      List<String> masks,
      int maxLineLength,
      int mineSampleLines,
      long mineSeed,
      DrainSettings drain,
      Sessions session,
      Labels labels,
      LogGenerator generator) implements Serializable {}

  /** How sequence files become tokens, and where classes come from. */
  public record Bio(String format, String alphabet, String tokens, int k, int maxVocabulary, String encoding,
      boolean reverseComplement, int maxLength, String positiveClass, long splitSeed, BioLabels labels,
      BioGenerator generator, String duplicateIds, String splitFrom) implements Serializable {
    /** Whether the data gives each sequence its split (bio.split-from header or table). */
    public boolean splitGiven() {
      return !splitFrom.equals("hash");
    }
  }

  /**
   * A keyed time-series table's column roles: key columns (none = one series), time (empty = row order),
   * targets, past covariates, layout (long, or wide: each target column a series), calendar features.
   */
  public record Series(List<String> key, String time, List<String> targets, List<String> pastCovariates,
      String layout, List<String> calendar, boolean header, List<String> columns, String duplicates,
      Duration frequency, Map<String, String> aggregation, String fill, SeriesGenerator generator,
      List<String> futureCovariates, List<String> staticNumeric, List<String> staticCategorical, int staticBuckets)
      implements Serializable {
    /** Whether rows are put on a regular grid (series.frequency set). */
    public boolean gridded() {
      return !frequency.isZero();
    }

    public boolean wide() {
      return layout.equals("wide");
    }
  }

  /** The built-in series generator: hourly series with trend, daily and weekly seasons and a covariate. */
  public record SeriesGenerator(int series, int steps, long seed, Instant start, int partitions)
      implements Serializable {}

  /** The forecast task's own settings: scaling, the seasonal period of its baseline, the kind of target. */
  public record Forecast(String scaling, int minKeySteps, int season, String target, String reference,
      List<Double> quantiles, Backtest backtest) implements Serializable {
    /** The quantile levels the model forecasts, ascending (empty: a point forecast trained on MSE). */
    public double[] levels() {
      return quantiles.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Windows read relative to their last target value (forecast.reference = last). */
    public boolean relativeToLast() {
      return reference.equals("last");
    }

    public boolean perKey() {
      return scaling.equals("per-key");
    }

    /** A level target (a value, not a change): level metrics and baselines. */
    public boolean level() {
      return target.equals("level");
    }
  }

  /**
   * A rolling-origin backtest: {@code folds} origins stepping forward through the test period, a model
   * trained at every {@code retrainEvery}-th of them on the data before it.
   */
  public record Backtest(int folds, int retrainEvery) implements Serializable {}

  /** Sequence classes: from = file | header | table | none. */
  public record BioLabels(String from, List<String> files, String headerRegex, String table)
      implements Serializable {}

  /** The built-in labelled DNA generator. */
  public record BioGenerator(int sequences, int minLength, int maxLength, double brokenShare, long seed, String kind)
      implements Serializable {
    /** The promoter-like generator. */
    public BioGenerator(int sequences, int minLength, int maxLength, double brokenShare, long seed) {
      this(sequences, minLength, maxLength, brokenShare, seed, "promoter");
    }

    public boolean positional() {
      return kind.equals("positional");
    }
  }

  /** Drain's parse-tree parameters. */
  public record DrainSettings(int depth, double similarity, int maxChildren) implements Serializable {}

  /** Sessionisation of log lines. */
  public record Sessions(String by, String idPattern, String keyField, Duration gap, List<String> timeFields,
      String timePattern) implements Serializable {}

  /** Where session labels come from. */
  public record Labels(String path, String abnormalFiles) implements Serializable {}

  /** The built-in service-log generator. */
  public record LogGenerator(int sessions, double anomalyRate, long seed, int partitions) implements Serializable {}

  /** Next-event anomaly detection. */
  public record Detect(int topG, boolean endToken, String rule,
      double targetFpr, double populationRatio) implements Serializable {}

  /**
   * Sequence classification's evaluation: the rule a binary decision threshold is fitted by on the
   * validation scores (mcc, youden or none), reported beside the argmax decision; the folds of
   * {@code submit/seqml cv}.
   */
  public record Classify(String threshold, int folds) implements Serializable {
    public boolean fitsThreshold() {
      return !threshold.equals("none");
    }
  }

  /** Per-key features computed from ingested records. */
  public record Features(Duration bar, List<String> columns, double returnScale) implements Serializable {
    public boolean resampled() {
      return !bar.isZero();
    }
  }

  /** Window geometry: W steps in, H steps out, S steps between window ends. */
  public record Window(int size, int stride, int horizon) implements Serializable {}

  /** Time-ordered split fractions. */
  /**
   * The split's shares, and what places a forecasting window in a split: {@code window} (all its rows,
   * inputs and targets, lie in it) or {@code targets} (its targets do; its inputs may reach back into the
   * split before, as the long-horizon forecasting benchmarks read their data).
   */
  public record Split(double train, double validation, String by) implements Serializable {
    public Split(double train, double validation) {
      this(train, validation, "window");
    }

    public boolean byTargets() {
      return by.equals("targets");
    }
  }

  /** Network architecture and optimiser. */
  public record Model(
      String family,
      int embedding,
      List<Integer> hidden,
      int dense,
      double dropout,
      double learningRate,
      double l2,
      double gradientClip,
      long seed,
      Transformer transformer,
      String pooling,
      Conv conv,
      String lstmKernel,
      String gruKernel) implements Serializable {
    /** The same model with the GRU computed by seqml's fused kernel. */
    public Model(String family, int embedding, List<Integer> hidden, int dense, double dropout, double learningRate,
        double l2, double gradientClip, long seed, Transformer transformer, String pooling, Conv conv,
        String lstmKernel) {
      this(family, embedding, hidden, dense, dropout, learningRate, l2, gradientClip, seed, transformer, pooling, conv,
          lstmKernel, "fused");
    }

    /** model.lstm-kernel = fused: seqml's {@code FusedLstm} layer; dl4j: DL4J's own LSTM layer. */
    public boolean fusedLstm() {
      return lstmKernel.equals("fused");
    }
  }

  /**
   * Convolution blocks over positions, bottom first: each a 1-D convolution (filters, kernel, dilation), an
   * optional normalisation, an activation, dropout and a max-pool. The whole network of the cnn family; a
   * front end before the layers of the others. No filters = no blocks. Kernel, dilation and pool hold one
   * value for every block or one per block.
   */
  public record Conv(List<Integer> filters, List<Integer> kernel, List<Integer> dilation, List<Integer> pool,
      String norm, String activation, double dropout, String implementation) implements Serializable {
    /** The same blocks computed by seqml's fused convolution. */
    public Conv(List<Integer> filters, List<Integer> kernel, List<Integer> dilation, List<Integer> pool, String norm,
        String activation, double dropout) {
      this(filters, kernel, dilation, pool, norm, activation, dropout, "fused");
    }

    /** One block of {@code filters} (0 = none), no normalisation, pooling or dropout. */
    public Conv(int filters, int kernel) {
      this(filters == 0 ? List.of() : List.of(filters), List.of(kernel), List.of(1), List.of(1), "none",
          "leakyrelu", 0.0);
    }

    /** model.conv-kernel = fused: seqml's {@code FusedConv1D} layer; dl4j: DL4J's own Convolution1DLayer. */
    public boolean fused() {
      return implementation.equals("fused");
    }

    public boolean enabled() {
      return !filters.isEmpty();
    }

    public int blocks() {
      return filters.size();
    }

    public int kernel(int block) {
      return perBlock(kernel, block);
    }

    public int dilation(int block) {
      return perBlock(dilation, block);
    }

    public int pool(int block) {
      return perBlock(pool, block);
    }

    /** Whether any block max-pools, so later layers see fewer positions than the input has. */
    public boolean pools() {
      for (int b = 0; b < blocks(); b++) {
        if (pool(b) > 1) {
          return true;
        }
      }
      return false;
    }

    /** Positions left of {@code length} after every block's max-pool (each keeps whole pools only). */
    public int length(int length) {
      for (int b = 0; b < blocks(); b++) {
        length /= pool(b);
      }
      return length;
    }

    private static int perBlock(List<Integer> values, int block) {
      return values.size() == 1 ? values.get(0) : values.get(block);
    }
  }

  /** The transformer family's encoder: blocks, attention heads, width, feed-forward width, kernel. */
  public record Transformer(int blocks, int heads, int model, int feedForward, String kernel)
      implements Serializable {
    /** model.transformer.kernel = fused: seqml's {@code FusedTransformerBlock}; samediff: the SameDiff graph. */
    public boolean fused() {
      return kernel.equals("fused");
    }
  }

  /** Parameter-averaging training. */
  public record Train(
      int epochs,
      int batchSizePerWorker,
      int averagingFrequency,
      int prefetchBatches,
      int workers,
      boolean keepBest,
      long maxWindows,
      boolean resume,
      int patience,
      double minDelta,
      double divergenceFactor,
      String checkpointDir,
      int checkpointKeep,
      String averagingEngine,
      int exchangePort,
      int shuffleBuffer) implements Serializable {
    /** train.averaging-engine = barrier: seqml's barrier-stage averaging; dl4j: DL4J's training master. */
    public boolean barrierAveraging() {
      return averagingEngine.equals("barrier");
    }
  }

  /** Batch scoring. */
  public record Score(int batchSize, List<String> splits) implements Serializable {}

  /** Spark session settings. */
  public record SparkSettings(
      String master, String appName, int shufflePartitions, Map<String, String> conf) implements Serializable {}

  /** The network families model.family names (built by the model package). */
  public static final List<String> MODEL_FAMILIES = List.of("lstm", "bilstm", "gru", "bigru", "transformer", "cnn");

  static final Set<String> FEATURE_COLUMNS = Set.of("ret", "spread", "imbalance", "volume");
  static final Set<String> SPLITS = Set.of("train", "validation", "test");

  private static Conv conv(Settings s, Window window) {
    List<Integer> filters = s.intOrList("model.conv.filters");
    if (filters.equals(List.of(0))) {
      filters = List.of();
    }
    if (filters.stream().anyMatch(f -> f < 1 || f > 4096)) {
      throw s.error("model.conv.filters", "must be filters per block, each in 1..4096 (0 or [] = no convolution)");
    }
    int blocks = filters.size();
    Conv conv = new Conv(filters,
        perBlock(s, "model.conv.kernel", blocks, v -> v >= 1 && v <= 255 && v % 2 == 1, "odd, in 1..255"),
        perBlock(s, "model.conv.dilation", blocks, v -> v >= 1 && v <= 64, "in 1..64"),
        perBlock(s, "model.conv.pool", blocks, v -> v >= 1 && v <= 64, "in 1..64 (1 = no pooling)"),
        s.oneOf("model.conv.norm", Set.of("none", "batch", "layer")),
        s.oneOf("model.conv.activation", Set.of("relu", "leakyrelu", "elu", "gelu", "tanh")),
        s.doubleValue("model.conv.dropout", v -> v >= 0 && v < 1, "must be in [0, 1)"),
        s.oneOf("model.conv-kernel", Set.of("fused", "dl4j")));
    String family = s.string("model.family");
    if (family.equals("cnn") && !conv.enabled()) {
      throw s.error("model.conv.filters", "must name at least one block for model.family = cnn, e.g. [64, 64]");
    }
    if (conv.enabled() && conv.length(window.size()) < 1) {
      throw s.error("model.conv.pool", "leaves no position of window.size " + window.size() + " after pooling");
    }
    String pooling = s.string("model.pooling");
    if (conv.pools() && pooling.equals("last")) {
      throw s.error("model.conv.pool", "must be 1 with model.pooling = last: it finds the last real position by the "
          + "input's own mask, which pooling shortens (use mean, max or flatten)");
    }
    return conv;
  }

  /** One value for every block, or one per block. */
  private static List<Integer> perBlock(Settings s, String key, int blocks, Predicate<Integer> valid,
      String requirement) {
    List<Integer> values = s.intOrList(key);
    if (values.isEmpty() || values.stream().anyMatch(v -> !valid.test(v))) {
      throw s.error(key, "must be one value or one per block, each " + requirement);
    }
    if (values.size() != 1 && values.size() != blocks) {
      throw s.error(key, "must be one value or one per block of model.conv.filters (" + blocks + ")");
    }
    return values;
  }

  private static Transformer transformer(Settings s) {
    int model = s.intValue("model.transformer.d-model", v -> v >= 2 && v <= 4096, "must be in 2..4096");
    int heads = s.intValue("model.transformer.heads", v -> v >= 1 && model % v == 0,
        "must be >= 1 and divide model.transformer.d-model (" + model + ")");
    return new Transformer(
        s.intValue("model.transformer.blocks", v -> v >= 1 && v <= 64, "must be in 1..64"),
        heads, model,
        s.intValue("model.transformer.feed-forward", v -> v >= 1 && v <= 65536, "must be in 1..65536"),
        s.oneOf("model.transformer.kernel", Set.of("fused", "samediff")));
  }

  /** Parses and validates a resolved config; throws {@link ConfigError} naming key, value, file. */
  static SeqmlConfig from(Config resolved) {
    Settings s = new Settings(resolved);
    String pipeline = s.string("pipeline");
    if (!pipeline.matches("[A-Za-z0-9._-]+")) {
      throw s.error("pipeline", "must be a plain name of letters, digits, '.', '_' or '-'");
    }
    String task = s.oneOf("task", Set.of("forecast", "next-event", "classify", "next-token"));
    String domain = s.oneOf("ingest.domain", Set.of("ticks", "logs", "bio", "series"));
    String outputDir = s.string("output.dir");
    if (outputDir.isBlank()) {
      throw s.error("output.dir", "must not be empty");
    }

    String source = s.oneOf("ingest.source", switch (domain) {
      case "logs" -> Set.of("generator", "lines", "sessions");
      case "bio" -> Set.of("generator", "files");
      case "series" -> Set.of("generator", "files", "table");
      default -> Set.of("generator", "lobster", "table");
    });
    String path = s.string("ingest.path");
    if (!source.equals("generator") && path.isBlank()) {
      throw s.error("ingest.path", "must name the input when ingest.source = " + source);
    }
    ZoneId zone;
    try {
      String named = s.string("ingest.timezone");
      // Empty: the domain's own default: ticks are US market days (LOBSTER's seconds after midnight are New
      // York time); logs, sequences and series carry their zone or none, and UTC is the neutral reading.
      zone = ZoneId.of(named.isBlank() ? (domain.equals("ticks") ? "America/New_York" : "UTC") : named);
    } catch (RuntimeException e) {
      throw s.error("ingest.timezone", "must be a time-zone id such as UTC or America/New_York");
    }
    boolean ticks = domain.equals("ticks");
    // Each domain's and task's settings are read, and validated, only when that domain or task runs.
    boolean series = domain.equals("series");
    String format = ticks ? s.oneOf("ingest.file-format", Set.of("csv", "parquet"))
        : series && source.equals("files") ? s.oneOf("ingest.file-format", Set.of("parquet", "csv", "json", "orc")) : null;
    Ingest ingest = new Ingest(domain, source, path, format,
        zone, ticks ? TicksSettings.lobsterDate(s) : null, ticks ? TicksSettings.generator(s) : null,
        s.doubleValue("ingest.reject-warn-share", v -> v > 0 && v <= 1, "must be in (0, 1]"),
        s.doubleValue("ingest.reject-fail-share", v -> v > 0 && v <= 1, "must be in (0, 1] (1 = never fail)"),
        ticks ? s.duration("ingest.max-time-skew", d -> !d.isNegative(), "must be a duration >= 0 (0 = no limit)")
            : java.time.Duration.ZERO);
    Features features = ticks ? TicksSettings.features(s) : null;
    Logs logs = domain.equals("logs") ? LogsSettings.parse(s) : null;
    Bio bio = domain.equals("bio") ? BioSettings.parse(s) : null;
    Series seriesSettings = series ? SeriesSettings.parse(s, source) : null;
    Forecast forecast = task.equals("forecast") ? SeriesSettings.forecast(s) : null;
    if (bio != null && task.equals("classify") && bio.labels().from().equals("none") && !source.equals("generator")) {
      throw s.error("bio.labels.from", "must say where classes come from for task = classify");
    }
    Detect detect = task.equals("next-event") ? new Detect(
        s.intValue("detect.top-g", v -> v >= 1, "must be >= 1"),
        s.bool("detect.end-token"),
        s.oneOf("detect.rule", Set.of("top-g", "threshold")),
        s.doubleValue("detect.target-fpr", v -> v > 0 && v < 1, "must be strictly between 0 and 1"),
        s.doubleValue("detect.population-ratio", v -> v >= 0, "must be >= 0 (0 = the input's own)")) : null;

    Window window =
        new Window(
            s.intValue("window.size", v -> v >= 2, "must be >= 2"),
            s.intValue("window.stride", v -> v >= 1, "must be >= 1"),
            s.intValue("window.horizon", v -> v >= 1, "must be >= 1"));
    if (forecast != null && !forecast.level() && window.horizon() > window.size()) {
      throw s.error("window.horizon", "must be <= window.size (" + window.size() + ") for a change target "
          + "(forecast.target = change)");
    }
    if (forecast != null && forecast.season() > window.size()) {
      throw s.error("forecast.season", "must be <= window.size (" + window.size() + "): the seasonal-naive baseline "
          + "reads the value one season back from within the window");
    }

    double trainFraction =
        s.doubleValue("split.train", v -> v > 0 && v < 1, "must be strictly between 0 and 1");
    double validation =
        s.doubleValue("split.validation", v -> v > 0 && v < 1, "must be strictly between 0 and 1");
    if (trainFraction + validation >= 1) {
      throw s.error("split.validation", "plus split.train (" + trainFraction + ") must be < 1 to leave a test part");
    }

    List<Integer> hidden = s.intList("model.hidden");
    if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1 || h > 4096)) {
      throw s.error("model.hidden", "must be a non-empty list of layer sizes in 1..4096");
    }
    Model model =
        new Model(
            s.oneOf("model.family", Set.copyOf(MODEL_FAMILIES)),
            s.intValue("model.embedding", v -> v >= 1 && v <= 4096, "must be in 1..4096"),
            hidden,
            s.intValue("model.dense", v -> v >= 0 && v <= 4096, "must be in 0..4096"),
            s.doubleValue("model.dropout", v -> v >= 0 && v < 1, "must be in [0, 1)"),
            s.doubleValue("model.learning-rate", v -> v > 0 && v < 1, "must be in (0, 1)"),
            s.doubleValue("model.l2", v -> v >= 0, "must be >= 0"),
            s.doubleValue("model.gradient-clip", v -> v >= 0, "must be >= 0"),
            s.longValue("model.seed", v -> true, ""),
            transformer(s),
            s.oneOf("model.pooling", Set.of("auto", "last", "mean", "max", "flatten")),
            conv(s, window),
            s.oneOf("model.lstm-kernel", Set.of("fused", "dl4j")),
            s.oneOf("model.gru-kernel", Set.of("fused", "samediff")));

    Train train =
        new Train(
            s.intValue("train.epochs", v -> v >= 1, "must be >= 1"),
            s.intValue("train.batch-size-per-worker", v -> v >= 1, "must be >= 1"),
            s.intValue("train.averaging-frequency", v -> v >= 1, "must be >= 1"),
            s.intValue("train.prefetch-batches", v -> v >= 0, "must be >= 0"),
            s.intValue("train.workers", v -> v >= 0, "must be >= 0 (0 = Spark's default parallelism)"),
            s.bool("train.keep-best"),
            s.longValue("train.max-windows", v -> v >= 0, "must be >= 0 (0 = all)"),
            s.bool("train.resume"),
            s.intValue("train.patience", v -> v >= 0, "must be >= 0 (0 = off)"),
            s.doubleValue("train.min-delta", v -> v >= 0, "must be >= 0"),
            s.doubleValue("train.divergence-factor", v -> v > 1, "must be > 1"),
            s.string("train.checkpoint.dir"),
            s.intValue("train.checkpoint.keep", v -> v >= 1, "must be >= 1"),
            s.oneOf("train.averaging-engine", Set.of("barrier", "dl4j")),
            s.intValue("train.exchange-port", v -> v >= 0 && v <= 65535, "must be a port, 0..65535 (0 = any free port)"),
            s.intValue("train.shuffle-buffer", v -> v >= 1, "must be >= 1 (1 = the same order every epoch)"));

    List<String> scoreSplits = s.stringList("score.splits");
    if (scoreSplits.isEmpty() || !SPLITS.containsAll(scoreSplits)) {
      throw s.error("score.splits", "must be a non-empty list of " + SPLITS);
    }
    Score score =
        new Score(s.intValue("score.batch-size", v -> v >= 1, "must be >= 1"), scoreSplits);

    Map<String, String> sparkConf = new LinkedHashMap<>();
    if (resolved.hasPath("spark.conf")) {
      resolved.getConfig("spark.conf").entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          // entrySet keys are path expressions: "spark.ui.enabled" comes back with its quotes
          .forEach(e -> sparkConf.put(String.join(".", com.typesafe.config.ConfigUtil.splitPath(e.getKey())),
              String.valueOf(e.getValue().unwrapped())));
    }
    SparkSettings spark =
        new SparkSettings(
            s.string("spark.master"),
            s.string("spark.app-name"),
            s.intValue("spark.shuffle-partitions", v -> v >= 1, "must be >= 1"),
            Map.copyOf(sparkConf));

    String json = resolved.root().render(ConfigRenderOptions.concise().setFormatted(true));
    return new SeqmlConfig(
        pipeline, task, outputDir,
        s.duration("output.lock-expiry", d -> d.toSeconds() >= 30, "must be at least 30s (the holder renews it every 20 s)"),
        ingest, logs, bio, seriesSettings, detect,
        new Classify(s.oneOf("classify.threshold", Set.of("mcc", "youden", "none")),
            s.intValue("classify.cv-folds", v -> v >= 2 && v <= 100, "must be in 2..100")),
        forecast, features, window,
        new Split(trainFraction, validation, s.oneOf("split.by", Set.of("window", "targets"))),
        model, train, score, spark, json,
        // resuming does not change what a run produces: train.resume is not part of the hash
        sha256(resolved.withoutPath("train.resume").root().render(ConfigRenderOptions.concise())));
  }


  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Number of model input features per time step of the ticks domain (features.columns). */
  public int featureCount() {
    return features.columns().size();
  }
}

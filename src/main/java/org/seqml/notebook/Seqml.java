package org.seqml.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.model.ModelArtifact;
import org.seqml.pipeline.Phases;
import org.seqml.run.RunContext;

/**
 * seqml from a notebook: each method runs one phase of a pipeline on the notebook's own SparkSession
 * through the same code as the command line ({@link Phases}), so a note and {@code submit/seqml}
 * write identical outputs. Arguments mirror the CLI: pipeline name, {@code ds}, and {@code key=value}
 * overrides (as {@code --conf}); pass the same overrides to every phase of one run. Every table the
 * phase wrote for {@code ds} is registered as a temp view named after the table ({@code windows},
 * {@code scores}, {@code rejects}, ...) for {@code %spark.sql}.
 *
 * <p>Scala: {@code Seqml.ingest(spark, "ticks", "2024-01-02", overrides: _*)}.
 */
public final class Seqml {
  private Seqml() {}

  /** The resolved config as JSON, without touching Spark (what {@code seqml config} prints). */
  public static String config(String pipeline, String... overrides) {
    return load(pipeline, overrides).resolvedJson();
  }

  /** Ingest: raw input to accepted records and rejects; returns the accepted records. */
  public static Dataset<Row> ingest(SparkSession spark, String pipeline, String ds, String... overrides) {
    RunContext run = context(spark, pipeline, ds, overrides);
    locked(run, () -> Phases.ingest(run));
    return written(run, List.of(Layout.TICKS, Layout.EVENTS, Layout.SEQUENCES, Layout.SERIES), Layout.REJECTS);
  }

  /**
   * Window: accepted records to windows with their split; returns the windows, also as the view
   * {@code windows} (ticks: cut from the steps table the phase wrote, which is the view {@code steps}).
   */
  public static Dataset<Row> window(SparkSession spark, String pipeline, String ds, String... overrides) {
    RunContext run = context(spark, pipeline, ds, overrides);
    locked(run, () -> Phases.window(run));
    written(run, List.of(Layout.WINDOWS, Layout.STEPS), null);
    Dataset<Row> windows = Phases.windows(run);
    windows.createOrReplaceTempView(Layout.WINDOWS);
    return windows;
  }

  /** Train: the training windows to a published model; returns its model id. */
  public static String train(SparkSession spark, String pipeline, String ds, String... overrides) {
    RunContext run = context(spark, pipeline, ds, overrides);
    return locked(run, () -> Phases.train(run)).modelId();
  }

  /** Score: windows to scores with the published model; returns the scores. */
  public static Dataset<Row> score(SparkSession spark, String pipeline, String ds, String... overrides) {
    RunContext run = context(spark, pipeline, ds, overrides);
    locked(run, () -> Phases.score(run));
    return written(run, List.of(Layout.SCORES), null);
  }

  /** Evaluate: test metrics beside the baselines; returns metrics.json as indented JSON. */
  public static String evaluate(SparkSession spark, String pipeline, String ds, String... overrides) {
    RunContext run = context(spark, pipeline, ds, overrides);
    return pretty(locked(run, () -> Phases.evaluate(run)));
  }

  /** One table's partition for ds (a phase must have written it), also registered as a view. */
  public static Dataset<Row> table(SparkSession spark, String pipeline, String ds, String table,
      String... overrides) {
    RunContext run = context(spark, pipeline, ds, overrides);
    Dataset<Row> data = PartitionSink.read(run, table);
    data.createOrReplaceTempView(table);
    return data;
  }

  /** A table partition's {@code _manifest.json} (row counts, run id, config hash, model id) as JSON. */
  public static String manifest(SparkSession spark, String pipeline, String ds, String table,
      String... overrides) {
    return pretty(PartitionSink.manifest(context(spark, pipeline, ds, overrides), table));
  }

  /**
   * The published model's per-epoch losses (epoch, train_loss, validation_loss, samples_per_second),
   * registered as the view {@code epochs}: a line chart of the training.
   */
  public static Dataset<Row> epochs(SparkSession spark, String pipeline, String... overrides) {
    SeqmlConfig config = load(pipeline, overrides);
    Layout layout = Layout.of(config.outputDir(), config.pipeline());
    JsonNode meta = Json.read(layout.model() + "/" + ModelArtifact.METADATA,
        spark.sparkContext().hadoopConfiguration());
    List<Row> rows = new ArrayList<>();
    for (JsonNode e : meta.get("training").get("epochs")) {
      rows.add(RowFactory.create(e.get("epoch").asInt(), e.get("train_loss").asDouble(),
          e.get("validation_loss").asDouble(), e.get("samples_per_second").asDouble()));
    }
    StructType schema = new StructType()
        .add("epoch", DataTypes.IntegerType, false)
        .add("train_loss", DataTypes.DoubleType, false)
        .add("validation_loss", DataTypes.DoubleType, false)
        .add("samples_per_second", DataTypes.DoubleType, false);
    Dataset<Row> epochs = spark.createDataFrame(rows, schema);
    epochs.createOrReplaceTempView("epochs");
    return epochs;
  }

  private static SeqmlConfig load(String pipeline, String... overrides) {
    return ConfigLoader.fromEnvironment().load(pipeline, null, List.of(overrides));
  }

  /**
   * The notebook owns its session, so seqml's session-wide settings go in as runtime SQL settings:
   * the output contract the CLI applies (see SparkSessions.applyOutputContract) and the pipeline's
   * shuffle partitions. UTC is set always: ds and event times must read the same as on the CLI. The
   * nested-column Parquet reader goes on unless the notebook chose (SparkSessions.applyReadSettings).
   */
  /** A phase under the pipeline's and ds's run lock, as from the command line (an Airflow run may hold it). */
  private static <T> T locked(RunContext run, java.util.function.Supplier<T> phase) {
    try (org.seqml.io.RunLock lock = org.seqml.io.RunLock.acquire(run.layout(), run.ds(), run.runId(),
        run.config().lockExpiry(), run.spark().sparkContext().hadoopConfiguration())) {
      return phase.get();
    }
  }

  private static RunContext context(SparkSession spark, String pipeline, String ds, String... overrides) {
    SeqmlConfig config = load(pipeline, overrides);
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    spark.conf().set("spark.sql.shuffle.partitions", Integer.toString(config.spark().shufflePartitions()));
    if (spark.conf().getOption(org.seqml.pipeline.SparkSessions.NESTED_VECTORIZED_READER).isEmpty()) {
      spark.conf().set(org.seqml.pipeline.SparkSessions.NESTED_VECTORIZED_READER, "true");
    }
    return RunContext.create(config, spark, java.time.LocalDate.parse(ds).toString());
  }

  /**
   * Registers every table this run wrote for its ds as a view and returns the first of
   * {@code preferred} it wrote (domains name their accepted table differently), else any other
   * than {@code except}.
   */
  private static Dataset<Row> written(RunContext run, List<String> preferred, String except) {
    List<String> tables = tablesWrittenBy(run);
    for (String table : tables) {
      PartitionSink.read(run, table).createOrReplaceTempView(table);
    }
    String main = preferred.stream().filter(tables::contains).findFirst()
        .orElseGet(() -> tables.stream().filter(t -> !t.equals(except)).findFirst().orElseThrow(() ->
            new IllegalStateException("the phase wrote no table for ds=" + run.ds() + " under " + run.layout().root())));
    return run.spark().table(main);
  }

  private static List<String> tablesWrittenBy(RunContext run) {
    List<String> tables = new ArrayList<>();
    try {
      Path root = new Path(run.layout().root());
      FileSystem fs = root.getFileSystem(run.spark().sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        return tables;
      }
      for (FileStatus child : fs.listStatus(root)) {
        Path manifest = new Path(child.getPath(), "ds=" + run.ds() + "/" + PartitionSink.MANIFEST);
        if (child.isDirectory() && fs.exists(manifest)) {
          JsonNode m = Json.read(manifest.toString(), run.spark().sparkContext().hadoopConfiguration());
          if (run.runId().equals(m.path("run_id").asText())) {
            tables.add(child.getPath().getName());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    java.util.Collections.sort(tables);
    return tables;
  }

  private static String pretty(JsonNode node) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

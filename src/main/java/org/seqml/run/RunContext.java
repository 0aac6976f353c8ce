package org.seqml.run;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.sql.SparkSession;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Layout;
import org.seqml.io.PartitionTarget;

/** Everything a phase needs: the validated config, the partition it writes, and provenance. */
public record RunContext(
    SeqmlConfig config, SparkSession spark, String ds, String runId, String codeVersion, Layout layout)
    implements PartitionTarget {

  public static RunContext create(SeqmlConfig config, SparkSession spark, String ds) {
    return new RunContext(config, spark, ds, newRunId(), CodeVersion.get(),
        Layout.of(config.outputDir(), config.pipeline()));
  }

  public static String newRunId() {
    return LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"))
        + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
  }

  @Override
  public String pipeline() {
    return config.pipeline();
  }

  @Override
  public String configHash() {
    return config.configHash();
  }

  /** Labels the Spark jobs of a phase so the Spark UI shows which phase is running. */
  public void phase(String name) {
    spark.sparkContext().setJobGroup(config.pipeline() + ":" + name,
        "seqml " + config.pipeline() + " " + name + " ds=" + ds, false);
  }
}

package org.seqml.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqml.SparkTestSession;
import org.seqml.config.ConfigLoader;
import org.seqml.config.SeqmlConfig;
import org.seqml.io.Json;
import org.seqml.io.Layout;
import org.seqml.io.PartitionSink;
import org.seqml.run.CodeVersion;
import org.seqml.run.RunContext;

/**
 * submit/seqml cv on the generated bio data: three folds trained in turn by the cnn family (motif filters, max
 * over positions: DeepBind's shape, as the motifs sit anywhere), each scored and
 * evaluated; every accepted sequence tests in exactly one fold, and the summary is the folds' mean.
 */
class BioCrossValidationTest {
  @TempDir static Path out;
  static RunContext run;
  static JsonNode cv;

  @BeforeAll
  static void crossValidate() {
    SeqmlConfig config = new ConfigLoader(Path.of(".")).load("bio", "ci", List.of("output.dir=" + out,
        "train.epochs=3", "classify.cv-folds=3", "model.family=cnn", "model.conv.filters=[32]", "model.pooling=max",
        "score.splits=[validation, test]"));
    run = new RunContext(config, SparkTestSession.get(), "2024-03-04", "bio-cv", CodeVersion.get(),
        Layout.of(config.outputDir(), "bio"));
    Phases.ingest(run);
    Phases.window(run);
    Phases.crossValidate(run);
    cv = Json.read(run.layout().root() + "/cv/metrics.json",
        SparkTestSession.get().sparkContext().hadoopConfiguration());
  }

  @Test
  void everySequenceTestsInExactlyOneFold() {
    long accepted = PartitionSink.manifest(run, Layout.SEQUENCES).get("rows").get("accepted").asLong();
    Set<String> tested = new HashSet<>();
    long rows = 0;
    for (int f = 1; f <= 3; f++) {
      RunContext fold = new RunContext(run.config(), run.spark(), run.ds(), run.runId(), run.codeVersion(),
          new Layout(run.layout().root() + "/cv/fold=" + f));
      for (Row r : PartitionSink.read(fold, Layout.SCORES).filter("split = 'test'").select("sequence_id")
          .collectAsList()) {
        tested.add(r.getString(0));
        rows++;
      }
    }
    assertEquals(accepted, rows, "each accepted sequence scored once as test over the folds");
    assertEquals(accepted, tested.size());
  }

  @Test
  void theSummaryIsTheFoldsMeanAndSpread() {
    assertEquals(3, cv.get("fold_metrics").size());
    double sum = 0;
    for (JsonNode fold : cv.get("fold_metrics")) {
      sum += fold.at("/model/mcc").asDouble();
      assertTrue(fold.at("/baselines/kmer_logistic_regression/mcc").isNumber(), fold.toString());
      assertTrue(fold.at("/model_at_fitted_threshold/threshold").isNumber(), "a threshold per fold: " + fold);
    }
    assertEquals(sum / 3, cv.at("/summary/model/mcc/mean").asDouble(), 1e-12);
    assertTrue(cv.at("/summary/model/mcc/sd").asDouble() >= 0);
    assertTrue(cv.at("/summary/model/mcc/mean").asDouble() > 0.2, cv.at("/summary/model").toString());
  }
}

package org.seqml.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.seqml.SparkTestSession;

/**
 * The classification figures from a confusion matrix, computed by hand (binary: the textbook MCC; three
 * classes: Gorodkin's R_K) and cross-checked against Spark's MulticlassMetrics on the same rows.
 */
class ClassificationSummaryTest {
  private static final List<String> BINARY = List.of("neg", "pos");

  /** Rows (label, predicted) that make the given confusion matrix [actual][predicted]. */
  private static Dataset<Row> rows(SparkSession spark, long[][] confusion, List<String> classes) {
    List<Row> rows = new ArrayList<>();
    for (int a = 0; a < confusion.length; a++) {
      for (int p = 0; p < confusion.length; p++) {
        for (long i = 0; i < confusion[a][p]; i++) {
          rows.add(RowFactory.create(classes.get(a), classes.get(p), (double) p, (double) a));
        }
      }
    }
    StructType schema = new StructType().add("label", DataTypes.StringType).add("predicted", DataTypes.StringType)
        .add("p", DataTypes.DoubleType).add("a", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void binaryFiguresByHandAndBySpark() {
    long[][] confusion = {{50, 10}, {5, 35}}; // TN FP / FN TP
    Dataset<Row> rows = rows(SparkTestSession.get(), confusion, BINARY);
    long[][] counted = ClassificationEvaluator.confusion(rows, BINARY);
    assertEquals(35, counted[1][1]);
    assertEquals(10, counted[0][1]);
    ObjectNode s = ClassificationEvaluator.summary(counted, 1);
    assertEquals(0.85, s.get("accuracy").asDouble(), 1e-12);
    // (35*50 - 10*5) / sqrt(45*40*60*55)
    assertEquals(0.6975184488828855, s.get("mcc").asDouble(), 1e-12);
    assertEquals(0.875, s.get("sensitivity").asDouble(), 1e-12);
    assertEquals(50.0 / 60, s.get("specificity").asDouble(), 1e-12);
    MulticlassMetrics spark = new MulticlassMetrics(rows.select("p", "a"));
    assertEquals(spark.accuracy(), s.get("accuracy").asDouble(), 1e-12);
    assertEquals(spark.truePositiveRate(1.0), s.get("sensitivity").asDouble(), 1e-12);
    assertEquals(spark.truePositiveRate(0.0), s.get("specificity").asDouble(), 1e-12);
  }

  @Test
  void threeClassFiguresByHandAndBySpark() {
    List<String> classes = List.of("a", "b", "c");
    long[][] confusion = {{20, 3, 2}, {4, 15, 1}, {1, 2, 12}};
    Dataset<Row> rows = rows(SparkTestSession.get(), confusion, classes);
    ObjectNode s = ClassificationEvaluator.summary(ClassificationEvaluator.confusion(rows, classes), -1);
    assertEquals(47.0 / 60, s.get("accuracy").asDouble(), 1e-12);
    // R_K = (c*n - sum t_k p_k) / sqrt((n^2 - sum p_k^2)(n^2 - sum t_k^2)), t = (25, 20, 15), p = (25, 20, 15)
    assertEquals(0.6680851063829787, s.get("mcc").asDouble(), 1e-12);
    assertEquals(new MulticlassMetrics(rows.select("p", "a")).accuracy(), s.get("accuracy").asDouble(), 1e-12);
    // the matrix the report draws: rows actual, columns predicted, as counted from the rows
    for (int a = 0; a < 3; a++) {
      for (int p = 0; p < 3; p++) {
        assertEquals(confusion[a][p], s.get("confusion").get(a).get(p).asLong(), "cell " + a + "," + p);
      }
    }
  }

  @Test
  void aClassifierThatAlwaysSaysOneClassHasMccZero() {
    ObjectNode s = ClassificationEvaluator.summary(new long[][] {{0, 60}, {0, 40}}, 1);
    assertEquals(0.0, s.get("mcc").asDouble(), 0.0);
    assertEquals(1.0, s.get("sensitivity").asDouble(), 0.0);
    assertEquals(0.0, s.get("specificity").asDouble(), 0.0);
  }
}

package org.seqml.ingest;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple3;

/** Text files (plain or compressed) as (file, 1-based line number, text), read in parallel. */
public final class TextLines {
  private TextLines() {}

  public static JavaRDD<Tuple3<String, Long, String>> read(SparkSession spark, List<String> files) {
    return read(spark, files, 0);
  }

  /** With at least {@code minSplits} input splits per file (0 = Hadoop's default). */
  public static JavaRDD<Tuple3<String, Long, String>> read(SparkSession spark, List<String> files, int minSplits) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<JavaRDD<Tuple3<String, Long, String>>> parts = new ArrayList<>();
    for (String file : files) {
      parts.add((minSplits > 0 ? jsc.textFile(file, minSplits) : jsc.textFile(file)).zipWithIndex().map(t -> new Tuple3<>(file, t._2() + 1, t._1())));
    }
    @SuppressWarnings("unchecked")
    JavaRDD<Tuple3<String, Long, String>>[] all = parts.toArray(new JavaRDD[0]);
    return all.length == 1 ? all[0] : jsc.union(all);
  }

  /** Text decoding replaced invalid UTF-8 bytes by U+FFFD. */
  public static boolean hadInvalidUtf8(String text) {
    return text.indexOf('\uFFFD') >= 0;
  }
}

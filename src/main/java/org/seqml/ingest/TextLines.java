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
      parts.add(lines(jsc, file, minSplits).zipWithIndex().map(t -> new Tuple3<>(file, t._2() + 1, t._1())));
    }
    @SuppressWarnings("unchecked")
    JavaRDD<Tuple3<String, Long, String>>[] all = parts.toArray(new JavaRDD[0]);
    return all.length == 1 ? all[0] : jsc.union(all);
  }

  /**
   * A text file's lines ({@code minSplits} input splits at least; 0 = Hadoop's default), failing with an
   * {@link InputError} naming the file when it cannot be read to its end (a truncated or corrupt .gz, a
   * file that vanished): Hadoop's reader says neither which file nor where.
   */
  public static JavaRDD<String> lines(JavaSparkContext jsc, String file, int minSplits) {
    JavaRDD<String> raw = minSplits > 0 ? jsc.textFile(file, minSplits) : jsc.textFile(file);
    return raw.mapPartitionsWithIndex((part, it) -> new Guarded(file, part, it), true);
  }

  /** The lines of one split, an I/O failure turned into an InputError naming the file. */
  private static final class Guarded implements java.util.Iterator<String> {
    private final String file;
    private final int part;
    private final java.util.Iterator<String> lines;
    private long read;

    Guarded(String file, int part, java.util.Iterator<String> lines) {
      this.file = file;
      this.part = part;
      this.lines = lines;
    }

    @Override
    public boolean hasNext() {
      try {
        return lines.hasNext();
      } catch (Exception e) { // Hadoop's reader throws IOException through Scala, undeclared
        throw broken(e);
      }
    }

    @Override
    public String next() {
      try {
        String line = lines.next();
        read++;
        return line;
      } catch (Exception e) {
        throw broken(e);
      }
    }

    private RuntimeException broken(Exception e) {
      if (e instanceof InputError input) {
        return input;
      }
      // Line numbers are known in the first split only (a compressed file is one split).
      return InputError.unreadable(file, part == 0 ? read + 1 : 0, e);
    }
  }

  /** Text decoding replaced invalid UTF-8 bytes by U+FFFD. */
  public static boolean hadInvalidUtf8(String text) {
    return text.indexOf('\uFFFD') >= 0;
  }
}

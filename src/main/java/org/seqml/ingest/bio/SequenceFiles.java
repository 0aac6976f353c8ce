package org.seqml.ingest.bio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.ingest.TextLines;
import scala.Tuple2;
import scala.Tuple3;

/**
 * FASTA and FASTQ files to one row per record, read in parallel with Hadoop's splits (plain or
 * compressed). A record may span input splits: every line is keyed by the header that starts its
 * record, found across split boundaries from each partition's last header (collected, tiny), so the
 * records are the same for any number of splits. Structural faults become a reason on the row;
 * content checks come later (SequenceChecks).
 */
public final class SequenceFiles {
  /** One record as read: where it starts, its id, its raw sequence (and FASTQ quality), or why not. */
  public static final StructType RAW = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("line", DataTypes.LongType, false)
      .add("id", DataTypes.StringType, true)
      .add("description", DataTypes.StringType, true)
      .add("sequence", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, true)
      .add("detail", DataTypes.StringType, true)
      .add("raw", DataTypes.StringType, true);

  private static final int RAW_PREVIEW = 200;

  private SequenceFiles() {}

  public static JavaRDD<Row> read(SparkSession spark, List<String> files, String format) {
    return read(spark, files, format, 0);
  }

  /** With at least {@code minSplits} input splits per file: records must not depend on it. */
  public static JavaRDD<Row> read(SparkSession spark, List<String> files, String format, int minSplits) {
    JavaRDD<Tuple3<String, Long, String>> lines = TextLines.read(spark, files, minSplits)
        .map(t -> new Tuple3<>(t._1(), t._2(), stripCr(t._3())));
    return format.equals("fastq") ? fastq(lines) : fasta(spark, lines);
  }

  private static String stripCr(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  static JavaRDD<Row> fasta(SparkSession spark, JavaRDD<Tuple3<String, Long, String>> lines) {
    List<Map<String, Long>> lastHeaders = lines.mapPartitions(it -> {
      Map<String, Long> last = new HashMap<>();
      it.forEachRemaining(t -> {
        if (t._3().startsWith(">")) {
          last.put(t._1(), t._2());
        }
      });
      return Collections.singletonList(last).iterator();
    }).collect();
    // carried.get(i): the last header of each file in partitions before i (partitions keep file order).
    List<Map<String, Long>> carried = new ArrayList<>();
    Map<String, Long> running = new HashMap<>();
    for (Map<String, Long> m : lastHeaders) {
      carried.add(new HashMap<>(running));
      running.putAll(m);
    }
    Broadcast<List<Map<String, Long>>> carry =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(carried);
    return lines.mapPartitionsWithIndex((Integer index, Iterator<Tuple3<String, Long, String>> it) -> {
      Map<String, Long> current = new HashMap<>(carry.value().get(index));
      List<Tuple2<Tuple2<String, Long>, Tuple2<Long, String>>> out = new ArrayList<>();
      it.forEachRemaining(t -> {
        if (t._3().startsWith(">")) {
          current.put(t._1(), t._2());
        }
        out.add(new Tuple2<>(new Tuple2<>(t._1(), current.getOrDefault(t._1(), 0L)), new Tuple2<>(t._2(), t._3())));
      });
      return out.iterator();
    }, true)
        .mapToPair(t -> t)
        .groupByKey()
        .flatMap(g -> {
          List<Tuple2<Long, String>> recordLines = new ArrayList<>();
          g._2().forEach(recordLines::add);
          recordLines.sort((a, b) -> Long.compare(a._1(), b._1()));
          Row r = fastaRecord(g._1()._1(), g._1()._2(), recordLines);
          return r == null ? Collections.emptyIterator() : Collections.singletonList(r).iterator();
        });
  }

  /** One FASTA record from its lines in order; null for blank lines before the first header. */
  static Row fastaRecord(String source, long headerLine, List<Tuple2<Long, String>> lines) {
    if (headerLine == 0) {
      if (lines.stream().allMatch(l -> l._2().isBlank())) {
        return null;
      }
      return RowFactory.create(source, lines.get(0)._1(), null, null, null, BioReject.NO_HEADER.code(),
          lines.size() + " line(s) before the first '>' header", preview(lines.get(0)._2()));
    }
    String header = lines.get(0)._2();
    StringBuilder sequence = new StringBuilder();
    boolean anyLine = lines.size() > 1;
    for (int i = 1; i < lines.size(); i++) {
      sequence.append(lines.get(i)._2().strip());
    }
    String[] idAndDescription = header.substring(1).strip().split("\\s+", 2);
    String id = idAndDescription[0];
    String description = idAndDescription.length > 1 ? idAndDescription[1] : "";
    String reason = null;
    String detail = null;
    if (id.isEmpty()) {
      reason = BioReject.MISSING_ID.code();
      detail = "header has no identifier";
    } else if (!anyLine) {
      reason = BioReject.MISSING_SEQUENCE.code();
      detail = "header is followed by another header or the end of the file";
    }
    return RowFactory.create(source, headerLine, id.isEmpty() ? null : id, description, sequence.toString(), reason,
        detail, preview(header));
  }

  static JavaRDD<Row> fastq(JavaRDD<Tuple3<String, Long, String>> lines) {
    return lines
        .mapToPair(t -> new Tuple2<>(new Tuple2<>(t._1(), (t._2() - 1) / 4), new Tuple2<>(t._2(), t._3())))
        .groupByKey()
        .flatMap(g -> {
          List<Tuple2<Long, String>> recordLines = new ArrayList<>();
          g._2().forEach(recordLines::add);
          recordLines.sort((a, b) -> Long.compare(a._1(), b._1()));
          Row r = fastqRecord(g._1()._1(), recordLines);
          return r == null ? Collections.emptyIterator() : Collections.singletonList(r).iterator();
        });
  }

  /** One FASTQ record (header, sequence, '+', quality); null for blank lines at a file's end. */
  static Row fastqRecord(String source, List<Tuple2<Long, String>> lines) {
    long first = lines.get(0)._1();
    String header = lines.get(0)._2();
    if (lines.stream().allMatch(l -> l._2().isBlank())) {
      return null;
    }
    if (lines.size() < 4) {
      return RowFactory.create(source, first, null, null, null, BioReject.TRUNCATED_RECORD.code(),
          "only " + lines.size() + " of 4 lines before the end of the file", preview(header));
    }
    if (!header.startsWith("@") || !lines.get(2)._2().startsWith("+")) {
      return RowFactory.create(source, first, null, null, null, BioReject.MALFORMED_RECORD.code(),
          "expected '@' header and '+' separator on lines " + first + " and " + (first + 2)
              + " (FASTQ records are four lines)", preview(header));
    }
    String[] idAndDescription = header.substring(1).strip().split("\\s+", 2);
    String id = idAndDescription[0];
    String sequence = lines.get(1)._2().strip();
    String quality = lines.get(3)._2().strip();
    String reason = null;
    String detail = null;
    if (id.isEmpty()) {
      reason = BioReject.MISSING_ID.code();
      detail = "header has no identifier";
    } else if (sequence.length() != quality.length()) {
      reason = BioReject.QUALITY_LENGTH_MISMATCH.code();
      detail = "sequence has " + sequence.length() + " characters, quality " + quality.length();
    }
    return RowFactory.create(source, first, id.isEmpty() ? null : id,
        idAndDescription.length > 1 ? idAndDescription[1] : "", sequence, reason, detail, preview(header));
  }

  private static String preview(String s) {
    return s.length() <= RAW_PREVIEW ? s : s.substring(0, RAW_PREVIEW) + "...";
  }
}

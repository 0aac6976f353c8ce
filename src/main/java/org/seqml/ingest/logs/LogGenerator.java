package org.seqml.ingest.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.seqml.config.SeqmlConfig;
import scala.Tuple2;
import scala.Tuple3;

/**
 * Log lines of a small web shop, in the default format {@code <Date> <Time> <Level> <Component>: <Content>}
 * (UTC). Requests follow one of three workflows (login, search with a cache hit or miss, checkout),
 * each line naming its request id {@code req-xxxxxxxx}; requests overlap in time. Noise: variable
 * parameters (users, IPs, sizes, latencies), heartbeat lines without a request id, and stack-trace
 * continuation lines that do not match the format (both end up in rejects). A share of requests
 * carries one injected anomaly, labelled 1: an unknown event, a skipped step, or two steps swapped.
 */
public final class LogGenerator {
  static final StructType LABELS = new StructType()
      .add("session_id", DataTypes.StringType, false)
      .add("label", DataTypes.IntegerType, false);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final long START_MILLIS = Instant.parse("2024-03-04T08:00:00Z").toEpochMilli();

  /** Generated lines (numbered in time order) and the label of every request. */
  public record Generated(JavaRDD<Tuple3<String, Long, String>> lines, Dataset<Row> labels) {}

  private LogGenerator() {}

  public static Generated generate(SparkSession spark, SeqmlConfig.LogGenerator g) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> ids = IntStream.range(0, g.sessions()).boxed().toList();
    JavaRDD<Integer> sessions = jsc.parallelize(ids, g.partitions());
    JavaRDD<Tuple2<Long, String>> timed = sessions.flatMap(i -> request(g, i).iterator());
    String source = "generator:seed=" + g.seed();
    JavaRDD<Tuple3<String, Long, String>> lines = timed
        .sortBy(t -> t._1() * 1000 + Math.floorMod(t._2().hashCode(), 1000), true, g.partitions())
        .zipWithIndex()
        .map(t -> new Tuple3<>(source, t._2() + 1, t._1()._2()));
    JavaRDD<Row> labels = sessions.map(i -> RowFactory.create(requestId(i), anomaly(g, i) == null ? 0 : 1));
    return new Generated(lines, spark.createDataFrame(labels, LABELS));
  }

  static String requestId(int index) {
    long mixed = (index * 0x9E3779B1L) & 0xFFFFFFFFL; // a bijection of the index: ids are not sorted
    return String.format("req-%08x", mixed);
  }

  /** The anomaly injected into request i, or null for a normal request. */
  static String anomaly(SeqmlConfig.LogGenerator g, int i) {
    SplittableRandom rng = new SplittableRandom(g.seed() * 7_919L + i * 31L + 1);
    if (rng.nextDouble() >= g.anomalyRate()) {
      return null;
    }
    return switch (rng.nextInt(3)) {
      case 0 -> "unknown";
      case 1 -> "skip";
      default -> "swap";
    };
  }

  static List<Tuple2<Long, String>> request(SeqmlConfig.LogGenerator g, int i) {
    SplittableRandom rng = new SplittableRandom(g.seed() * 1_000_003L + i);
    String rid = requestId(i);
    String ip = "10." + rng.nextInt(256) + "." + rng.nextInt(256) + "." + (1 + rng.nextInt(254));
    List<String[]> steps = new ArrayList<>(); // {level, component, content}
    switch (rng.nextInt(3)) {
      case 0 -> {
        String user = "u" + (1000 + rng.nextInt(9000));
        steps.add(step("INFO", "gateway", "Login request " + rid + " from " + ip));
        steps.add(step("INFO", "auth", "Checking credentials of user " + user + " for " + rid));
        steps.add(step("INFO", "auth", "User " + user + " authenticated for " + rid + " in " + (2 + rng.nextInt(40))
            + " ms"));
        steps.add(step("INFO", "session", "Issued session token " + Long.toHexString(rng.nextLong()) + " for " + rid));
      }
      case 1 -> {
        String word = List.of("shoes", "lamp", "coffee", "desk", "cable", "tent").get(rng.nextInt(6));
        steps.add(step("INFO", "gateway", "Search request " + rid + " for '" + word + "' from " + ip));
        steps.add(step("INFO", "search", "Parsed query '" + word + "' into " + (1 + rng.nextInt(4)) + " terms for "
            + rid));
        String key = Long.toHexString(rng.nextLong() & 0xFFFFFFFFL);
        if (rng.nextDouble() < 0.6) {
          steps.add(step("DEBUG", "cache", "Cache hit for key 0x" + key + " in " + rid));
        } else {
          steps.add(step("DEBUG", "cache", "Cache miss for key 0x" + key + " in " + rid));
          steps.add(step("INFO", "search", "Index scanned " + (2 + rng.nextInt(30)) + " shards for " + rid));
        }
        steps.add(step("INFO", "search", "Returned " + rng.nextInt(200) + " hits for " + rid));
      }
      default -> {
        int items = 1 + rng.nextInt(9);
        steps.add(step("INFO", "gateway", "Checkout request " + rid + " with " + items + " items from " + ip));
        steps.add(step("INFO", "inventory", "Reserved " + items + " items in warehouse w" + rng.nextInt(5) + " for "
            + rid));
        steps.add(step("INFO", "payment", "Authorized payment of " + (5 + rng.nextInt(500)) + "." + rng.nextInt(10)
            + rng.nextInt(10) + " USD for " + rid));
        steps.add(step("INFO", "orders", "Created order o" + (100_000 + rng.nextInt(900_000)) + " for " + rid));
      }
    }
    steps.add(step("INFO", "gateway", "Response " + (200 + rng.nextInt(2)) + " for " + rid + " in "
        + (5 + rng.nextInt(300)) + " ms"));
    inject(anomaly(g, i), steps, rid, rng);

    List<Tuple2<Long, String>> lines = new ArrayList<>();
    long t = START_MILLIS + (long) (rng.nextDouble() * 6 * 3_600_000L);
    for (String[] s : steps) {
      t += 1 + rng.nextInt(120);
      lines.add(new Tuple2<>(t, STAMP.format(Instant.ofEpochMilli(t)) + " " + s[0] + " " + s[1] + ": " + s[2]));
      if (s[0].equals("ERROR") && rng.nextDouble() < 0.5) {
        lines.add(new Tuple2<>(t, "    at com.shop." + s[1] + ".Handler.serve(Handler.java:" + (10 + rng.nextInt(90))
            + ")"));
      }
    }
    if (rng.nextDouble() < 0.05) {
      lines.add(new Tuple2<>(t + 1, STAMP.format(Instant.ofEpochMilli(t + 1)) + " INFO health: Heartbeat from node n"
          + rng.nextInt(8) + " load " + rng.nextInt(100) + "%"));
    }
    return lines;
  }

  private static void inject(String anomaly, List<String[]> steps, String rid, SplittableRandom rng) {
    if (anomaly == null) {
      return;
    }
    int middle = 1 + rng.nextInt(steps.size() - 2); // never the first or the last step
    switch (anomaly) {
      case "unknown" -> steps.add(middle, step("ERROR", "db", "Connection reset by peer while serving " + rid));
      case "skip" -> steps.remove(middle);
      default -> {
        int j = middle < steps.size() - 2 ? middle + 1 : middle - 1;
        String[] a = steps.get(middle);
        steps.set(middle, steps.get(j));
        steps.set(j, a);
      }
    }
  }

  private static String[] step(String level, String component, String content) {
    return new String[] {level, component, content};
  }
}

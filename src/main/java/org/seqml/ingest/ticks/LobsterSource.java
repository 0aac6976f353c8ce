package org.seqml.ingest.ticks;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.util.TaskCompletionListener;
import org.seqml.ingest.IngestResult;
import org.seqml.ingest.InputError;
import org.seqml.ingest.InputFiles;

/**
 * LOBSTER message + order-book files (lobsterdata.com), as zips or plain CSV pairs named
 * {@code SYMBOL_yyyy-mm-dd_start_end_message_N.csv} / {@code ..._orderbook_N.csv}. Each message
 * row is paired with the order-book row after it (level 1 is used). One task reads one pair, so a
 * day is never split; days and symbols spread over the cluster.
 */
public final class LobsterSource {
  private static final Pattern NAME =
      Pattern.compile("(?:.*/)?([A-Za-z0-9.]+)_(\\d{4}-\\d{2}-\\d{2})_\\d+_\\d+_(message|orderbook)_(\\d+)\\.csv");
  /** LOBSTER's price for an empty book side. */
  private static final double EMPTY_SIDE = 9_999_999_999.0;

  /** One message/order-book pair, inside a zip (container set) or as two files. */
  record Pair(String container, String message, String orderbook, String symbol, String date)
      implements Serializable {
    String source() {
      return container == null ? message : container + "!" + message;
    }
  }

  private LobsterSource() {}

  public static IngestResult read(SparkSession spark, String path, ZoneId zone, String dateOverride) {
    return read(spark, path, zone, dateOverride, TickValidation.DEFAULT_SKEW);
  }

  /** With event times further than {@code skew} from their symbol's median time in a file rejected. */
  public static IngestResult read(SparkSession spark, String path, ZoneId zone, String dateOverride,
      java.time.Duration skew) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<Pair> pairs = pairs(InputFiles.list(path, hadoop), hadoop, dateOverride);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SerializableConfiguration conf = new SerializableConfiguration(hadoop);
    String zoneId = zone.getId();
    JavaRDD<Row> rows = jsc.parallelize(pairs, Math.max(1, pairs.size()))
        .flatMap(pair -> readPair(pair, conf.value(), ZoneId.of(zoneId)));
    return TickValidation.finish(spark.createDataFrame(rows, TickRecords.CANDIDATE_SCHEMA), skew);
  }

  static List<Pair> pairs(List<String> files, Configuration hadoop, String dateOverride) {
    List<Pair> pairs = new ArrayList<>();
    TreeMap<String, String[]> loose = new TreeMap<>();
    for (String file : files) {
      if (file.endsWith(".zip")) {
        TreeMap<String, String[]> inZip = new TreeMap<>();
        withLocalZip(file, hadoop, zip -> {
          Enumeration<? extends ZipEntry> entries = zip.entries();
          while (entries.hasMoreElements()) {
            group(entries.nextElement().getName(), inZip);
          }
          return null;
        });
        inZip.forEach((key, pair) -> pairs.add(pair(file, key, pair, dateOverride)));
      } else if (file.endsWith(".csv")) {
        group(file, loose);
      }
    }
    loose.forEach((key, pair) -> pairs.add(pair(null, key, pair, dateOverride)));
    if (pairs.isEmpty()) {
      throw new InputError(String.join(", ", files), 0,
          "no LOBSTER files: expected SYMBOL_yyyy-mm-dd_start_end_message_N.csv with its orderbook_N.csv");
    }
    return pairs;
  }

  private static void group(String name, TreeMap<String, String[]> byKey) {
    Matcher m = NAME.matcher(name);
    if (m.matches()) {
      String key = m.group(1) + "|" + m.group(2) + "|" + m.group(4) + "|"
          + name.substring(0, m.start(3));
      String[] pair = byKey.computeIfAbsent(key, k -> new String[2]);
      pair[m.group(3).equals("message") ? 0 : 1] = name;
    }
  }

  private static Pair pair(String container, String key, String[] files, String dateOverride) {
    String[] parts = key.split("\\|");
    String where = container == null ? "" : container + "!";
    if (files[0] == null || files[1] == null) {
      throw new InputError(where + (files[0] == null ? files[1] : files[0]), 0,
          "LOBSTER " + (files[0] == null ? "message" : "orderbook") + " file of this pair is missing");
    }
    String date = dateOverride == null || dateOverride.isEmpty() ? parts[1] : dateOverride;
    return new Pair(container, files[0], files[1], parts[0], date);
  }

  interface ZipWork<T> {
    T apply(ZipFile zip) throws IOException;
  }

  /** ZipFile needs random access: a non-local zip is copied to a local temp file first. */
  static <T> T withLocalZip(String file, Configuration hadoop, ZipWork<T> work) {
    Path p = new Path(file);
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      File local;
      boolean temp = !"file".equals(fs.getScheme());
      if (temp) {
        local = Files.createTempFile("seqml-lobster", ".zip").toFile();
        fs.copyToLocalFile(false, p, new Path(local.getAbsolutePath()), true);
      } else {
        local = new File(p.toUri().getPath());
      }
      try (ZipFile zip = new ZipFile(local)) {
        return work.apply(zip);
      } finally {
        if (temp) {
          local.delete();
        }
      }
    } catch (IOException e) {
      throw InputError.unreadable(file, 0, e);
    }
  }

  /**
   * Reads one pair lazily (a liquid day has millions of events): rows come as the files are read,
   * and the streams (and a temporary local copy of a remote zip) are released at the end or when
   * the task ends, whichever comes first.
   */
  static Iterator<Row> readPair(Pair pair, Configuration hadoop, ZoneId zone) throws IOException {
    List<Closeable> resources = new ArrayList<>();
    InputStream messages;
    InputStream books;
    try {
      if (pair.container() != null) {
        File local = localCopy(pair.container(), hadoop, resources);
        ZipFile zip = new ZipFile(local);
        resources.add(0, zip);
        messages = zip.getInputStream(zip.getEntry(pair.message()));
        books = zip.getInputStream(zip.getEntry(pair.orderbook()));
      } else {
        FileSystem fs = new Path(pair.message()).getFileSystem(hadoop);
        messages = fs.open(new Path(pair.message()));
        resources.add(messages);
        books = fs.open(new Path(pair.orderbook()));
        resources.add(books);
      }
    } catch (IOException e) {
      throw InputError.unreadable(pair.container() != null ? pair.container() : pair.message(), 0, e);
    }
    Closeable closeAll = () -> {
      for (Closeable c : resources) {
        c.close();
      }
      resources.clear();
    };
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) ctx -> closeQuietly(closeAll));
    }
    Instant midnight = LocalDate.parse(pair.date()).atStartOfDay(zone).toInstant();
    BufferedReader m = new BufferedReader(new InputStreamReader(messages, StandardCharsets.UTF_8));
    BufferedReader o = new BufferedReader(new InputStreamReader(books, StandardCharsets.UTF_8));
    return new Iterator<>() {
      private long line = 0;
      private Row next = advance();

      private Row advance() {
        try {
          String message = m.readLine();
          String book = o.readLine();
          if (message == null && book == null) {
            closeAll.close();
            return null;
          }
          line++;
          if (message == null || book == null) {
            closeAll.close();
            throw new InputError(message == null ? pair.source() : pair.container() == null
                ? pair.orderbook() : pair.container() + "!" + pair.orderbook(), line,
                "message and orderbook files differ in length: the " + (message == null ? "message" : "orderbook")
                    + " file ends first, at line " + (line - 1));
          }
          return parseEvent(pair, line, message, book, midnight);
        } catch (IOException e) {
          throw InputError.unreadable(pair.source(), line + 1, e);
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Row next() {
        if (next == null) {
          throw new java.util.NoSuchElementException();
        }
        Row current = next;
        next = advance();
        return current;
      }
    };
  }

  /** ZipFile needs random access: a local zip is used in place, a remote one copied to a temp file. */
  private static File localCopy(String file, Configuration hadoop, List<Closeable> resources) throws IOException {
    Path p = new Path(file);
    FileSystem fs = p.getFileSystem(hadoop);
    if ("file".equals(fs.getScheme())) {
      return new File(p.toUri().getPath());
    }
    File temp = Files.createTempFile("seqml-lobster", ".zip").toFile();
    resources.add(temp::delete);
    try {
      fs.copyToLocalFile(false, p, new Path(temp.getAbsolutePath()), true); // raw: no .crc left behind
    } catch (IOException e) {
      temp.delete();
      throw e;
    }
    return temp;
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // the task is over; nothing is left to read from these streams
    }
  }

  static Row parseEvent(Pair pair, long line, String message, String book, Instant midnight) {
    String source = pair.source();
    String raw = message + " | " + book;
    if (message.isBlank() || book.isBlank()) {
      return TickRecords.reject(source, line, TickReject.EMPTY_LINE, null, raw);
    }
    String[] msg = message.split(",", -1);
    String[] ob = book.split(",", -1);
    if (msg.length != 6 || ob.length < 4 || ob.length % 4 != 0) {
      return TickRecords.reject(source, line, TickReject.WRONG_FIELD_COUNT,
          "message has " + msg.length + " fields (6 expected), orderbook " + ob.length + " (4 per level)", raw);
    }
    double seconds;
    double[] v = new double[9];
    try {
      seconds = TickRecords.number(msg[0]);
    } catch (NumberFormatException e) {
      return TickRecords.reject(source, line, TickReject.UNPARSEABLE_TIMESTAMP, "time '" + msg[0] + "'", raw);
    }
    if (!Double.isFinite(seconds) || seconds < 0 || seconds >= 172_800) {
      return TickRecords.reject(source, line, TickReject.UNPARSEABLE_TIMESTAMP,
          "time '" + msg[0] + "' is not seconds after midnight", raw);
    }
    String[] numbers = {msg[1], msg[2], msg[3], msg[4], msg[5], ob[0], ob[1], ob[2], ob[3]};
    for (int i = 0; i < numbers.length; i++) {
      try {
        v[i] = TickRecords.number(numbers[i]);
      } catch (NumberFormatException e) {
        return TickRecords.reject(source, line, TickReject.UNPARSEABLE_NUMBER, "field '" + numbers[i] + "'", raw);
      }
    }
    String event = switch ((int) v[0] == v[0] ? (int) v[0] : -1) {
      case 1 -> "submit";
      case 2 -> "cancel";
      case 3 -> "delete";
      case 4 -> "exec_visible";
      case 5 -> "exec_hidden";
      case 6 -> "cross";
      case 7 -> null;
      default -> "?";
    };
    if (event == null) {
      return TickRecords.reject(source, line, TickReject.TRADING_HALT, "type 7 (halt indicator)", raw);
    }
    if (event.equals("?")) {
      return TickRecords.reject(source, line, TickReject.UNKNOWN_EVENT_TYPE, "type '" + msg[1] + "'", raw);
    }
    double ask = v[5] / 10_000.0;
    double bid = v[7] / 10_000.0;
    if (Math.abs(v[5]) >= EMPTY_SIDE || Math.abs(v[7]) >= EMPTY_SIDE) {
      return TickRecords.reject(source, line, TickReject.EMPTY_BOOK_SIDE, "a side of the book is empty (LOBSTER dummy price)", raw);
    }
    long nanos = Math.round(seconds * 1e9);
    Timestamp ts = Timestamp.from(midnight.plusNanos(nanos));
    int side = v[4] > 0 ? 1 : v[4] < 0 ? -1 : 0;
    Long orderId = (long) v[1];
    return TickRecords.candidate(pair.symbol(), ts, line, event, side, orderId, v[3] / 10_000.0, v[2],
        bid, ask, v[8], v[6], true, source, line, raw);
  }
}

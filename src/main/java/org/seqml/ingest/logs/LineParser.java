package org.seqml.ingest.logs;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.seqml.config.SeqmlConfig;
import scala.Tuple3;

/**
 * One raw line to a LogLinesSource.PARSED row, or a reject with its reason. Compiled once on the
 * driver and shipped to executors (the formatter is rebuilt there: it is not serializable).
 */
final class LineParser implements Serializable {
  private final LogFormat format;
  private final Masking masking;
  private final Pattern sessionId;
  private final String sessionBy;
  private final String keyField;
  private final List<String> timeFields;
  private final String timePattern;
  private final ZoneId zone;
  private final int maxLength;
  private final String formatText;
  private transient DateTimeFormatter formatter;

  LineParser(SeqmlConfig.Logs logs, ZoneId zone) {
    this.format = LogFormat.of(logs.format());
    this.masking = Masking.of(logs.masks());
    this.sessionBy = logs.session().by();
    this.sessionId = sessionBy.equals("id") ? Pattern.compile(logs.session().idPattern()) : null;
    this.keyField = logs.session().keyField();
    this.timeFields = List.copyOf(logs.session().timeFields());
    this.timePattern = logs.session().timePattern();
    this.zone = zone;
    this.maxLength = logs.maxLineLength();
    this.formatText = logs.format();
  }

  Row parse(Tuple3<String, Long, String> t) {
    String file = t._1();
    long line = t._2();
    String text = t._3();
    LineChecks.Problem problem = LineChecks.of(text, maxLength);
    if (problem != null) {
      return reject(file, line, problem.reason(), problem.detail(), problem.raw());
    }
    Optional<ParsedLine> parsed = format.parse(text);
    if (parsed.isEmpty()) {
      return reject(file, line, LogReject.FORMAT_MISMATCH, "does not match " + formatText, text);
    }
    ParsedLine fields = parsed.get();
    Timestamp ts = null;
    if (!timeFields.isEmpty()) {
      StringBuilder when = new StringBuilder();
      for (String f : timeFields) {
        when.append(when.length() == 0 ? "" : " ").append(fields.fields().get(f));
      }
      try {
        ts = Timestamp.from(LocalDateTime.parse(when, formatter()).atZone(zone).toInstant());
      } catch (RuntimeException e) {
        return reject(file, line, LogReject.UNPARSEABLE_TIMESTAMP, "'" + when + "' does not match " + timePattern, text);
      }
    }
    String content = fields.content();
    String[] sessionIds = null;
    if (sessionBy.equals("id")) {
      Set<String> ids = new LinkedHashSet<>();
      Matcher m = sessionId.matcher(content);
      while (m.find()) {
        ids.add(m.group());
      }
      if (ids.isEmpty()) {
        return reject(file, line, LogReject.NO_SESSION_ID, "no match of " + sessionId.pattern(), text);
      }
      sessionIds = ids.toArray(new String[0]);
    }
    String stream = sessionBy.equals("gap") ? fields.fields().get(keyField) : null;
    return RowFactory.create(file, line, text, null, null, ts, stream, sessionIds, masking.tokenize(content));
  }

  private DateTimeFormatter formatter() {
    if (formatter == null) {
      formatter = DateTimeFormatter.ofPattern(timePattern);
    }
    return formatter;
  }

  private static Row reject(String file, long line, String reason, String detail, String raw) {
    return RowFactory.create(file, line, raw, reason, detail, null, null, null, null);
  }
}

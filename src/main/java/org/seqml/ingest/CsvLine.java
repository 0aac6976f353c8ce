package org.seqml.ingest;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;

/**
 * One line of a CSV file split into its fields by RFC 4180 (the univocity parser Spark's own CSV reader
 * uses): quoted fields keep their commas ({@code "BRK,A"}, {@code "1,000"}), doubled quotes inside them
 * stand for one, fields are trimmed. Lines are split one by one so that every reject keeps its file, line
 * and raw text; a quoted field cannot span lines.
 */
public final class CsvLine {
  /** A parser per thread (they hold buffers and are not thread-safe). */
  private static final ThreadLocal<CsvParser> PARSER = ThreadLocal.withInitial(() -> {
    CsvParserSettings settings = new CsvParserSettings();
    settings.getFormat().setDelimiter(',');
    settings.getFormat().setQuote('"');
    settings.getFormat().setQuoteEscape('"');
    settings.getFormat().setLineSeparator("\n");
    settings.setNullValue("");
    settings.setEmptyValue("");
    settings.setMaxCharsPerColumn(-1);
    settings.setMaxColumns(100_000);
    return new CsvParser(settings);
  });

  private CsvLine() {}

  /** The fields of {@code line}; throws IllegalArgumentException for a line that is not CSV (an open quote). */
  public static String[] fields(String line) {
    try {
      String[] fields = PARSER.get().parseLine(line);
      return fields == null ? new String[] {""} : fields;
    } catch (TextParsingException e) {
      PARSER.remove(); // a parser that failed mid-line is not reused
      throw new IllegalArgumentException("not a CSV line: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  /** A file's first line without the UTF-8 byte order mark some editors and exports put before it. */
  public static String withoutBom(String firstLine) {
    return firstLine.startsWith("\uFEFF") ? firstLine.substring(1) : firstLine;
  }
}

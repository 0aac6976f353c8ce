package org.seqml.ingest.logs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A loghub-style line format such as {@code <Date> <Time> <Level> \[<Process>\] <Component>:
 * <Content>}, turned into a regex exactly as logpai/logparser's {@code generate_logformat_regex}
 * (Zhu et al., "Tools and Benchmarks for Automated Log Parsing", ICSE-SEIP 2019): the format is split
 * on {@code (<[^<>]+>)}; each header becomes a lazy group {@code .*?}; the text between headers is
 * itself regex (so {@code \[} or {@code (\[<PID>\])?} work as in the benchmark configs) with every
 * run of spaces widened to {@code \s+}; the whole is anchored {@code ^...$} and tried on the stripped
 * line. Python 3 semantics are kept: Unicode classes, and only {@code \n} ends a line for {@code .}.
 */
public final class LogFormat implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The header every format must have: the message that templates are mined from. */
  public static final String CONTENT = "Content";
  private static final Pattern HEADER = Pattern.compile("<[^<>]+>");
  private static final Pattern SPACES = Pattern.compile(" +");
  static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;

  private final String format;
  private final List<String> headers;
  private final Pattern pattern;

  private LogFormat(String format, List<String> headers, Pattern pattern) {
    this.format = format;
    this.headers = headers;
    this.pattern = pattern;
  }

  /** Parses a format string; fails naming the format when it lacks {@code <Content>} or is not a valid regex. */
  public static LogFormat of(String format) {
    List<String> headers = new ArrayList<>();
    StringBuilder regex = new StringBuilder("^");
    Matcher header = HEADER.matcher(format);
    int literalStart = 0;
    while (header.find()) {
      regex.append(widenSpaces(format.substring(literalStart, header.start())));
      String name = format.substring(header.start() + 1, header.end() - 1);
      if (headers.contains(name)) {
        throw new IllegalArgumentException("log format repeats header <" + name + ">: " + format);
      }
      // Java group names allow only letters and digits, so groups are named by position.
      regex.append("(?<h").append(headers.size()).append(">.*?)");
      headers.add(name);
      literalStart = header.end();
    }
    regex.append(widenSpaces(format.substring(literalStart))).append('$');
    if (!headers.contains(CONTENT)) {
      throw new IllegalArgumentException("log format must contain <" + CONTENT + ">: " + format);
    }
    try {
      return new LogFormat(format, List.copyOf(headers), Pattern.compile(regex.toString(), FLAGS));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("log format is not a valid regex (" + e.getDescription() + "): " + format, e);
    }
  }

  private static String widenSpaces(String literal) {
    return SPACES.matcher(literal).replaceAll(Matcher.quoteReplacement("\\s+"));
  }

  /** The header fields of a line, or empty when the line does not fit the format (a reject). */
  public Optional<ParsedLine> parse(String line) {
    Matcher m = pattern.matcher(Whitespace.strip(line));
    if (!m.find()) {
      return Optional.empty();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < headers.size(); i++) {
      fields.put(headers.get(i), m.group("h" + i));
    }
    return Optional.of(new ParsedLine(fields));
  }

  /** Header names in format order. */
  public List<String> headers() {
    return headers;
  }

  /** The format string this was built from. */
  public String format() {
    return format;
  }

  /** The generated regex, for error messages and debugging. */
  public String regex() {
    return pattern.pattern();
  }

  @Override
  public String toString() {
    return format;
  }
}

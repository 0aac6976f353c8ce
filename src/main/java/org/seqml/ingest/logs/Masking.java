package org.seqml.ingest.logs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Replaces known variable parts of a message (block ids, IP addresses, sizes, ...) by
 * {@link LogTemplate#WILDCARD} before tokenizing, as Drain's benchmark preprocessing does
 * (He et al., ICWS 2017, step 1; logpai/logparser {@code preprocess}): the regexes are applied in
 * order, each to the result of the previous one, then the text is stripped and split on whitespace.
 */
public final class Masking implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String REPLACEMENT = Matcher.quoteReplacement(LogTemplate.WILDCARD);

  private final List<Pattern> patterns;

  private Masking(List<Pattern> patterns) {
    this.patterns = patterns;
  }

  /** Masking with these regexes in this order; fails naming the regex that does not compile. */
  public static Masking of(List<String> regexes) {
    List<Pattern> patterns = new ArrayList<>();
    for (String regex : regexes) {
      try {
        patterns.add(Pattern.compile(regex, LogFormat.FLAGS));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("masking regex does not compile (" + e.getDescription() + "): " + regex, e);
      }
    }
    return new Masking(List.copyOf(patterns));
  }

  public static Masking of(String... regexes) {
    return of(List.of(regexes));
  }

  /** No masking: tokens are the whitespace-separated words of the content. */
  public static Masking none() {
    return new Masking(List.of());
  }

  /** The content with every regex match replaced by {@code <*>}. */
  public String mask(String content) {
    String masked = content;
    for (Pattern p : patterns) {
      masked = p.matcher(masked).replaceAll(REPLACEMENT);
    }
    return masked;
  }

  /** The masked content split on whitespace (Python's {@code strip().split()}). */
  public String[] tokenize(String content) {
    return Whitespace.split(mask(content));
  }

  /** The regexes, in order of application. */
  public List<String> regexes() {
    return patterns.stream().map(Pattern::pattern).toList();
  }

  @Override
  public String toString() {
    return "Masking" + regexes();
  }
}

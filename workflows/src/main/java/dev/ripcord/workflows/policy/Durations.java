package dev.ripcord.workflows.policy;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations as policies write them: {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}, or ISO-8601 {@code PT10M}. */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code text}, or returns null when it is not a duration (or too large to be one). Never throws. */
  public static Duration parseOrNull(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      } catch (ArithmeticException | NumberFormatException e) {
        return null; // more than Java's durations hold: not a duration a policy can mean
      }
    }
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t);
      } catch (RuntimeException e) {
        return null;
      }
    }
    return null;
  }

  /** Parses a duration the validator has already accepted. */
  public static Duration parse(String text) {
    Duration d = parseOrNull(text);
    if (d == null) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (write e.g. 30s, 10m, 2h, 1d or PT10M)");
    }
    return d;
  }

  /** A short human form: {@code 1h30m}, {@code 45s}. */
  public static String format(Duration d) {
    long s = d.getSeconds();
    if (s == 0) {
      return d.toMillis() + "ms";
    }
    StringBuilder b = new StringBuilder();
    long days = s / 86400, hours = (s % 86400) / 3600, minutes = (s % 3600) / 60, seconds = s % 60;
    if (days > 0) b.append(days).append('d');
    if (hours > 0) b.append(hours).append('h');
    if (minutes > 0) b.append(minutes).append('m');
    if (seconds > 0) b.append(seconds).append('s');
    return b.toString();
  }
}

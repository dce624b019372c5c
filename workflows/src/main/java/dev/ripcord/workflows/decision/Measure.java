package dev.ripcord.workflows.decision;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The number one leaf of a criterion decided a window by, beside the words: its statistic against the level where it
 * acts, and the arms' estimates behind it, so a chart can draw what the sentence says. Non-finite numbers (a ratio to a
 * baseline of zero) are kept as null.
 *
 * @param path where the leaf sits in the criterion ({@code when}, {@code when.anyOf[1]}, …)
 * @param signal the signal the leaf reads
 * @param statistic what is compared: {@code log-LR} (sequential tests), {@code ratio} (to the baseline or between
 *     slices), {@code value} (an absolute limit), {@code lower bound}/{@code upper bound} (a confidence limit),
 *     {@code share beyond} (the share of requests beyond a quantile's point)
 * @param value the statistic this window
 * @param op how the statistic breaches the threshold: {@code >=}, {@code >} or {@code <}
 * @param threshold where the leaf breaches
 * @param candidate the candidate's estimate in the signal's unit (this window, or since the stage for tests over units
 *     and means)
 * @param baseline the baseline's estimate the leaf compares with, or null
 * @param samples the candidate samples the test has seen so far (a sequential test's), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Measure(String path, String signal, String statistic, Double value, String op, Double threshold,
    Double candidate, Double baseline, Long samples) {

  /** A measure with non-finite numbers kept as null. */
  public static Measure of(String path, String signal, String statistic, double value, String op, double threshold,
      Double candidate, Double baseline, Long samples) {
    return new Measure(path, signal, statistic, finite(value), op, finite(threshold), finite(candidate),
        finite(baseline), samples);
  }

  private static Double finite(Double x) {
    return x == null || x.isNaN() || x.isInfinite() ? null : x;
  }

  /** Whether {@link #value} lies on the breaching side of {@link #threshold}. */
  public boolean beyond() {
    if (value == null || threshold == null) {
      return false;
    }
    return switch (op) {
      case ">=" -> value >= threshold;
      case ">" -> value > threshold;
      case "<" -> value < threshold;
      default -> false;
    };
  }
}

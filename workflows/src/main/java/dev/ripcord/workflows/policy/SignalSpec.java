package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A named measurement.
 *
 * @param kind {@code rate} (events out of trials), {@code mean}, {@code ratio} or {@code quantile} (a value), or
 *     {@code paired} (same-prompt pairs: candidate worse, baseline worse, concordant)
 * @param category quality, safety, fairness, user-experience or operational
 * @param direction {@code higher-is-worse} or {@code lower-is-worse}
 * @param per for rates: the unit they are stated in (1, 100, 1000 or 10000; "hallucinations per 10,000 outputs")
 * @param baseline whether the baseline arm is observed too (needed for comparisons against it)
 * @param judge the LLM judge that scores it, when one does: criteria on the signal are inconclusive while the judge
 *     is unreliable (see {@link JudgeSpec})
 * @param unit {@code user}, {@code session} or {@code conversation}: outputs come in units that stick to one arm,
 *     and each window's arms carry the units' statistics since the stage began, so a comparison with the baseline
 *     takes its variance over units, not outputs (a rate or a mean; see {@code UnitStats})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignalSpec(
    String name, String kind, String category, String direction, Integer per, Boolean baseline, String description,
    JudgeSpec judge, String unit) {

  /** The units a signal's outputs may come in. */
  public static final java.util.List<String> UNITS = java.util.List.of("user", "session", "conversation");

  public SignalSpec(String name, String kind, String category, String direction, Integer per, Boolean baseline,
      String description, JudgeSpec judge) {
    this(name, kind, category, direction, per, baseline, description, judge, null);
  }

  public SignalSpec(String name, String kind, String category, String direction, Integer per, Boolean baseline,
      String description) {
    this(name, kind, category, direction, per, baseline, description, null);
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isRate() {
    return kindType() == SignalKind.RATE;
  }

  /** Whether candidate and baseline answer the same prompts and each window counts the discordant pairs. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isPaired() {
    return kindType() == SignalKind.PAIRED;
  }

  /** Whether the signal sees the baseline: declared with {@code baseline: true}, or paired (always both). */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean observesBaseline() {
    return Boolean.TRUE.equals(baseline) || isPaired();
  }

  /** The kind as an enum, or null when the policy names one this version does not know. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public SignalKind kindType() {
    return SignalKind.of(kind);
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public Category categoryType() {
    return Category.of(category);
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public Direction directionType() {
    return Direction.of(direction);
  }

  public int perOrOne() {
    return per == null ? 1 : per;
  }

  public boolean higherIsWorse() {
    return !"lower-is-worse".equals(direction);
  }
}

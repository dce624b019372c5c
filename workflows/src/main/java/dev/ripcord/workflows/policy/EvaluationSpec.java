package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How often the release is evaluated and what happens when data stays missing.
 *
 * @param interval the evaluation window, e.g. {@code 1m}
 * @param maxInconclusive consecutive windows without conclusive data before {@code onInconclusive} applies
 * @param onInconclusive the action then: {@code pause-and-investigate} (default), {@code rollback},
 *     {@code rollback-after-approval} or {@code alert-only}
 * @param windowsPerRun the most evaluation windows a workflow run has before it continues as new (bounds history);
 *     each run stops after between 80 % and all of them, fixed by its run ID
 * @param falseRollbackBudget the probability of a false rollback per healthy release that the sequential tests may
 *     spend together (default 0.001), split evenly (Bonferroni) across those without their own {@code alpha}
 * @param horizon the longest a release is watched, for the CUSUM bound (default: twice the sum of the bakes)
 * @param inconclusiveSpan {@code maxInconclusive} also counts inconclusive windows among a criterion's last this many
 *     windows, not only in a row (default four times {@code maxInconclusive}), so evidence missing in most windows
 *     cannot go unnoticed by arriving now and then
 * @param minCoverage the share of a stage's windows each criterion must have been conclusive in before the stage is
 *     promoted (default 0.5); a stage whose evidence never arrived bakes on until the inconclusive rules act
 * @param afterPromotion keep watching once the last stage is promoted: a holdout on the baseline, for a while
 * @param sampleRatio whether each stage's split of traffic between the arms is checked against the router's weight,
 *     and what a mismatch does (default: {@code pause-and-investigate} when a criterion compares the arms)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationSpec(String interval, Integer maxInconclusive, String onInconclusive, Integer windowsPerRun,
    Double falseRollbackBudget, String horizon, Integer inconclusiveSpan, Double minCoverage,
    AfterPromotion afterPromotion, SampleRatioSpec sampleRatio) {

  /**
   * The sample-ratio guard: {@code action} {@code pause-and-investigate}, {@code alert-only} or {@code off};
   * {@code alpha} the chance a stage whose split is right is flagged (default 0.001); {@code tolerance} the share of
   * the smaller arm by which the split may differ from the weight (default 0, or 0.15 with {@code router.stickiness}:
   * a hashing router splits users by its ring's arcs, not exactly by the weights).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SampleRatioSpec(String action, Double alpha, Double tolerance) {
    public SampleRatioSpec(String action, Double alpha) {
      this(action, alpha, null);
    }

    public static final java.util.List<String> ACTIONS = java.util.List.of("pause-and-investigate", "alert-only",
        "off");
  }

  public EvaluationSpec(String interval, Integer maxInconclusive, String onInconclusive, Integer windowsPerRun,
      Double falseRollbackBudget, String horizon, Integer inconclusiveSpan, Double minCoverage,
      AfterPromotion afterPromotion) {
    this(interval, maxInconclusive, onInconclusive, windowsPerRun, falseRollbackBudget, horizon, inconclusiveSpan,
        minCoverage, afterPromotion, null);
  }

  /**
   * The post-promotion watch: the candidate runs at {@code 100 - holdout} % (the baseline keeps {@code holdout} %, so
   * comparisons with it still apply) and the release keeps evaluating, taking pushed and late-labelled observations,
   * for {@code watch}; a trigger then rolls back (or freezes) as in any stage. Afterwards the holdout is released.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AfterPromotion(Integer holdout, String watch) {
    public int holdoutOrZero() {
      return holdout == null ? 0 : holdout;
    }
  }

  public EvaluationSpec(String interval, Integer maxInconclusive, String onInconclusive, Integer windowsPerRun,
      Double falseRollbackBudget, String horizon, Integer inconclusiveSpan, Double minCoverage) {
    this(interval, maxInconclusive, onInconclusive, windowsPerRun, falseRollbackBudget, horizon, inconclusiveSpan,
        minCoverage, null);
  }

  public static final double DEFAULT_MIN_COVERAGE = 0.5;

  public EvaluationSpec(String interval, Integer maxInconclusive, String onInconclusive, Integer windowsPerRun) {
    this(interval, maxInconclusive, onInconclusive, windowsPerRun, null, null);
  }

  public EvaluationSpec(String interval, Integer maxInconclusive, String onInconclusive, Integer windowsPerRun,
      Double falseRollbackBudget, String horizon) {
    this(interval, maxInconclusive, onInconclusive, windowsPerRun, falseRollbackBudget, horizon, null, null);
  }

  /** The span {@code maxInconclusive} counts over, given the limit in force. */
  public int span(int maxInconclusive) {
    return inconclusiveSpan != null ? inconclusiveSpan : 4 * maxInconclusive;
  }

  public double coverage() {
    return minCoverage == null ? DEFAULT_MIN_COVERAGE : minCoverage;
  }

  public static final double DEFAULT_BUDGET = 0.001;

  public double budget() {
    return falseRollbackBudget == null ? DEFAULT_BUDGET : falseRollbackBudget;
  }
}

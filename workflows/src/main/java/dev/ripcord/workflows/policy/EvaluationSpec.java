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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationSpec(String interval, Integer maxInconclusive, String onInconclusive, Integer windowsPerRun,
    Double falseRollbackBudget, String horizon) {

  public EvaluationSpec(String interval, Integer maxInconclusive, String onInconclusive, Integer windowsPerRun) {
    this(interval, maxInconclusive, onInconclusive, windowsPerRun, null, null);
  }

  public static final double DEFAULT_BUDGET = 0.001;

  public double budget() {
    return falseRollbackBudget == null ? DEFAULT_BUDGET : falseRollbackBudget;
  }
}

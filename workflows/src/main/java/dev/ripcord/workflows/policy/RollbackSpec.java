package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How traffic goes back to the baseline: weights strictly decreasing and ending at 0, each step verified with the
 * router and held for {@code hold} before the next.
 *
 * @param unsafeAfter when reverting would do harm once the release has reached a stage (a one-way migration):
 *     from then on a trigger freezes the release at its weight and pages people instead of rolling back
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RollbackSpec(List<Step> steps, UnsafeAfter unsafeAfter) {

  public RollbackSpec(List<Step> steps) {
    this(steps, null);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Step(Integer weight, String hold) {}

  /**
   * @param stage the first stage from whose start rolling back is unsafe
   * @param reason why, shown in the audit, the status and the page
   * @param page the roles paged and asked to decide (default: the {@code rollback} right's roles)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UnsafeAfter(String stage, String reason, List<String> page) {}
}

package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How traffic goes back to the baseline: weights strictly decreasing and ending at 0, each step verified with the
 * router and held for {@code hold} before the next.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RollbackSpec(List<Step> steps) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Step(Integer weight, String hold) {}
}

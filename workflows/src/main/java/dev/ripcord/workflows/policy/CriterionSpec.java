package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A rollback trigger: a condition, how long it must hold, how severe it is and what happens when it fires.
 *
 * @param action {@code rollback}, {@code rollback-after-approval}, {@code pause-and-investigate} or {@code alert-only}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CriterionSpec(
    String name, String description, String severity, String action, ConditionSpec when, SustainSpec sustain) {

  public int sustainWindows() {
    return sustain == null || sustain.windows() == null ? 1 : sustain.windows();
  }

  public int sustainOf() {
    return sustain == null || sustain.of() == null ? sustainWindows() : sustain.of();
  }
}

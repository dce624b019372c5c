package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A rollback trigger: a condition, how long it must hold, how severe it is and what happens when it fires.
 *
 * @param action {@code rollback}, {@code rollback-after-approval}, {@code pause-and-investigate} or {@code alert-only}
 * @param investigate for {@code pause-and-investigate}: who investigates and at what exposure
 * @param breakGlass with {@code action: rollback}: when it fires the candidate goes to 0 % in one step, skipping the
 *     rollback's staged holds, and the release and its review are marked break-glass
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CriterionSpec(
    String name, String description, String severity, String action, ConditionSpec when, SustainSpec sustain,
    Investigation investigate, Boolean breakGlass) {

  public CriterionSpec(String name, String description, String severity, String action, ConditionSpec when,
      SustainSpec sustain, Investigation investigate) {
    this(name, description, severity, action, when, sustain, investigate, null);
  }

  /** Whether firing sends the candidate to 0 % at once. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean breaksGlass() {
    return Boolean.TRUE.equals(breakGlass);
  }

  public CriterionSpec(String name, String description, String severity, String action, ConditionSpec when,
      SustainSpec sustain) {
    this(name, description, severity, action, when, sustain, null);
  }

  /** The action as an enum, or null when the policy names one this version does not know. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public Action actionType() {
    return Action.of(action);
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public Severity severityType() {
    return Severity.of(severity);
  }

  /**
   * @param weight reduce the candidate to this weight while the investigation is open (never raises it); the stage's
   *     weight comes back when it continues. Absent: exposure is frozen where it is.
   * @param investigators roles told to investigate (with the criterion's numbers and the deadline)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Investigation(Integer weight, java.util.List<String> investigators) {}

  /** Windows the breach must hold in; {@code sustain.for} counts whole intervals (validated to parse). */
  public int sustainWindows(String interval) {
    if (sustain == null) {
      return 1;
    }
    if (sustain.duration() != null) {
      long windows = Durations.parse(sustain.duration()).toMillis() / Durations.parse(interval).toMillis();
      return (int) Math.max(1, Math.min(100, windows));
    }
    return sustain.windows() == null ? 1 : sustain.windows();
  }

  public int sustainOf(String interval) {
    return sustain == null || sustain.of() == null ? sustainWindows(interval) : sustain.of();
  }
}

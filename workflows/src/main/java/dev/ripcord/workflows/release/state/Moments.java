package dev.ripcord.workflows.release.state;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The incident's timeline in workflow time (epoch millis): when the candidate first got traffic, when the first
 * trigger fired, when the rollback was done. Each is set once. Carried inside {@code Progress} under the names older
 * runs wrote; a name absent in an older run stays null.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Moments {
  private Long exposedAt;
  private Long triggeredAt;
  private Long mitigatedAt;

  public Long exposedAt() {
    return exposedAt;
  }

  public Long triggeredAt() {
    return triggeredAt;
  }

  public Long mitigatedAt() {
    return mitigatedAt;
  }

  /** The candidate got traffic at {@code now}; only the first time counts. */
  public void exposed(long now) {
    if (exposedAt == null) {
      exposedAt = now;
    }
  }

  /** A trigger fired at {@code now}; only the first counts. */
  public void triggered(long now) {
    if (triggeredAt == null) {
      triggeredAt = now;
    }
  }

  public void mitigated(long now) {
    mitigatedAt = now;
  }

  /** Milliseconds from the trigger to the rollback, or null when either is missing. */
  public Long toMitigate() {
    return triggeredAt == null || mitigatedAt == null ? null : mitigatedAt - triggeredAt;
  }
}

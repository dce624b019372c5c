package dev.ripcord.workflows.decision;

import dev.ripcord.workflows.policy.Action;
import com.fasterxml.jackson.annotation.JsonValue;

/** What one evaluation asks the release to do, most severe last. */
public enum Verdict {
  CONTINUE("continue"),
  ALERT("alert"),
  PAUSE_AND_INVESTIGATE("pause-and-investigate"),
  ROLLBACK_AFTER_APPROVAL("rollback-after-approval"),
  ROLLBACK("rollback");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  /** The verdict a criterion's policy action asks for when it fires. */
  public static Verdict of(Action action) {
    if (action == null) {
      throw new IllegalArgumentException("no action (the validator refuses such a policy)");
    }
    return switch (action) {
      case ROLLBACK -> ROLLBACK;
      case ROLLBACK_AFTER_APPROVAL -> ROLLBACK_AFTER_APPROVAL;
      case PAUSE_AND_INVESTIGATE -> PAUSE_AND_INVESTIGATE;
      case ALERT_ONLY -> ALERT;
    };
  }

  /** The verdict for an action's text, e.g. the engine's {@code onInconclusive}. */
  public static Verdict ofAction(String action) {
    Action a = Action.of(action);
    if (a == null) {
      throw new IllegalArgumentException("unknown action '" + action + "'");
    }
    return of(a);
  }

  @com.fasterxml.jackson.annotation.JsonCreator
  public static Verdict ofLabel(String label) {
    for (Verdict v : values()) {
      if (v.label.equals(label) || v.name().equals(label)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown verdict '" + label + "'");
  }
}

package dev.ripcord.workflows.decision;

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
  public static Verdict ofAction(String action) {
    return switch (action) {
      case "rollback" -> ROLLBACK;
      case "rollback-after-approval" -> ROLLBACK_AFTER_APPROVAL;
      case "pause-and-investigate" -> PAUSE_AND_INVESTIGATE;
      case "alert-only" -> ALERT;
      default -> throw new IllegalArgumentException("unknown action '" + action + "'");
    };
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

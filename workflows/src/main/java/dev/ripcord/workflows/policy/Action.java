package dev.ripcord.workflows.policy;

/** What a criterion or an alert rule does when it fires, most severe first. */
public enum Action implements Named {
  ROLLBACK("rollback"),
  ROLLBACK_AFTER_APPROVAL("rollback-after-approval"),
  PAUSE_AND_INVESTIGATE("pause-and-investigate"),
  ALERT_ONLY("alert-only");

  private final String text;

  Action(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  /** The constant for a policy's text, or null when this version does not know it. */
  public static Action of(String text) {
    return Named.of(Action.class, text);
  }
}

package dev.ripcord.workflows.policy;

/** What happens when a decision's deadline passes unanswered: roll back, continue (promote, stay exposed) or hold (ask again). */
public enum OnTimeout implements Named {
  ROLLBACK("rollback"),
  CONTINUE("continue"),
  HOLD("hold");

  private final String text;

  OnTimeout(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  /** The constant for a policy's text, or null when this version does not know it. */
  public static OnTimeout of(String text) {
    return Named.of(OnTimeout.class, text);
  }
}

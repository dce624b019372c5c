package dev.ripcord.workflows.policy;

/** How serious a criterion is (shown to people; it does not change what the criterion does). */
public enum Severity implements Named {
  INFO("info"),
  WARNING("warning"),
  CRITICAL("critical");

  private final String text;

  Severity(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  /** The constant for a policy's text, or null when this version does not know it. */
  public static Severity of(String text) {
    return Named.of(Severity.class, text);
  }
}

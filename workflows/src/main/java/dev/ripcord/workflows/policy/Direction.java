package dev.ripcord.workflows.policy;

/** Which way a signal gets worse. */
public enum Direction implements Named {
  HIGHER_IS_WORSE("higher-is-worse"),
  LOWER_IS_WORSE("lower-is-worse");

  private final String text;

  Direction(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  /** The constant for a policy's text, or null when this version does not know it. */
  public static Direction of(String text) {
    return Named.of(Direction.class, text);
  }
}

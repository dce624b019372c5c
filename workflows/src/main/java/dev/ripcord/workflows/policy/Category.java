package dev.ripcord.workflows.policy;

/** What a signal is about. */
public enum Category implements Named {
  QUALITY("quality"),
  SAFETY("safety"),
  FAIRNESS("fairness"),
  USER_EXPERIENCE("user-experience"),
  OPERATIONAL("operational");

  private final String text;

  Category(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  /** The constant for a policy's text, or null when this version does not know it. */
  public static Category of(String text) {
    return Named.of(Category.class, text);
  }
}

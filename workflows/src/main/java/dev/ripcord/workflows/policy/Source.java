package dev.ripcord.workflows.policy;

/** Where a release's observations come from. */
public enum Source implements Named {
  PUSHED("pushed"),
  SCRIPTED("scripted"),
  PROMETHEUS("prometheus"),
  HTTP("http");

  private final String text;

  Source(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  /** The constant for a policy's text, or null when this version does not know it. */
  public static Source of(String text) {
    return Named.of(Source.class, text);
  }
}

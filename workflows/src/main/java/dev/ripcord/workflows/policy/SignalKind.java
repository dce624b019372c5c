package dev.ripcord.workflows.policy;

/**
 * What a signal measures: a rate of events among trials, a value (mean, ratio, quantile), or a paired comparison
 * (candidate and baseline answered the same prompts; each window counts the pairs where only one was bad).
 */
public enum SignalKind implements Named {
  RATE("rate"),
  MEAN("mean"),
  RATIO("ratio"),
  QUANTILE("quantile"),
  PAIRED("paired");

  private final String text;

  SignalKind(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  /** The constant for a policy's text, or null when this version does not know it. */
  public static SignalKind of(String text) {
    return Named.of(SignalKind.class, text);
  }
}

package dev.ripcord.workflows.policy;

/** What a signal measures: a rate of events among trials, or a value (mean, ratio, quantile). */
public enum SignalKind implements Named {
  RATE("rate"),
  MEAN("mean"),
  RATIO("ratio"),
  QUANTILE("quantile");

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

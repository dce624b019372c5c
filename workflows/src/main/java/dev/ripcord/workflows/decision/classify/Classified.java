package dev.ripcord.workflows.decision.classify;

/** What one condition says about one window: breached, within limits, or inconclusive, with the reason in words. */
public record Classified(Kind kind, String text) {
  public enum Kind { OK, BREACH, INCONCLUSIVE }

  public static Classified ok(String text) {
    return new Classified(Kind.OK, text);
  }

  public static Classified breach(String text) {
    return new Classified(Kind.BREACH, text);
  }

  public static Classified inconclusive(String text) {
    return new Classified(Kind.INCONCLUSIVE, text);
  }

  public static Classified of(boolean breach, String text) {
    return new Classified(breach ? Kind.BREACH : Kind.OK, text);
  }
}

package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Measure;
import java.util.ArrayList;
import java.util.List;

/**
 * What one condition says about one window: breached, within limits, or inconclusive, with the reason in words and
 * the numbers each leaf decided by ({@link Measure}; none for an inconclusive leaf).
 */
public record Classified(Kind kind, String text, List<Measure> measures) {
  public enum Kind { OK, BREACH, INCONCLUSIVE }

  public Classified(Kind kind, String text) {
    this(kind, text, List.of());
  }

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

  /** This outcome with {@code m} among its measures. */
  public Classified with(Measure m) {
    List<Measure> all = new ArrayList<>(measures);
    all.add(m);
    return new Classified(kind, text, List.copyOf(all));
  }
}

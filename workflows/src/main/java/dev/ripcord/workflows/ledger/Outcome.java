package dev.ripcord.workflows.ledger;

import dev.ripcord.workflows.policy.Named;

/** What a release's review found the guard did, labelled by a person afterwards. */
public enum Outcome implements Named {
  /** It rolled back (or froze) and the candidate really was worse. */
  RIGHT_ROLLBACK("rollback-was-right"),
  /** It rolled back a candidate that was fine. */
  FALSE_ROLLBACK("false-rollback"),
  /** It let a bad candidate through; the incident was found later. */
  MISSED_INCIDENT("missed-incident"),
  /** It stopped a candidate that would have caused an incident (a rollback people confirm prevented harm). */
  INCIDENT_PREVENTED("incident-prevented");

  private final String text;

  Outcome(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  public static Outcome of(String text) {
    return Named.of(Outcome.class, text);
  }

  /** Whether the guard acted on the release (a rollback or a freeze). */
  public boolean acted() {
    return this != MISSED_INCIDENT;
  }
}

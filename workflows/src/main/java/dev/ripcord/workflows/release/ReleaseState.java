package dev.ripcord.workflows.release;

/** The states of a release, as in DESIGN.md's state diagram. */
public enum ReleaseState {
  VALIDATING,
  SHADOW,
  ROLLING_OUT,
  AWAITING_PROMOTION,
  PAUSED,
  PAUSED_FOR_INVESTIGATION,
  AWAITING_ROLLBACK_APPROVAL,
  ROLLING_BACK,
  VERIFYING,
  ROLLED_BACK,
  COMPLETED;

  public boolean isFinal() {
    return this == ROLLED_BACK || this == COMPLETED;
  }

  /** Candidate traffic may be exposed and criteria are being evaluated. */
  public boolean isWatching() {
    return this == SHADOW || this == ROLLING_OUT || this == AWAITING_PROMOTION || this == PAUSED
        || this == PAUSED_FOR_INVESTIGATION || this == AWAITING_ROLLBACK_APPROVAL;
  }
}

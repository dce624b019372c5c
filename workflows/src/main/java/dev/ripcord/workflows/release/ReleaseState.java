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
  COMPLETED,
  /**
   * Stopped because the router refused a change outright (a wrong route, a version it does not know): retrying
   * cannot help, so the release says where traffic is, as the router last confirmed it, and leaves it to people.
   */
  HALTED,
  /**
   * A trigger fired after the point the policy says a rollback would do harm ({@code rollback.unsafeAfter}): the
   * candidate stays at its weight, the named roles are paged, and a person decides (roll back anyway, or watch on).
   */
  FROZEN,
  /**
   * Every stage is promoted, and the release keeps watching ({@code evaluation.afterPromotion}): a holdout stays on
   * the baseline, pushed and late-labelled observations are still evaluated, and a trigger still rolls back.
   */
  WATCHING_AFTER_PROMOTION;

  public boolean isFinal() {
    return this == ROLLED_BACK || this == COMPLETED || this == HALTED;
  }

  /** Candidate traffic may be exposed and criteria are being evaluated. */
  public boolean isWatching() {
    return this == SHADOW || this == ROLLING_OUT || this == AWAITING_PROMOTION || this == PAUSED
        || this == PAUSED_FOR_INVESTIGATION || this == AWAITING_ROLLBACK_APPROVAL || this == FROZEN
        || this == WATCHING_AFTER_PROMOTION;
  }
}

package dev.ripcord.workflows.release.state;

/**
 * Why a release rolls back, and who asked: a person ({@code rollback} signal), {@code ripcord} (a criterion),
 * {@code alertmanager} (an alert's rule) or a settled decision ({@code deadline} for a policy default).
 * {@code breakGlass} says why the rollback goes to 0 % in one step, or is null for a staged one. When the first
 * trigger fired is the incident's timeline ({@code Progress.triggeredAt}), not the request's: it can come well before.
 */
public record RollbackRequest(String by, String reason, String breakGlass) {

  /**
   * A request that replaces {@code earlier} (a rollback asked for again before the release acted on it): a
   * break-glass already asked for stands.
   */
  public static RollbackRequest over(RollbackRequest earlier, String by, String reason, String breakGlass) {
    return new RollbackRequest(by, reason,
        breakGlass != null || earlier == null ? breakGlass : earlier.breakGlass());
  }
}

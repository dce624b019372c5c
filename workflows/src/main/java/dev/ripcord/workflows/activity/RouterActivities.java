package dev.ripcord.workflows.activity;

import dev.ripcord.workflows.policy.RouterSpec;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * The traffic router. Every change sets an absolute weight and carries an idempotency key, so a retried or replayed
 * call changes nothing twice.
 */
@ActivityInterface
public interface RouterActivities {
  String SET_WEIGHT = "SetWeight";
  String READ_WEIGHT = "ReadWeight";

  /**
   * One round of attempts: about two minutes of retries with backoff. The workflow escalates after a failed round and
   * starts another with the same idempotency key; it never records a change the router did not confirm.
   */
  ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(20))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(7)
          .setDoNotRetry(RouterFailures.REJECTED)
          .build())
      .build();

  @ActivityMethod(name = SET_WEIGHT)
  WeightChange setWeight(WeightCommand command);

  /** The candidate's weight as the router reports it now, to verify a change before the next one. */
  @ActivityMethod(name = READ_WEIGHT)
  int readWeight(RouterSpec router, String candidate);

  /**
   * Set the candidate's weight to {@code to} (the baseline gets the rest).
   *
   * @param mirror with {@code router.mirror}: true to mirror every request to the candidate as well (a shadow stage),
   *     false to stop mirroring; null (every other release) leaves mirroring as it is
   * @param bundles with {@code release.bundle}: the bundle each side serves, so the router (and whoever reads its
   *     log) knows a rollback restores the baseline's whole bundle, not just its weights; null without a bundle
   */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record WeightCommand(
      String releaseId, RouterSpec router, String candidate, String baseline, int from, int to,
      String idempotencyKey, String reason, Boolean mirror, BundleIds bundles) {
    public WeightCommand(String releaseId, RouterSpec router, String candidate, String baseline, int from, int to,
        String idempotencyKey, String reason) {
      this(releaseId, router, candidate, baseline, from, to, idempotencyKey, reason, null, null);
    }

    public WeightCommand(String releaseId, RouterSpec router, String candidate, String baseline, int from, int to,
        String idempotencyKey, String reason, Boolean mirror) {
      this(releaseId, router, candidate, baseline, from, to, idempotencyKey, reason, mirror, null);
    }
  }

  /**
   * The bundle ids ({@code bundle:<sha256>}) of the candidate and the baseline.
   *
   * @param baseline null when the policy describes no {@code release.baselineBundle}
   */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record BundleIds(String candidate, String baseline) {}

  /**
   * What the router did.
   *
   * @param applied false when the router had already applied this idempotency key (a retry or replay)
   */
  record WeightChange(int from, int to, String idempotencyKey, boolean applied, String reason) {}
}

package dev.ripcord.workflows.activity;

import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.policy.ReleaseSpec;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.List;

/** The playbook's automatic steps that touch other systems: the evidence store and the data service. */
@ActivityInterface
public interface PlaybookActivities {
  String SNAPSHOT = "SnapshotEvidence";
  String DATA_RULE = "ApplyDataRule";
  /** The target refused the request (4xx): retrying cannot help. */
  String REJECTED = "PlaybookTargetRejected";

  /** Minutes of retries: evidence and data handling must happen, but never hold up a rollback. */
  ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(2))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(8)
          .setDoNotRetry(REJECTED)
          .build())
      .build();

  @ActivityMethod(name = SNAPSHOT)
  Receipt snapshotEvidence(EvidenceSnapshot snapshot);

  @ActivityMethod(name = DATA_RULE)
  Receipt applyDataRule(DataRule rule);

  /**
   * What the incident is judged on. The observations themselves stay in the release's history; the snapshot refers
   * to it ({@code history}: namespace, workflow id and the first and current run ids).
   */
  record EvidenceSnapshot(String releaseId, String url, String policyHash, ReleaseSpec release, String reason,
      String triggeredAt, String history, List<WindowVerdict> decisions, String idempotencyKey) {}

  /**
   * Retain (legal hold) or purge the outputs {@code version} produced from {@code from} to {@code to}.
   */
  record DataRule(String releaseId, String url, String rule, String model, String version, String from, String to,
      String idempotencyKey) {}

  /** @param reference where the evidence is kept, or the data service's confirmation */
  record Receipt(String reference) {}
}

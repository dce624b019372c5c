package dev.ripcord.workflows.activity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Writes a release's evidence bundle to its store: the policy, the bundle, every run's history (every observation
 * window and signal), every window's decision re-derived by the engine, and the audit log, each file with its digest,
 * the bundle named by the digest of its manifest. Only the reference comes back into the history.
 */
@ActivityInterface
public interface EvidenceActivities {
  String WRITE_EVIDENCE = "WriteEvidence";

  /** A few minutes of retries; a store that stays down is escalated, never blocks the release. */
  ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(2))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(2))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(6)
          .setDoNotRetry("EvidenceStoreRejected")
          .build())
      .build();

  @ActivityMethod(name = WRITE_EVIDENCE)
  EvidenceRef write(EvidenceRequest request);

  /**
   * @param releaseId the workflow id; every run of it so far goes in
   * @param runId the run asking, whose history is read up to now
   * @param reason why now: {@code trigger} or {@code end}
   * @param store the policy's {@code evidence.store}
   */
  record EvidenceRequest(String releaseId, String runId, String reason, String store) {}

  /**
   * @param uri where the bundle is, e.g. {@code file:///var/lib/ripcord/evidence/sha256-…}
   * @param digest {@code sha256:…} of the bundle's manifest, which lists every file's digest
   */
  record EvidenceRef(String uri, String digest, int files, long bytes) {}
}

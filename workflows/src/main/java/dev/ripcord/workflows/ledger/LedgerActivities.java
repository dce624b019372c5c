package dev.ripcord.workflows.ledger;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Reads what a release's histories say about it, for the accuracy ledger. */
@ActivityInterface
public interface LedgerActivities {
  /** The release is not there (never was, or Temporal's retention removed it): retrying cannot help. */
  String NOT_FOUND = "ReleaseNotFound";

  ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(60))
      .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).setDoNotRetry(NOT_FOUND).build())
      .build();

  @ActivityMethod(name = "ReleaseFacts")
  ReleaseFacts facts(String releaseId);
}

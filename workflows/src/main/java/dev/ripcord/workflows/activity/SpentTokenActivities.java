package dev.ripcord.workflows.activity;

import dev.ripcord.workflows.identity.SpentTokens;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Claims a verified token for a release in the namespace's record ({@code SpentTokensWorkflow}). */
@ActivityInterface
public interface SpentTokenActivities {
  /**
   * A claim is one update; a few quick retries, then the decision is refused as "try again" rather than held: a
   * person waits for the answer.
   */
  ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(10))
      .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(500))
          .setMaximumInterval(Duration.ofSeconds(5)).setMaximumAttempts(4).build())
      .build();

  SpentTokens.Answer claim(SpentTokens.Claim claim);
}

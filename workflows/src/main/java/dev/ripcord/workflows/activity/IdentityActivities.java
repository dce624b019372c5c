package dev.ripcord.workflows.activity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Reads the trusted issuer's public keys (its JWKS) for verified identity. Run as an activity so the keys enter the
 * release's history: verifying a token on replay uses exactly the keys it was verified with.
 */
@ActivityInterface
public interface IdentityActivities {
  String KEYS = "IdentityKeys";
  /** Refused outright: the URL answers but not with a key set (4xx, not JWKS); retrying will not help. */
  String NOT_A_KEY_SET = "NotAKeySet";

  /** Short retries: a person waits on the answer; without keys, decisions are refused and the next one tries again. */
  ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(10))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(500))
          .setMaximumInterval(Duration.ofSeconds(2))
          .setMaximumAttempts(3)
          .setDoNotRetry(NOT_A_KEY_SET)
          .build())
      .build();

  /** The public keys published at {@code jwksUrl}, as a JWKS JSON document (private parts, if any, dropped). */
  @ActivityMethod(name = KEYS)
  String keys(String jwksUrl);
}

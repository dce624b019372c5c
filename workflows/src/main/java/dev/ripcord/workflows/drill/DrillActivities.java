package dev.ripcord.workflows.drill;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Runs a drill in the worker: the release workflow on an in-process, time-skipping server. */
@ActivityInterface
public interface DrillActivities {
  String RUN = "RunDrill";
  /** A policy or scenario that cannot be read: retrying will not help. */
  String INVALID = "InvalidDrill";

  ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(10))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(5))
          .setMaximumAttempts(3)
          .setDoNotRetry(INVALID)
          .build())
      .build();

  @ActivityMethod(name = RUN)
  DrillOutcome run(DrillRequest request);
}

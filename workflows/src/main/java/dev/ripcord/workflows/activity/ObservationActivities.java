package dev.ripcord.workflows.activity;

import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.policy.ObservationSpec;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.List;

/** Reads one evaluation window of observations from a signal source. */
@ActivityInterface
public interface ObservationActivities {
  String READ = "ReadObservation";

  /** A few quick retries; a window that still cannot be read is recorded as inconclusive, never as healthy. */
  ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(15))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(500))
          .setMaximumInterval(Duration.ofSeconds(2))
          .setMaximumAttempts(3)
          .build())
      .build();

  /**
   * The same reads as local activities (releases from version marker {@code local-observation-reads} on): run in the
   * workflow task that asked for them, so a window costs the server one workflow task instead of two tasks and an
   * activity dispatch. Same budget: three attempts within 15 s each.
   */
  LocalActivityOptions LOCAL_OPTIONS = LocalActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(15))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(500))
          .setMaximumInterval(Duration.ofSeconds(2))
          .setMaximumAttempts(3)
          .build())
      .build();

  @ActivityMethod(name = READ)
  Observation read(ObservationRequest request);

  /**
   * One window: {@code from} to {@code to} (ISO-8601), the stage and candidate weight in force, and the versions
   * being compared (absent in requests recorded before they were added).
   */
  record ObservationRequest(
      String releaseId, ObservationSpec spec, List<String> signals, String stage, int weight, int window,
      String from, String to, String model, String candidate, String baseline) {

    public ObservationRequest(String releaseId, ObservationSpec spec, List<String> signals, String stage, int weight,
        int window, String from, String to) {
      this(releaseId, spec, signals, stage, weight, window, from, to, null, null, null);
    }
  }
}

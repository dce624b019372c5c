package dev.ripcord.workflows.activity;

import dev.ripcord.workflows.policy.NotificationSpec;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.Map;

/** Tells people: a Slack-compatible webhook with the policy's message templates. */
@ActivityInterface
public interface NotifierActivities {
  String NOTIFY = "Notify";

  /** Short retries: a lost notification is audited, it never holds up a rollback. */
  ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(10))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setMaximumInterval(Duration.ofSeconds(5))
          .setMaximumAttempts(3)
          .build())
      .build();

  @ActivityMethod(name = NOTIFY)
  NotificationReceipt notify(Notification notification);

  /**
   * @param event one of {@link NotificationSpec#EVENTS}
   * @param fallback the text used when the policy has no template for the event
   * @param facts values for the template's {@code {placeholders}}
   */
  record Notification(
      String releaseId, NotificationSpec spec, String event, String fallback, Map<String, String> facts,
      String idempotencyKey) {}

  /** @param delivered false when no webhook is configured (logged only) */
  record NotificationReceipt(boolean delivered, String target, String text) {}
}

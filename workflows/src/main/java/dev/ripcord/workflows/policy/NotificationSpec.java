package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Where notifications go and what they say.
 *
 * @param webhook a Slack-compatible incoming webhook (POST {@code {"text": ...}}); absent means log only
 * @param templates event name to message template; {@code {model}}, {@code {candidate}}, {@code {state}},
 *     {@code {reason}}, {@code {releaseId}} and the other facts are substituted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationSpec(String webhook, String channel, Map<String, String> templates) {

  public static final java.util.List<String> EVENTS =
      java.util.List.of("triggered", "approval-needed", "rolled-back", "completed", "paused", "escalation",
          "rerelease", "playbook", "drill-failed",
          "investigation", "frozen");
}

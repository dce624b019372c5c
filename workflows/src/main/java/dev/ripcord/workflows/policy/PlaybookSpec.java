package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The incident playbook the release runs when a criterion, an alert or a person first triggers a rollback, a
 * rollback approval or an investigation. Steps start together unless {@code after} names steps they wait for.
 *
 * @param temporalUi the Temporal Web UI's base URL, for the {@code {link}} to the release in message templates
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlaybookSpec(String temporalUi, List<Step> steps) {
  public static final List<String> AUTOMATIC = List.of("notify", "snapshot-evidence", "data-rule", "verify-recovery");
  public static final List<String> HUMAN = List.of("acknowledge", "legal-review", "regulator-report");

  /**
   * One step.
   *
   * @param kind automatic: notify, snapshot-evidence, data-rule, verify-recovery; human: acknowledge, legal-review,
   *     regulator-report (open until an owner sends the {@code acknowledge} signal)
   * @param after steps that must be done first
   * @param owners roles who carry out (and, for human steps, close) the step
   * @param deadline for human steps: how long after the step opens it is due (then escalated)
   * @param remind for human steps: how often the owners are reminded while it is open
   * @param escalate roles told when a human step passes its deadline (they may close it too)
   * @param template the message of a notify step, and of a human step's reminders ({@code {placeholders}} as in
   *     notifications, plus {@code {link}}, {@code {step}} and {@code {due}})
   * @param url the evidence store (snapshot-evidence) or the data service (data-rule)
   * @param rule for data-rule: {@code retain} (legal hold) or {@code purge}
   * @param within for verify-recovery: how long to wait after the rollback for a window with the baseline within limits
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Step(String name, String kind, List<String> after, List<String> owners, String deadline,
      String remind, List<String> escalate, String template, String url, String rule, String within) {

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isHuman() {
      return kind != null && HUMAN.contains(kind);
    }
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public Step step(String name) {
    return steps == null ? null : steps.stream().filter(s -> s != null && name.equals(s.name())).findFirst()
        .orElse(null);
  }
}

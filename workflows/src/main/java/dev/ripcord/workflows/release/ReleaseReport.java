package dev.ripcord.workflows.release;

import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.playbook.PlaybookStep;
import java.util.List;

/**
 * The result of a finished release: final state, the policy hash, every router change (from → to, key) and the whole
 * audit log, so the history's last event alone tells the story; and where the incident playbook ended (absent in
 * results from before playbooks were reported); why the rollback was break-glass, when it was.
 */
public record ReleaseReport(
    String releaseId,
    ReleaseState state,
    String policyHash,
    String triggeredAt,
    String mitigatedAt,
    Long timeToMitigateMillis,
    int windows,
    List<WeightChange> actions,
    List<AuditEntry> audit,
    List<PlaybookStep> playbook,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    String breakGlass) {

  public ReleaseReport(String releaseId, ReleaseState state, String policyHash, String triggeredAt, String mitigatedAt,
      Long timeToMitigateMillis, int windows, List<WeightChange> actions, List<AuditEntry> audit,
      List<PlaybookStep> playbook) {
    this(releaseId, state, policyHash, triggeredAt, mitigatedAt, timeToMitigateMillis, windows, actions, audit,
        playbook, null);
  }

  public ReleaseReport(String releaseId, ReleaseState state, String policyHash, String triggeredAt, String mitigatedAt,
      Long timeToMitigateMillis, int windows, List<WeightChange> actions, List<AuditEntry> audit) {
    this(releaseId, state, policyHash, triggeredAt, mitigatedAt, timeToMitigateMillis, windows, actions, audit, null);
  }
}

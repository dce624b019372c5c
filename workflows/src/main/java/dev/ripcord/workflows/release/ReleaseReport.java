package dev.ripcord.workflows.release;

import dev.ripcord.workflows.playbook.PlaybookStep;
import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import java.util.List;

/**
 * The result of a finished release: final state, the policy hash, every router change (from → to, key) and the whole
 * audit log, so the history's last event alone tells the story; and where the incident playbook ended (absent in
 * results from before playbooks were reported).
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
    List<PlaybookStep> playbook) {

  public ReleaseReport(String releaseId, ReleaseState state, String policyHash, String triggeredAt, String mitigatedAt,
      Long timeToMitigateMillis, int windows, List<WeightChange> actions, List<AuditEntry> audit) {
    this(releaseId, state, policyHash, triggeredAt, mitigatedAt, timeToMitigateMillis, windows, actions, audit, null);
  }
}

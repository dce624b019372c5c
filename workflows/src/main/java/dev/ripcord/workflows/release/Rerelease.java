package dev.ripcord.workflows.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.policy.BundlePart;
import java.util.List;
import java.util.Map;

/**
 * What a rolled-back run hands to the run that rolls the fixed candidate out again (through continue-as-new, same
 * release id).
 *
 * @param attempt 1 for the first re-release of this release id
 * @param previousRunId the run that was rolled back, for the link in the audit log
 * @param actionSeq the last idempotency sequence number used, so keys never repeat within the release id
 * @param audit the release's audit log so far (the new run appends to it)
 * @param actions every router change so far
 * @param revisedRules whether the re-release came with a revised policy whose rules differ (not just the candidate)
 * @param previousBundle the rolled-back run's bundle, so the new run names the parts that changed (null without one)
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rerelease(int attempt, String previousRunId, String previousCandidate, String previousPolicyHash,
    String by, String role, String evalReport, String comment, String requestedAt, int actionSeq,
    List<AuditEntry> audit, List<WeightChange> actions, boolean revisedRules, Map<String, BundlePart> previousBundle) {

  public Rerelease(int attempt, String previousRunId, String previousCandidate, String previousPolicyHash,
      String by, String role, String evalReport, String comment, String requestedAt, int actionSeq,
      List<AuditEntry> audit, List<WeightChange> actions, boolean revisedRules) {
    this(attempt, previousRunId, previousCandidate, previousPolicyHash, by, role, evalReport, comment, requestedAt,
        actionSeq, audit, actions, revisedRules, null);
  }
}

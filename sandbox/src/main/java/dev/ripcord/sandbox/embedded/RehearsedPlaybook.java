package dev.ripcord.sandbox.embedded;

import dev.ripcord.workflows.activity.PlaybookActivities;

/**
 * The playbook's outside calls in the demo and in drills: rehearsed, not made. A drill must not write to the real
 * evidence store or purge real outputs; the receipt says what would have been sent where.
 */
final class RehearsedPlaybook implements PlaybookActivities {
  @Override
  public Receipt snapshotEvidence(EvidenceSnapshot s) {
    return new Receipt("rehearsed: evidence of " + s.releaseId() + " would go to " + s.url() + " (key "
        + s.idempotencyKey() + ")");
  }

  @Override
  public Receipt applyDataRule(DataRule r) {
    return new Receipt("rehearsed: " + r.rule() + " of " + r.version() + "'s outputs from " + r.from() + " to "
        + r.to() + " would be asked of " + r.url() + " (key " + r.idempotencyKey() + ")");
  }
}

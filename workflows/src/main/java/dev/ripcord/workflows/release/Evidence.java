package dev.ripcord.workflows.release;

import dev.ripcord.workflows.activity.EvidenceActivities;
import dev.ripcord.workflows.activity.EvidenceActivities.EvidenceRef;
import dev.ripcord.workflows.activity.EvidenceActivities.EvidenceRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.Map;

/**
 * Evidence that outlives the history ({@code evidence.store}): the worker writes the bundle, only its URI and digest
 * come back into the history and the audit. A store that is down is escalated; it never holds the release up.
 */
final class Evidence {
  private final EvidenceActivities store =
      Workflow.newActivityStub(EvidenceActivities.class, EvidenceActivities.OPTIONS);
  private final Release r;
  private final StateLog log;
  private final Notifications notify;

  Evidence(Release r, StateLog log, Notifications notify) {
    this.r = r;
    this.log = log;
    this.notify = notify;
  }

  /** Writes a bundle now, if the policy names a store; {@code reason} is {@code trigger} or {@code end}. */
  void write(String reason) {
    if (r.policy.evidence() == null || !Versions.has(Versions.EVIDENCE)) {
      return;
    }
    try {
      EvidenceRef ref = store.write(new EvidenceRequest(r.releaseId, Workflow.getInfo().getRunId(), reason,
          r.policy.evidence().store()));
      log.audit("EVIDENCE", null, null, "evidence bundle (" + reason + ") written: " + ref.uri() + " " + ref.digest()
          + " (" + ref.files() + " files, " + ref.bytes() + " bytes); check it with: ripcord evidence verify "
          + ref.uri());
    } catch (ActivityFailure f) {
      String why = Failures.rootMessage(f);
      log.audit("EVIDENCE", null, null, "evidence bundle (" + reason + ") could not be written to "
          + r.policy.evidence().store() + ": " + why + "; the history still holds it until the namespace's retention");
      notify.send("escalation", "ESCALATION " + r.releaseId + ": evidence bundle (" + reason + ") not written: " + why,
          Map.of("reason", why));
    }
  }
}

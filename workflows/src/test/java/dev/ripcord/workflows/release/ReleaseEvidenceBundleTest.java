package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.activity.EvidenceActivities.EvidenceRequest;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code evidence.store}: a bundle at the trigger and at the end, only its reference in the history and audit. */
class ReleaseEvidenceBundleTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  @Test
  void aRolledBackReleaseWritesEvidenceAtTheTriggerAndAtTheEnd() {
    h.observations.badFromStage("canary");
    ReleaseReport r = h.result(h.start(PolicyBuilder.chat().evidence("file:///var/lib/ripcord/evidence").build()));
    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    List<EvidenceRequest> asked = h.evidence.requests();
    assertEquals(List.of("trigger", "end"), asked.stream().map(EvidenceRequest::reason).toList());
    assertTrue(asked.stream().allMatch(q -> q.store().equals("file:///var/lib/ripcord/evidence")
        && q.releaseId().equals(r.releaseId())), asked.toString());
    List<String> lines = messages(r.audit(), "EVIDENCE");
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("evidence bundle (trigger) written: memory://evidence/release-chat-v2/trigger"
        + " sha256:"), lines.toString());
  }

  @Test
  void withoutAStoreNothingIsWrittenAndAStoreThatFailsIsEscalatedNotFatal() {
    h.result(h.start(PolicyBuilder.chat().build()));
    assertEquals(List.of(), h.evidence.requests());

    ReleaseHarness other = new ReleaseHarness();
    try {
      other.evidence.delegate = q -> {
        throw ApplicationFailure.newNonRetryableFailure("disk full", "EvidenceStoreRejected");
      };
      ReleaseReport r = other.result(other.start(PolicyBuilder.chat().model("summary")
          .evidence("file:///full").build()));
      assertEquals(ReleaseState.COMPLETED, r.state(), "the release itself is not held up");
      assertTrue(messages(r.audit(), "EVIDENCE").get(0).startsWith("evidence bundle (end) could not be written to"
          + " file:///full: disk full"), r.audit().toString());
      assertTrue(other.notifier.events().contains("escalation"), other.notifier.events().toString());
    } finally {
      other.close();
    }
  }
}

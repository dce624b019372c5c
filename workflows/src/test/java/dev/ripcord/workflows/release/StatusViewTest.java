package dev.ripcord.workflows.release;

import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.approval.Gates;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.policy.PlaybookSpec;
import dev.ripcord.workflows.release.state.RollbackRequest;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The status line, status and report, formatted without Temporal. */
class StatusViewTest {
  private static final long T0 = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();

  private static Release release(PolicyBuilder b) {
    Release r = new Release();
    r.policy = b.build();
    r.policyHash = "sha256:abc";
    r.releaseId = "chat-v2";
    return r;
  }

  @Test
  void aWatchingReleaseShowsItsStageBakeAndSamplesToTheSecond() {
    Release r = release(PolicyBuilder.chat().stage("canary", 10, "10m"));
    r.progress.state = ReleaseState.ROLLING_OUT;
    r.progress.weight = 10;
    r.progress.bake.enterStage(T0);
    r.progress.bake.startWatching(T0);
    r.progress.bake.tick(T0 + 61_999, false);
    assertEquals("ROLLING_OUT · chat v2 · stage canary (1/1) · candidate 10 % · baked 1m1s/10m", StatusView.line(r));
  }

  @Test
  void aQuorumShowsHowManyApprovedAndWhichRoleIsMissing() {
    DecisionRight right = new DecisionRight(List.of("safety-lead", "on-call"), "30m", "rollback", 2, null,
        List.of("safety-lead"));
    Release r = release(PolicyBuilder.chat().right("rollback", right));
    r.progress.state = ReleaseState.AWAITING_ROLLBACK_APPROVAL;
    r.progress.waitingFor = Gates.ask("rollback", right, T0, "why", List.of("c")).withApproval("carol@example.com",
        "on-call");
    String line = StatusView.line(r);
    assertEquals(" · waiting for 'rollback' from [safety-lead, on-call] until 2026-12-01T10:30:00Z (1 of 2 approvals;"
        + " needs safety-lead)", line.substring(line.indexOf(" · waiting")));
  }

  @Test
  void aRolledBackReleaseShowsWhyAndItsOpenPlaybookSteps() {
    Release r = release(PolicyBuilder.chat());
    r.progress.state = ReleaseState.ROLLED_BACK;
    r.progress.stageIndex = 2; // one past the last stage: the line shows the last
    r.progress.rollback = new RollbackRequest("ripcord", "automatic rollback: hallucination-limit", null);
    r.playbook.start(new PlaybookSpec(null, List.of(new PlaybookSpec.Step("ack", "acknowledge", null,
        List.of("on-call"), "30m", null, null, null, null, null, null))));
    assertEquals("ROLLED_BACK · chat v2 · stage full (2/2) · candidate 0 % · automatic rollback:"
        + " hallucination-limit · playbook: ack waiting", StatusView.line(r));
  }

  @Test
  void theReportMeasuresTimeToMitigateFromTheTrigger() {
    Release r = release(PolicyBuilder.chat());
    r.progress.state = ReleaseState.ROLLED_BACK;
    r.progress.stageIndex = 1;
    r.progress.moments.triggered(T0);
    r.progress.moments.mitigated(T0 + 4_000);
    r.progress.actions.add(new WeightChange(10, 0, "chat-v2/1", true, "rollback step 1/1"));
    ReleaseReport report = StatusView.report(r);
    assertEquals(4_000L, report.timeToMitigateMillis());
    assertEquals("2026-12-01T10:00:00Z", report.triggeredAt());
    assertEquals(1, report.actions().size());
    assertNull(report.playbook());
    assertEquals("full", StatusView.status(r).stage());
  }
}

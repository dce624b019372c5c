package dev.ripcord.worker.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.approval.OpenDecision;
import dev.ripcord.workflows.decision.Verdict;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What judge mode answers Flagger and Argo Rollouts for each state of a release, without Temporal or Spring. */
class JudgeModeTest {
  private static ReleaseStatus status(ReleaseState state, Verdict last, OpenDecision waiting, String pausedBy) {
    return new ReleaseStatus("release-chat-v2", "chat", "v2", "v1", state, "canary", 0, 2, 10, "10m", "1m", 100, 0, 3,
        last, null, waiting, pausedBy, null, null, "sha256:x", "line", null, null, null, null);
  }

  private static boolean flagger(String hook, ReleaseStatus s) {
    return JudgeMode.flaggerMayProceed(hook, JudgeMode.judge(s));
  }

  @Test
  void aHealthyReleaseLetsTheControllerStartAndStepUpButNotPromote() {
    ReleaseStatus s = status(ReleaseState.ROLLING_OUT, Verdict.CONTINUE, null, null);
    assertTrue(flagger("confirm-rollout", s));
    assertTrue(flagger("confirm-traffic-increase", s));
    assertFalse(flagger("confirm-promotion", s));
    assertFalse(flagger("rollback", s));
    JudgeMode.Judgement j = JudgeMode.judge(s);
    assertTrue(j.healthy() && !j.rollback());
    assertEquals("healthy", j.reason());
  }

  @Test
  void aPendingDecisionOrAPauseHoldsTheControllerWhereItIs() {
    OpenDecision promote = new OpenDecision("promote", List.of("product-owner"), "2026-12-01T10:00:00Z", null, "hold",
        "baked", List.of(), List.of(), 1, 0);
    ReleaseStatus waiting = status(ReleaseState.AWAITING_PROMOTION, Verdict.CONTINUE, promote, null);
    assertFalse(flagger("confirm-traffic-increase", waiting));
    assertFalse(flagger("rollback", waiting));
    assertEquals("waiting for 'promote' from [product-owner]", JudgeMode.judge(waiting).reason());
    assertFalse(flagger("confirm-traffic-increase", status(ReleaseState.PAUSED, Verdict.CONTINUE, null, "carol")));
    assertFalse(flagger("confirm-traffic-increase", status(ReleaseState.ROLLING_OUT, Verdict.ROLLBACK_AFTER_APPROVAL,
        null, null)), "a breach asks people before anything moves");
  }

  @Test
  void aRollbackIsAnsweredAsOneAndACompletedReleaseIsPromoted() {
    for (ReleaseState s : List.of(ReleaseState.ROLLING_BACK, ReleaseState.VERIFYING, ReleaseState.ROLLED_BACK,
        ReleaseState.HALTED)) {
      assertTrue(flagger("rollback", status(s, Verdict.ROLLBACK, null, null)), s.name());
      assertFalse(flagger("confirm-traffic-increase", status(s, Verdict.ROLLBACK, null, null)), s.name());
      assertTrue(JudgeMode.judge(status(s, Verdict.ROLLBACK, null, null)).rollback());
    }
    ReleaseStatus done = status(ReleaseState.COMPLETED, Verdict.CONTINUE, null, null);
    assertTrue(flagger("confirm-promotion", done));
    assertFalse(flagger("confirm-rollout", done));
    assertTrue(JudgeMode.judge(done).healthy());
    assertThrows(IllegalArgumentException.class, () -> flagger("pre-rollout", done));
  }
}

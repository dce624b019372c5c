package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.policy.GovernanceSpec.Unsafe;
import dev.ripcord.workflows.policy.RollbackSpec;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Break-glass rollbacks (a criterion's {@code breakGlass: true}, a person's {@code now: true}): the candidate goes to
 * 0 % in one router step, the staged holds skipped, and the release says so; and fail-safe defaults a policy leaves
 * on purpose are shown with their reason.
 */
class ReleaseBreakGlassTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  /** Canary at 25 %, a staged rollback 25 → 10 (held 2 minutes) → 0. */
  private static PolicyBuilder staged() {
    return PolicyBuilder.chat().stage("canary", 25, "10m").stage("full", 100, "10m")
        .rollbackSteps(new RollbackSpec.Step(10, "2m"), new RollbackSpec.Step(0, null));
  }

  @Test
  void aBreakGlassCriterionSendsTheCandidateToZeroInOneStep() {
    h.observations.badFromStage("canary");
    ReleaseReport r = h.result(h.start(staged().hallucinationBreakGlass(8, 2, 3).build()));

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(25, 0), h.router.effectiveWeights(), "no 10 % step, no hold");
    assertEquals("break-glass criteria [hallucination-limit] fired", r.breakGlass());
    assertTrue(messages(r.audit(), "BREAK_GLASS").get(0).startsWith("break-glass criteria [hallucination-limit]"
        + " fired at 25 %"), messages(r.audit(), "BREAK_GLASS").toString());
    assertTrue(messages(r.audit(), "ACTION").contains("break-glass rollback: candidate straight to 0 %, staged holds"
        + " skipped: candidate 25 → 0 % (key " + r.actions().get(1).idempotencyKey() + ")"),
        messages(r.audit(), "ACTION").toString());
  }

  @Test
  void theSameCriterionWithoutBreakGlassRollsBackInStages() {
    h.observations.badFromStage("canary");
    ReleaseReport r = h.result(h.start(staged().hallucinationLimit(8, "rollback", 2, 3).build()));

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(25, 10, 0), h.router.effectiveWeights());
    assertNull(r.breakGlass());
  }

  @Test
  void aPersonWithTheRollbackRightBreaksTheGlassWithNowTrue() {
    ReleaseWorkflow wf = h.start(staged().build());
    h.awaitState(wf, ReleaseState.ROLLING_OUT);
    wf.rollback(json(Map.of("by", "carol@example.com", "now", true, "comment", "hallucinating 7x")));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(25, 0), h.router.effectiveWeights());
    assertEquals("break-glass rollback by carol@example.com — \"hallucinating 7x\"", r.breakGlass());
    assertTrue(r.audit().stream().anyMatch(e -> e.kind().equals("BREAK_GLASS") && "carol@example.com".equals(e.actor())
        && "on-call".equals(e.role())), r.audit().toString());
  }

  @Test
  void theDecideUpdateBreaksTheGlassAndAnswersAtOnce() {
    ReleaseWorkflow wf = h.start(staged().build());
    h.awaitState(wf, ReleaseState.ROLLING_OUT);
    DecisionAnswer a = wf.decide(new HumanDecision("rollback", "carol@example.com", null, "ripcord rollback --now",
        null, true));
    assertTrue(a.accepted(), String.valueOf(a.reason()));
    ReleaseReport r = h.result(wf);
    assertEquals(List.of(25, 0), h.router.effectiveWeights());
    assertTrue(r.breakGlass().startsWith("break-glass rollback by carol@example.com"), r.breakGlass());
  }

  @Test
  void aMalformedNowIsRefusedAndAuditedWithoutFailingTheRelease() {
    ReleaseWorkflow wf = h.start(staged().build());
    h.awaitState(wf, ReleaseState.ROLLING_OUT);
    wf.rollback(json(Map.of("by", "carol@example.com", "now", "yes")));
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(ReleaseState.ROLLING_OUT, wf.status().state());
    assertNull(wf.status().breakGlass());
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.COMPLETED, r.state());
    assertTrue(messages(r.audit(), "REFUSED").stream().anyMatch(m -> m.contains("'now' must be true or false")),
        messages(r.audit(), "REFUSED").toString());
  }

  @Test
  void someoneWithoutTheRollbackRightCannotBreakTheGlass() {
    ReleaseWorkflow wf = h.start(staged().build());
    h.awaitState(wf, ReleaseState.ROLLING_OUT);
    wf.rollback(json(Map.of("by", "bob@example.com", "now", true)));
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.COMPLETED, r.state(), "bob is product owner only");
    assertTrue(messages(r.audit(), "REFUSED").stream().anyMatch(m -> m.startsWith("rollback refused")),
        messages(r.audit(), "REFUSED").toString());
  }

  @Test
  void aFailSafeDefaultLeftOnPurposeIsShownWithItsReason() {
    ReleaseWorkflow wf = h.start(staged().right("rollback", new DecisionRight(List.of("on-call"), "30m", "continue",
        null, null, null, new Unsafe("rolling back reindexes the catalogue; on-call decides"))).build());
    h.awaitState(wf, ReleaseState.ROLLING_OUT);
    assertEquals(List.of("rollback approval defaults to 'continue' at its deadline (unsafe: rolling back reindexes"
        + " the catalogue; on-call decides)"), wf.status().failSafeWaivers());
    ReleaseReport r = h.result(wf);
    assertTrue(messages(r.audit(), "STATE").contains("fail-safe default left on purpose: rollback approval defaults"
        + " to 'continue' at its deadline (unsafe: rolling back reindexes the catalogue; on-call decides)"),
        messages(r.audit(), "STATE").toString());
  }

  @Test
  void aPolicyThatLeavesTheFailSafeWithoutSayingWhyIsRefusedBeforeAnythingMoves() {
    ReleaseWorkflow wf = h.start(staged().right("rollback", new DecisionRight(List.of("on-call"), null, null))
        .build());
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> h.result(wf));
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals("InvalidPolicy", f.getType());
    assertTrue(f.getOriginalMessage().contains("$.governance.decisions.rollback.deadline: is required"),
        f.getOriginalMessage());
    assertEquals(List.of(), h.router.calls());
  }
}

package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.activity.RouterActivities.WeightCommand;
import dev.ripcord.workflows.activity.NotifierActivities.Notification;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Traffic changes against a failing or forgetful router: retries, escalation, idempotency. */
class ReleaseTrafficTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  @Test
  void routerFailingThenRecoveringEscalatesAndAppliesEachStepExactlyOnce() {
    h.router.failNext(9); // one full round of 7 attempts fails, then 2 more failures, then it recovers
    ReleaseReport r = h.result(h.start(PolicyBuilder.chat().build()));

    assertEquals(ReleaseState.COMPLETED, r.state());
    assertEquals(List.of(10, 100), h.router.effectiveWeights(), "exactly one effective change per step");
    assertTrue(h.notifier.events().contains("escalation"));
    List<String> failed = messages(r.audit(), "ACTION_FAILED");
    assertEquals(1, failed.size(), failed.toString());
    assertTrue(failed.get(0).contains("candidate still at 0 %"), failed.get(0));
    String key = r.actions().get(0).idempotencyKey();
    assertTrue(h.router.calls().stream().filter(c -> c.idempotencyKey().equals(key)).count() >= 9,
        "every retry of the step carried the same key");
  }

  @Test
  void aRetriedRouterCallWhoseAnswerWasLostChangesNothingTwice() {
    h.router.loseAnswerOfNext(1);
    ReleaseReport r = h.result(h.start(PolicyBuilder.chat().build()));

    assertEquals(ReleaseState.COMPLETED, r.state());
    assertEquals(List.of(10, 100), h.router.effectiveWeights());
    assertFalse(r.actions().get(0).applied(), "the retry found the key already applied");
    assertTrue(messages(r.audit(), "ACTION").get(0).contains("already applied by the router"));
  }

  @Test
  void aRouterThatRefusesAStageHaltsTheReleaseAtTheWeightItConfirmed() {
    h.router.reject(100);
    ReleaseReport r = h.result(h.start(PolicyBuilder.chat().build()));

    assertEquals(ReleaseState.HALTED, r.state());
    assertEquals(10, h.router.weight(), "the candidate stays where the router put it");
    assertEquals(1, h.router.calls().stream().filter(c -> c.to() == 100).count(), "a refusal is not retried");
    String halted = messages(r.audit(), "STATE").get(messages(r.audit(), "STATE").size() - 1);
    assertTrue(halted.contains("→ HALTED: stage full: router refused 10 → 100 %") && halted.contains("candidate at 10 %"),
        halted);
    assertTrue(h.notifier.events().contains("escalation"), h.notifier.events().toString());
  }

  @Test
  void aRouterThatRefusesARollbackStepHaltsSayingWhereTrafficIs() {
    h.observations.badFromStage("canary");
    h.router.reject(10);
    ReleaseReport r = h.result(h.start(PolicyBuilder.chat().stage("canary", 25, "10m").stage("full", 100, "10m")
        .build()));

    assertEquals(ReleaseState.HALTED, r.state());
    assertEquals(25, h.router.weight());
    assertTrue(messages(r.audit(), "ACTION_FAILED").stream().anyMatch(m -> m.startsWith("rollback step 1/2: router"
        + " refused 25 → 10 %") && m.contains("retrying cannot help")), messages(r.audit(), "ACTION_FAILED").toString());
    assertEquals(List.of(25), r.actions().stream().map(a -> a.to()).toList(), "no step was applied");
  }

  @Test
  void inJudgeModeTheReleaseMovesNoTrafficItselfAndSaysSo() {
    h.observations.badFromStage("canary");
    ReleaseReport r = h.result(h.start(PolicyBuilder.chat()
        .router(new RouterSpec("external", null, "podinfo")).build()));

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(), h.router.calls(), "another controller moves traffic");
    assertTrue(messages(r.audit(), "ACTION").stream().anyMatch(m -> m.equals("stage canary: candidate 0 → 10 %"
        + " expected of the external controller (podinfo), which moves traffic; Ripcord answers its webhooks and"
        + " metric queries")), messages(r.audit(), "ACTION").toString());
    String last = messages(r.audit(), "STATE").get(messages(r.audit(), "STATE").size() - 1);
    assertTrue(last.contains("→ ROLLED_BACK: the external controller is told to roll back"), last);
  }

  private static PolicyBuilder mirrored() {
    return PolicyBuilder.chat().router(new RouterSpec("gateway-api", null, "models/chat", true))
        .stage("shadow", 0, "10m").stage("canary", 10, "10m").stage("full", 100, "10m");
  }

  @Test
  void aShadowStageTurnsMirroringOnAndTheNextStageTurnsItOffInTheSameCall() {
    ReleaseReport r = h.result(h.start(mirrored().build()));

    assertEquals(ReleaseState.COMPLETED, r.state());
    List<WeightCommand> calls = h.router.calls();
    assertEquals(List.of("0→0 mirror true", "0→10 mirror false", "10→100 mirror null"),
        calls.stream().map(c -> c.from() + "→" + c.to() + " mirror " + c.mirror()).toList());
    assertTrue(messages(r.audit(), "ACTION").get(0).startsWith("stage shadow: candidate 0 → 0 %, every request"
        + " mirrored to it (key "), messages(r.audit(), "ACTION").get(0));
    assertTrue(messages(r.audit(), "ACTION").get(1).startsWith("stage canary: candidate 0 → 10 %, no longer"
        + " mirrored (key "), messages(r.audit(), "ACTION").get(1));
  }

  @Test
  void aRollbackFromTheShadowStageStopsTheMirror() {
    h.observations.badFromStage("shadow");
    ReleaseReport r = h.result(h.start(mirrored().build()));

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of("0→0 mirror true", "0→0 mirror false"),
        h.router.calls().stream().map(c -> c.from() + "→" + c.to() + " mirror " + c.mirror()).toList());
    assertTrue(messages(r.audit(), "ACTION").stream().anyMatch(m -> m.startsWith("rollback: stop mirroring requests"
        + " to the candidate: candidate 0 → 0 %, no longer mirrored")), messages(r.audit(), "ACTION").toString());
  }

  @Test
  void aCandidateThatFailsInItsShadowStageIsSaidToBeRejectedBeforeExposureNotRolledBack() {
    h.observations.badFromStage("shadow");
    ReleaseReport r = h.result(h.start(mirrored().hallucinationBreakGlass(8.0, 1, 1).build()));

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(0, 0), h.router.effectiveWeights(), "mirroring on, then off: no user ever saw it");
    String text = String.join("\n", r.audit().stream().map(e -> e.message()).toList());
    assertTrue(text.contains("rejected before exposure: the candidate never served a user (shadow only)"), text);
    assertFalse(text.contains("goes to 0 % in one step"), "no break-glass 'to 0 %' for what was never exposed");
    assertFalse(text.contains("candidate at 0 %, "), "no 'rolled back: candidate at 0 %' either");
    Notification last = h.notifier.sent().get(h.notifier.sent().size() - 1);
    assertTrue(last.fallback().contains("rejected in its shadow stage before exposure"), last.fallback());
  }

  @Test
  void withoutRouterMirrorNoCommandSaysAnythingAboutMirroring() {
    ReleaseReport r = h.result(h.start(PolicyBuilder.chat().stage("shadow", 0, "10m").stage("full", 100, "10m")
        .build()));

    assertEquals(ReleaseState.COMPLETED, r.state());
    assertEquals(List.of(100), h.router.effectiveWeights(), "a first shadow stage at 0 % calls no router");
    assertTrue(h.router.calls().stream().allMatch(c -> c.mirror() == null), h.router.calls().toString());
  }
}

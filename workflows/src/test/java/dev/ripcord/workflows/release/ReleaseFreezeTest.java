package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static dev.ripcord.workflows.testing.ReleaseHarness.person;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code rollback.unsafeAfter}: past the point where reverting does harm, a trigger freezes the release at its weight
 * and pages people instead of rolling back; a person then decides.
 */
class ReleaseFreezeTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  private static PolicyBuilder migrating() {
    return PolicyBuilder.chat().stage("canary", 10, "10m").stage("half", 50, "10m").stage("full", 100, "10m")
        .unsafeAfter("half", "the 50 % stage migrates the retrieval index one way", "on-call");
  }

  @Test
  void aTriggerPastThePointOfNoReturnFreezesAndPagesThenAPersonRollsBackAnyway() {
    h.observations.badFromStage("half");
    ReleaseWorkflow wf = h.start(migrating().build());
    h.awaitState(wf, ReleaseState.FROZEN);
    h.env.sleep(Duration.ofHours(6));
    assertEquals(ReleaseState.FROZEN, wf.status().state(), "no deadline rolls a frozen release back");
    assertEquals(List.of(10, 50), h.router.effectiveWeights(), "the candidate stays at 50 %");
    assertTrue(h.notifier.events().contains("frozen"), h.notifier.events().toString());
    assertTrue(wf.status().waitingFor().reason().contains("rolling back is unsafe since stage 'half' (the 50 % stage"
        + " migrates the retrieval index one way)"), wf.status().waitingFor().reason());

    wf.approve(person("carol@example.com", null));
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(10, 50, 10, 0), h.router.effectiveWeights());
    assertTrue(messages(r.audit(), "STATE").stream().anyMatch(m -> m.contains("→ FROZEN: waiting for 'rollback' from"
        + " [on-call] (no deadline): FROZEN at 50 %")), messages(r.audit(), "STATE").toString());
  }

  @Test
  void beforeThatStageATriggerRollsBackAsAlways() {
    h.observations.badFromStage("canary");
    ReleaseReport r = h.result(h.start(migrating().build()));
    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(10, 0), h.router.effectiveWeights());
    assertTrue(r.audit().stream().noneMatch(e -> e.message().contains("FROZEN")), r.audit().toString());
  }

  @Test
  void rejectingTheRollbackOfAFrozenReleaseKeepsTheCandidateAndWatchesOn() {
    h.observations.badFromStage("half");
    ReleaseWorkflow wf = h.start(migrating().build());
    h.awaitState(wf, ReleaseState.FROZEN);
    h.observations.script(r -> dev.ripcord.workflows.testing.ScriptedObservations.window(r, 5, 400)); // fixed forward
    wf.reject(person("carol@example.com", null));
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.COMPLETED, r.state());
    assertEquals(List.of(10, 50, 100), h.router.effectiveWeights());
  }

  @Test
  void aFreezeClosesAnOpenPromotionApprovalAndSaysSo() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().stage("canary", 10, "10m").gatedStage("half", 50, "10m")
        .stage("full", 100, "10m").unsafeAfter("half", "the 50 % stage migrates the retrieval index one way",
            "on-call").build());
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    h.observations.script(r -> dev.ripcord.workflows.testing.ScriptedObservations.window(r, 40, 400));
    h.awaitState(wf, ReleaseState.FROZEN);
    assertEquals("rollback", wf.status().waitingFor().right(), "the promotion gate gave way to the freeze");
    assertTrue(messages(wf.audit(), "APPROVAL").contains("open 'promote' decision closed unanswered (0 of 1"
        + " approvals): the release froze, and people decide the rollback now"), wf.audit().toString());
    wf.approve(person("carol@example.com", null));
    assertEquals(ReleaseState.ROLLED_BACK, h.result(wf).state());
  }
}

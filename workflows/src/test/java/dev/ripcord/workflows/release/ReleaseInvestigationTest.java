package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import dev.ripcord.workflows.testing.ScriptedObservations;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pausing to investigate: reduced exposure, named investigators, quorum to resume, hold, rollback. */
class ReleaseInvestigationTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  @Test
  void resumingAfterAnInvestigationNeedsTheQuorumOfDifferentPeople() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "pause-and-investigate", 2, 3)
        .right("resume", new DecisionRight(List.of("safety-lead", "product-owner"), "4h", "rollback", 2, null)).build());
    h.awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
    h.observations.script(r -> ScriptedObservations.window(r, 5, 400));

    wf.investigate(json(Map.of("by", "alice@example.com", "outcome", "continue", "comment", "false alarm")));
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(ReleaseState.PAUSED_FOR_INVESTIGATION, wf.status().state(), "one of two is not enough");
    assertTrue(wf.status().line().contains("(1 of 2 approvals)"), wf.status().line());
    wf.investigate(json(Map.of("by", "alice@example.com", "outcome", "continue")));
    wf.investigate(json(Map.of("by", "bob@example.com", "outcome", "continue")));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    List<String> approvals = messages(r.audit(), "APPROVAL");
    assertTrue(approvals.contains("investigation outcome: continue (1 of 2 needed) — \"false alarm\""), approvals.toString());
    assertTrue(approvals.contains("investigation outcome: continue (quorum of 2 reached)"), approvals.toString());
    assertTrue(messages(r.audit(), "REFUSED").stream().anyMatch(m -> m.contains("has already approved")));
  }

  @Test
  void anInvestigationReducesExposureTellsTheNamedInvestigatorsAndRestoresTheStageWhenItContinues() {
    h.observations.badFromStage("canary");
    PolicyBuilder b = PolicyBuilder.chat().hallucinationLimit(8, "pause-and-investigate", 2, 3);
    ReleasePolicy base = b.build();
    var c = base.criteria().get(0);
    ReleasePolicy policy = new ReleasePolicy(base.apiVersion(), base.release(), base.router(), base.observations(),
        base.evaluation(), base.stages(), base.signals(), List.of(new dev.ripcord.workflows.policy.CriterionSpec(
            c.name(), c.description(), c.severity(), c.action(), c.when(), c.sustain(),
            new dev.ripcord.workflows.policy.CriterionSpec.Investigation(5, List.of("safety-lead", "on-call")))),
        base.governance(), base.rollback(), base.notifications());
    assertEquals(List.of(), dev.ripcord.workflows.policy.PolicyValidator.validate(policy));
    ReleaseWorkflow wf = h.start(policy);
    h.awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
    assertEquals(5, wf.status().weight(), "exposure reduced from the canary's 10 % while investigating");
    var told = h.notifier.sent().stream().filter(n -> n.event().equals("investigation")).toList();
    assertEquals(1, told.size(), h.notifier.events().toString());
    assertEquals("alice@example.com, carol@example.com", told.get(0).facts().get("investigators"));

    h.observations.script(r -> ScriptedObservations.window(r, 5, 400));
    wf.investigate(json(Map.of("by", "carol@example.com", "outcome", "continue")));
    // carol is on-call, not a holder of the resume right: investigators are told, the right decides.
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(ReleaseState.PAUSED_FOR_INVESTIGATION, wf.status().state());
    wf.investigate(json(Map.of("by", "alice@example.com", "outcome", "continue", "comment", "label noise")));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    assertEquals(List.of(10, 5, 10, 100), h.router.effectiveWeights());
    List<String> actions = messages(r.audit(), "ACTION");
    assertTrue(actions.stream().anyMatch(m -> m.startsWith("investigation of [hallucination-limit]: exposure reduced:"
        + " candidate 10 → 5 %")), actions.toString());
    assertTrue(actions.stream().anyMatch(m -> m.startsWith("investigation closed: candidate back to the stage's 10 %:"
        + " candidate 5 → 10 %")), actions.toString());
    assertTrue(messages(r.audit(), "STATE").stream().anyMatch(m -> m.equals("investigation of [hallucination-limit]"
        + " asked of [safety-lead, on-call] [alice@example.com, carol@example.com]; candidate reduced to 5 %")));
  }

  @Test
  void anInvestigationCanBeHeldThenEndInRollback() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "pause-and-investigate", 2, 3).build());
    h.awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
    String firstAsk = wf.status().waitingFor().requestedAt();
    WorkflowStub.fromTyped(wf).signal("investigate", json(Map.of("by", "alice@example.com", "outcome", "maybe")));
    h.env.sleep(Duration.ofMinutes(1));
    wf.investigate(json(Map.of("by", "alice@example.com", "outcome", "hold", "comment", "need legal")));
    h.env.sleep(Duration.ofMinutes(1));
    ReleaseStatus held = wf.status();
    assertEquals(ReleaseState.PAUSED_FOR_INVESTIGATION, held.state());
    assertTrue(held.waitingFor().requestedAt().compareTo(firstAsk) > 0, "a fresh request with a fresh deadline");
    wf.investigate(json(Map.of("by", "alice@example.com", "outcome", "rollback")));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    List<String> refused = messages(r.audit(), "REFUSED");
    assertTrue(refused.get(0).contains("'outcome' must be one of [continue, rollback, hold]"), refused.toString());
    assertTrue(messages(r.audit(), "STATE").stream().anyMatch(m -> m.contains("held by alice@example.com")));
    assertTrue(messages(r.audit(), "STATE").stream().anyMatch(m -> m.contains("ended in rollback (by alice@example.com)")));
  }
}

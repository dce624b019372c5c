package dev.ripcord.workflows.release;

import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import dev.ripcord.workflows.testing.ScriptedObservations;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static dev.ripcord.workflows.testing.ReleaseHarness.person;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** People's decisions: approvals and rejections, rights, quorums, deadlines, escalation, manual rollback, the update. */
class ReleaseApprovalsTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  @Test
  void rollsBackAfterSafetyLeadApproves() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "rollback-after-approval", 2, 3).build());
    h.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);
    assertEquals(List.of("safety-lead", "on-call"), wf.status().waitingFor().roles());

    wf.approve(json(Map.of("by", "alice@example.com", "role", "safety-lead", "comment", "confirmed in samples")));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(10, 0), h.router.effectiveWeights());
    AuditEntry approval = r.audit().stream().filter(e -> e.kind().equals("APPROVAL")).findFirst().orElseThrow();
    assertEquals("alice@example.com", approval.actor());
    assertEquals("safety-lead", approval.role());
    assertTrue(approval.message().contains("confirmed in samples"));
    assertTrue(h.notifier.events().contains("approval-needed"));
  }

  @Test
  void rejectedRollbackResetsTheEvidenceAndTheReleaseGoesOn() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "rollback-after-approval", 2, 3).build());
    h.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);
    h.observations.script(r -> ScriptedObservations.window(r, 5, 400)); // the spike was a measurement glitch
    wf.reject(person("carol@example.com", null));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    assertTrue(messages(r.audit(), "STATE").stream().anyMatch(m -> m.contains("rejected by carol@example.com")));
    assertEquals(List.of(10, 100), h.router.effectiveWeights());
  }

  @Test
  void unansweredRollbackApprovalFollowsThePolicyDefaultAtTheDeadline() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "rollback-after-approval", 2, 3)
        .right("rollback", List.of("safety-lead"), "15m", "rollback").build());
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertTrue(messages(r.audit(), "APPROVAL").stream().anyMatch(m -> m.contains("policy default: rollback")));
    assertEquals("deadline", r.audit().stream().filter(e -> e.kind().equals("APPROVAL")).findFirst().orElseThrow().actor());
  }

  @Test
  void refusesApprovalFromOutsideTheRoleAndRecordsWhy() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "rollback-after-approval", 2, 3).build());
    h.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);

    wf.approve(person("bob@example.com", null));
    wf.approve(person("mallory@example.com", "safety-lead"));
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(ReleaseState.AWAITING_ROLLBACK_APPROVAL, wf.status().state(), "refusals change nothing");
    wf.approve(person("alice@example.com", null));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    List<String> refused = messages(r.audit(), "REFUSED");
    assertTrue(refused.contains("approve refused: bob@example.com holds [product-owner], but 'rollback' needs one of "
        + "[safety-lead, on-call]"), refused.toString());
    assertTrue(refused.contains("approve refused: mallory@example.com holds no role in this release's policy"),
        refused.toString());
  }

  @Test
  void malformedSignalsAreRecordedAndRefusedWithoutFailingTheWorkflowTask() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    h.env.sleep(Duration.ofMinutes(2));
    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    stub.signal("approve", "yes please");
    stub.signal("pause", json(Map.of("by", 5)));
    stub.signal("rollback", json(Map.of("who", "alice@example.com")));
    stub.signal("approve", (Object) null);
    stub.signal("observe", json(Map.of("signals", Map.of())));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state(), "nothing malformed stops the release");
    List<String> refused = messages(r.audit(), "REFUSED");
    assertEquals(5, refused.size(), refused.toString());
    assertTrue(refused.get(0).contains("payload must be a JSON object"), refused.get(0));
    assertTrue(refused.get(1).contains("'by' must be a string"), refused.get(1));
    assertTrue(refused.get(2).contains("unknown field 'who'"), refused.get(2));
    assertTrue(refused.get(3).contains("no payload"), refused.get(3));
    assertTrue(refused.get(4).contains("reads observations from 'scripted'"), refused.get(4));
    boolean taskFailed = h.history(r.releaseId()).getEvents().stream()
        .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    assertFalse(taskFailed, "no workflow task failed");
  }

  @Test
  void manualRollbackFromOnCallWorksAtAnyTime() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    h.env.sleep(Duration.ofMinutes(3));
    wf.rollback(json(Map.of("by", "carol@example.com", "comment", "customer reports")));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(10, 0), h.router.effectiveWeights());
    assertTrue(messages(r.audit(), "STATE").stream().anyMatch(m -> m.contains("manual rollback by carol@example.com")));
  }

  @Test
  void updateAnswersAcceptedOrRefusedAndRejectsMalformedDecisions() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "rollback-after-approval", 2, 3).build());
    h.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);

    DecisionAnswer refused = wf.decide(new HumanDecision("approve", "bob@example.com", null, null));
    assertFalse(refused.accepted());
    assertTrue(refused.reason().contains("needs one of [safety-lead, on-call]"));
    assertThrows(WorkflowUpdateException.class, () -> wf.decide(new HumanDecision("approve", "", null, null)));
    DecisionAnswer ok = wf.decide(new HumanDecision("approve", "alice@example.com", "safety-lead", "go"));
    assertTrue(ok.accepted());
    assertEquals("safety-lead", ok.role());
    assertEquals(ReleaseState.ROLLED_BACK, h.result(wf).state());
  }

  @Test
  void aRejectedRollbackInAGatedStageStillWaitsForThePromotion() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().gatedStage("canary", 10, "10m").stage("full", 100, "10m")
        .hallucinationLimit(8, "rollback-after-approval", 2, 3).build());
    h.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);
    h.observations.script(r -> ScriptedObservations.window(r, 5, 400)); // the spike was a measurement glitch
    wf.reject(person("carol@example.com", null));
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION); // releases before v1 promoted here without the approval
    assertEquals(10, h.router.weight());
    wf.approve(person("bob@example.com", null));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    assertTrue(messages(r.audit(), "STATE").contains("promotion of stage 'canary' approved"),
        messages(r.audit(), "STATE").toString());
    assertEquals(List.of(10, 100), h.router.effectiveWeights());
  }

  @Test
  void aPerRoleQuorumNeedsEachNamedRoleNotJustEnoughPeople() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "pause-and-investigate", 2, 3)
        .role("safety-lead", "alice@example.com", "sam@example.com")
        .right("resume", new dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight(
            List.of("safety-lead", "product-owner"), "4h", "rollback", 2, null,
            List.of("safety-lead", "product-owner"))).build());
    h.awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
    h.observations.script(r -> ScriptedObservations.window(r, 5, 400));

    wf.investigate(json(Map.of("by", "alice@example.com", "outcome", "continue")));
    wf.investigate(json(Map.of("by", "sam@example.com", "outcome", "continue", "comment", "agree")));
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(ReleaseState.PAUSED_FOR_INVESTIGATION, wf.status().state(), "two safety leads are not a product owner");
    assertTrue(wf.status().line().contains("(2 of 2 approvals; needs product-owner)"), wf.status().line());
    wf.investigate(json(Map.of("by", "bob@example.com", "outcome", "continue")));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    List<String> approvals = messages(r.audit(), "APPROVAL");
    assertTrue(approvals.contains("investigation outcome: continue (1 of 2 needed; still needs product-owner)"),
        approvals.toString());
    assertTrue(approvals.contains("investigation outcome: continue (2 of 2 needed; still needs product-owner) — \"agree\""),
        approvals.toString());
    assertTrue(approvals.contains("investigation outcome: continue (quorum of 2 reached, safety-lead and product-owner"
        + " each approved)"), approvals.toString());
    AuditEntry last = r.audit().stream().filter(e -> e.kind().equals("APPROVAL") && "bob@example.com".equals(e.actor()))
        .findFirst().orElseThrow();
    assertEquals("product-owner", last.role());
  }

  @Test
  void aPersonHoldingTwoRolesApprovesInTheOneStillMissing() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "pause-and-investigate", 2, 3)
        .role("product-owner", "bob@example.com", "alice@example.com")
        .right("resume", new dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight(
            List.of("safety-lead", "product-owner"), "4h", "rollback", null, null,
            List.of("safety-lead", "product-owner"))).build());
    h.awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
    h.observations.script(r -> ScriptedObservations.window(r, 5, 400));
    wf.investigate(json(Map.of("by", "bob@example.com", "outcome", "continue")));
    // alice is safety lead and product owner; product-owner is covered, so her approval counts as safety lead.
    wf.investigate(json(Map.of("by", "alice@example.com", "outcome", "continue")));
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.COMPLETED, r.state());
    assertTrue(r.audit().stream().anyMatch(e -> "alice@example.com".equals(e.actor()) && "safety-lead".equals(e.role())
        && e.message().contains("quorum of 2 reached")), messages(r.audit(), "APPROVAL").toString());
  }

  @Test
  void anUnansweredApprovalEscalatesToTheNextRoleWhoMayThenDecide() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "rollback-after-approval", 2, 3)
        .right("rollback", new DecisionRight(List.of("safety-lead"), "1h", "continue", null,
            List.of(new dev.ripcord.workflows.policy.GovernanceSpec.Escalation("10m", List.of("on-call"))), null,
            new dev.ripcord.workflows.policy.GovernanceSpec.Unsafe("a rollback reindexes; the lead decides")))
        .build());
    h.awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);
    wf.approve(person("carol@example.com", null));
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(ReleaseState.AWAITING_ROLLBACK_APPROVAL, wf.status().state(), "on-call may not decide yet");
    h.env.sleep(Duration.ofMinutes(11));
    assertEquals(List.of("safety-lead", "on-call"), wf.status().waitingFor().roles());
    wf.approve(person("carol@example.com", null));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertTrue(messages(r.audit(), "APPROVAL").stream().anyMatch(m -> m.contains("escalated to [on-call]")));
    assertTrue(h.notifier.sent().stream().anyMatch(n -> n.event().equals("escalation")
        && n.fallback().contains("[on-call] are asked now")));
    assertEquals("carol@example.com", r.audit().stream().filter(e -> e.kind().equals("APPROVAL")
        && e.message().startsWith("approved")).findFirst().orElseThrow().actor());
  }
}

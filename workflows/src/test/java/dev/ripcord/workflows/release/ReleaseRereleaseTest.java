package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.activity.RouterActivities.WeightCommand;
import dev.ripcord.workflows.approval.RereleaseRequest;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import dev.ripcord.workflows.testing.ScriptedObservations;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Re-release after a rollback: the fixed candidate rolls out again on the same release id through continue-as-new. */
class ReleaseRereleaseTest {
  private ReleaseHarness h;

  @BeforeEach
  void setUp() {
    h = new ReleaseHarness();
    // v2 hallucinates once exposed; any other candidate is healthy.
    h.observations.script(r -> ScriptedObservations.window(r, r.candidate().equals("v2") && r.weight() > 0 ? 30 : 5,
        400));
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private static PolicyBuilder rereleasable() {
    return PolicyBuilder.chat().right("rerelease", new DecisionRight(List.of("safety-lead"), "3d", null));
  }

  /** A stub by workflow id only, so signals and queries reach whichever run is current. */
  private ReleaseWorkflow current(ReleaseWorkflow wf) {
    return h.client.newWorkflowStub(ReleaseWorkflow.class,
        io.temporal.client.WorkflowStub.fromTyped(wf).getExecution().getWorkflowId());
  }

  @Test
  void aFixedCandidateRollsOutAgainOnTheSameReleaseIdWithKeysThatNeverRepeat() throws Exception {
    ReleaseWorkflow wf = current(h.start(rereleasable().build()));
    h.awaitState(wf, ReleaseState.ROLLED_BACK);
    h.env.sleep(Duration.ofSeconds(30));
    assertTrue(wf.status().line().contains("re-release possible until"), wf.status().line());

    wf.rerelease(json(Map.of("by", "alice@example.com", "comment", "fixed")));             // no evidence
    wf.rerelease(json(Map.of("by", "carol@example.com", "candidate", "v3")));             // on-call: no right
    wf.rerelease(json(Map.of("by", "alice@example.com", "candidate", "v2")));             // the rolled-back version
    wf.rerelease(json(Map.of("by", "alice@example.com", "candidate", "v1")));             // the baseline
    wf.rerelease(json(Map.of("by", "alice@example.com", "candidate", "v3", "evalReport", "eval-13",
        "comment", "grounding fix, eval-13 shows 4/10k")));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    ReleaseStatus st = wf.status();
    assertEquals("v3", st.candidate());
    assertTrue(st.line().contains("re-release 1"), st.line());
    List<String> refused = messages(r.audit(), "REFUSED");
    assertTrue(refused.get(0).contains("evidence of the fix is required: 'candidate'"), refused.toString());
    assertTrue(refused.get(1).contains("'rerelease' needs one of [safety-lead]"), refused.toString());
    assertTrue(refused.get(2).contains("v2 was rolled back with eval report eval-12; name the fixed candidate or a new"
        + " eval report"),
        refused.toString());
    assertTrue(refused.get(3).contains("candidate v1 is the baseline"), refused.toString());
    assertTrue(messages(r.audit(), "APPROVAL").contains("re-release accepted: candidate v3, eval report eval-13 — "
        + "\"grounding fix, eval-13 shows 4/10k\""), messages(r.audit(), "APPROVAL").toString());
    String link = messages(r.audit(), "STATE").stream().filter(m -> m.startsWith("re-release 1 of release-chat-v2:"))
        .findFirst().orElseThrow(() -> new AssertionError(messages(r.audit(), "STATE")));
    assertTrue(link.contains("candidate v3 replaces v2, eval report eval-13, same rules, policy sha256:"), link);

    // Both runs' traffic changes, in order: v2 to the canary and back, then v3 through both stages; keys distinct.
    assertEquals(List.of(10, 0, 10, 100), h.router.effectiveWeights());
    List<String> keys = r.actions().stream().map(WeightChange::idempotencyKey).toList();
    assertEquals(4, keys.size(), keys.toString());
    assertEquals(keys.size(), keys.stream().distinct().count(), keys.toString());
    List<WeightCommand> calls = h.router.calls();
    assertEquals("v2", calls.get(0).candidate());
    assertEquals("v3", calls.get(calls.size() - 1).candidate());
    assertTrue(h.notifier.events().contains("rerelease"), h.notifier.events().toString());

    // Each run replays clean against today's code.
    Matcher m = Pattern.compile("rolled back in run ([0-9a-f-]+)").matcher(link);
    assertTrue(m.find(), link);
    WorkflowExecutionHistory first = h.client.fetchHistory("release-chat-v2", m.group(1));
    WorkflowExecutionHistory second = h.history("release-chat-v2");
    WorkflowReplayer.replayWorkflowExecution(first, ReleaseWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(second, ReleaseWorkflowImpl.class);
    String dir = System.getProperty("ripcord.recordHistories");
    if (dir != null) {
      java.nio.file.Files.writeString(java.nio.file.Path.of(dir, "rerelease-rolled-back-run.json"), first.toJson(true));
      java.nio.file.Files.writeString(java.nio.file.Path.of(dir, "rerelease-fixed-run.json"), second.toJson(true));
    }
  }

  @Test
  void aRevisedPolicyMayTightenCriteriaButNotChangeWhatIsReleased() {
    ReleasePolicy original = rereleasable().build();
    ReleaseWorkflow wf = current(h.start(original));
    h.awaitState(wf, ReleaseState.ROLLED_BACK);
    h.env.sleep(Duration.ofSeconds(30));

    ReleasePolicy tightened = rereleasable().hallucinationLimit(6, "rollback", 1, 1).build();
    ObjectNode otherBaseline = (ObjectNode) ReleaseHarness.JSON.valueToTree(tightened);
    ((ObjectNode) otherBaseline.get("release")).put("baseline", "v0");
    wf.rerelease(json(Map.of("by", "alice@example.com", "candidate", "v3", "policy", otherBaseline)));
    ObjectNode broken = (ObjectNode) ReleaseHarness.JSON.valueToTree(tightened);
    broken.putArray("stages");
    wf.rerelease(json(Map.of("by", "alice@example.com", "candidate", "v3", "policy", broken)));
    wf.rerelease(json(Map.of("by", "alice@example.com", "candidate", "v3", "policy", ReleaseHarness.JSON.valueToTree(tightened))));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    List<String> refused = messages(r.audit(), "REFUSED");
    assertTrue(refused.get(0).contains("revised policy changes release.baseline (v1 → v0)"), refused.toString());
    assertTrue(refused.get(1).contains("revised policy: $.stages"), refused.toString());
    String expectedHash = PolicyLoader.hash(tightened.withRelease(tightened.release().fixedBy("v3", null)));
    assertEquals(expectedHash, r.policyHash(), "the new run records the revised policy's hash");
    assertTrue(messages(r.audit(), "STATE").stream().anyMatch(x -> x.contains("revised policy " + expectedHash)));
  }

  @Test
  void withoutAReReleaseByTheDeadlineTheReleaseClosesRolledBack() {
    ReleaseWorkflow wf = current(h.start(rereleasable().build()));
    h.awaitState(wf, ReleaseState.ROLLED_BACK);
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertTrue(messages(r.audit(), "STATE").stream().anyMatch(m -> m.startsWith("no re-release by ")
        && m.endsWith("the release closes rolled back")), messages(r.audit(), "STATE").toString());
    assertEquals(List.of(10, 0), h.router.effectiveWeights());
  }

  @Test
  void aReReleaseIsRefusedWhileTheReleaseIsStillOutAndTheCliGetsTheReason() {
    ReleaseWorkflow wf = current(h.start(rereleasable().build()));
    h.env.sleep(Duration.ofMinutes(2));
    DecisionAnswer a = wf.requestRerelease(new RereleaseRequest("alice@example.com", null, "v3", null, null, null));
    assertFalse(a.accepted());
    assertTrue(a.reason().contains("only a rolled-back release can be re-released"), a.reason());
    assertThrows(WorkflowUpdateException.class,
        () -> wf.requestRerelease(new RereleaseRequest("alice@example.com", null, null, null, null, null)));
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertNotNull(r.mitigatedAt());
  }

  @Test
  void aPolicyWithoutTheRightClosesAtTheRollbackAsBefore() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertTrue(messages(r.audit(), "STATE").stream().noneMatch(m -> m.contains("re-release")));
  }
}

package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static dev.ripcord.workflows.testing.ReleaseHarness.person;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import dev.ripcord.workflows.testing.ScriptedObservations;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReleaseWorkflowTest {
  private ReleaseHarness h;

  @BeforeEach
  void setUp() {
    h = new ReleaseHarness();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private void awaitState(ReleaseWorkflow wf, ReleaseState state) {
    for (int i = 0; i < 400; i++) {
      h.env.sleep(Duration.ofSeconds(30));
      if (wf.status().state() == state) {
        return;
      }
    }
    throw new AssertionError("release never reached " + state + "; it is " + wf.status().line());
  }

  @Test
  void healthyReleaseIsPromotedThroughEveryStageToCompleted() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    assertEquals(List.of(10, 100), h.router.effectiveWeights());
    assertTrue(r.windows() >= 18, "both 10-minute stages were evaluated every minute: " + r.windows());
    assertTrue(r.policyHash().startsWith("sha256:"));
    assertTrue(messages(r.audit(), "STATE").stream().anyMatch(m -> m.contains("ROLLING_OUT → COMPLETED")));
    assertEquals(List.of("completed"), h.notifier.events());
  }

  @Test
  void sustainedBreachRollsBackAutomaticallyInStagedVerifiedSteps() {
    h.observations.badFromStage("full");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(10, 100, 10, 0), h.router.effectiveWeights(), "back in the policy's steps 100 → 10 → 0");
    List<String> triggers = messages(r.audit(), "TRIGGER");
    assertEquals(1, triggers.size());
    assertTrue(triggers.get(0).contains("hallucination-limit fired: hallucination 30.0/10k > 8.0/10k in 2 of last 3 windows"), triggers.get(0));
    assertNotNull(r.timeToMitigateMillis());
    assertTrue(r.timeToMitigateMillis() >= Duration.ofMinutes(1).toMillis(), "the 10 % step is held for 1m");
    assertTrue(h.notifier.events().containsAll(List.of("triggered", "rolled-back")));
    // Every change carries a key derived from the workflow id and its sequence number, all distinct.
    List<String> keys = r.actions().stream().map(WeightChange::idempotencyKey).toList();
    assertEquals(keys.stream().distinct().count(), keys.size());
    assertTrue(keys.stream().allMatch(k -> k.startsWith("release-chat-v2/")), keys.toString());
  }

  @Test
  void oneBadWindowDoesNotTriggerButTwoOfThreeDo() {
    int[] window = {0};
    h.observations.script(r -> {
      window[0]++;
      return ScriptedObservations.window(r, window[0] == 3 ? 30 : 5, 400); // a single spike in window 3
    });
    ReleaseReport r = h.result(h.start(PolicyBuilder.chat().build()));
    assertEquals(ReleaseState.COMPLETED, r.state());
    assertTrue(messages(r.audit(), "DECISION").stream().anyMatch(m -> m.contains("pending")),
        "the spike is recorded as pending, not fired");
  }

  @Test
  void rollsBackAfterSafetyLeadApproves() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "rollback-after-approval", 2, 3).build());
    awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);
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
    awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);
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
    awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);

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
  void pauseHoldsPromotionUntilResumedAndPausedTimeDoesNotCountAsBake() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    h.env.sleep(Duration.ofMinutes(5));
    wf.pause(person("bob@example.com", "product-owner"));
    h.env.sleep(Duration.ofMinutes(30));
    ReleaseStatus s = wf.status();
    assertEquals(ReleaseState.PAUSED, s.state());
    assertEquals("canary", s.stage(), "no promotion while paused");
    assertEquals(10, h.router.weight());

    wf.resume(person("bob@example.com", null)); // bob may pause but not resume
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(ReleaseState.PAUSED, wf.status().state());
    wf.resume(person("alice@example.com", null));
    h.env.sleep(Duration.ofMinutes(3));
    assertEquals("canary", wf.status().stage(), "about 5 of 10 bake minutes remained after resuming");
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.COMPLETED, r.state());
    assertTrue(messages(r.audit(), "REFUSED").stream().anyMatch(m -> m.contains("'resume' needs one of [safety-lead]")));
    assertTrue(h.notifier.events().contains("paused"), "people are told about a pause: " + h.notifier.events());
  }

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
  void updateAnswersAcceptedOrRefusedAndRejectsMalformedDecisions() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "rollback-after-approval", 2, 3).build());
    awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);

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
  void pushedObservationsDriveTheDecision() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().build());
    h.env.sleep(Duration.ofSeconds(10));
    Map<String, Object> bad = Map.of("signals", Map.of("hallucination",
        Map.of("candidate", Map.of("events", 40, "trials", 10000), "baseline", Map.of("events", 5, "trials", 10000))));
    wf.observe(json(bad));
    wf.observe(json(bad));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertTrue(messages(r.audit(), "TRIGGER").get(0).contains("hallucination 40.0/10k > 8.0/10k"));
  }

  @Test
  void missingDataIsNeverHealthy() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().build()); // nobody pushes anything
    awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
    ReleaseStatus s = wf.status();
    assertEquals("canary", s.stage(), "never promoted on no data");
    assertTrue(s.lastExplanation().contains("no conclusive data"), s.lastExplanation());
    wf.rollback(person("alice@example.com", null));
    assertEquals(ReleaseState.ROLLED_BACK, h.result(wf).state());
  }

  @Test
  void promotionGateWaitsForTheProductOwner() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().gatedStage("canary", 10, "10m").stage("full", 100, "10m").build());
    awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    assertEquals(10, h.router.weight());
    wf.approve(person("bob@example.com", null));
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.COMPLETED, r.state());
    assertEquals(List.of(10, 100), h.router.effectiveWeights());
  }

  @Test
  void aRejectedRollbackInAGatedStageStillWaitsForThePromotion() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().gatedStage("canary", 10, "10m").stage("full", 100, "10m")
        .hallucinationLimit(8, "rollback-after-approval", 2, 3).build());
    awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);
    h.observations.script(r -> ScriptedObservations.window(r, 5, 400)); // the spike was a measurement glitch
    wf.reject(person("carol@example.com", null));
    awaitState(wf, ReleaseState.AWAITING_PROMOTION); // releases before v1 promoted here without the approval
    assertEquals(10, h.router.weight());
    wf.approve(person("bob@example.com", null));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    assertTrue(messages(r.audit(), "STATE").contains("promotion of stage 'canary' approved"),
        messages(r.audit(), "STATE").toString());
    assertEquals(List.of(10, 100), h.router.effectiveWeights());
  }

  @Test
  void longBakesContinueAsNewCarryingStateAndAudit() throws Exception {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().windowsPerRun(10).stage("canary", 10, "30m")
        .stage("full", 100, "5m").build());
    h.env.sleep(Duration.ofMinutes(15));
    wf.pause(person("carol@example.com", null));
    h.env.sleep(Duration.ofMinutes(15));
    wf.resume(person("alice@example.com", null));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    List<String> rollovers = messages(r.audit(), "STATE").stream().filter(m -> m.startsWith("continuing as new"))
        .toList();
    assertTrue(rollovers.size() >= 3, rollovers.toString());
    assertEquals(1, r.audit().get(0).seq(), "the first run's audit entries survive");
    assertEquals(List.of(10, 100), h.router.effectiveWeights(), "no stage re-applied after continue-as-new");
    assertTrue(r.windows() >= 45, "engine state carried: " + r.windows());

    // Each earlier run continued as new after the number of windows its run ID gives (8 to 10 of windowsPerRun 10),
    // and every run replays clean against today's code.
    List<WorkflowExecutionHistory> runs = h.runs(r.releaseId());
    String dir = System.getProperty("ripcord.recordHistories");
    for (int i = 0; dir != null && i < runs.size() - 1; i++) {
      java.nio.file.Files.writeString(java.nio.file.Path.of(dir, "continued-as-new-run-" + (i + 1) + ".json"),
          runs.get(i).toJson(true));
    }
    assertEquals(runs.size() - 1, rollovers.size(), rollovers.toString());
    for (int i = 0; i < runs.size() - 1; i++) {
      String runId = runs.get(i).getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
          .getOriginalExecutionRunId();
      assertEquals(runs.get(i + 1).getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
          .getContinuedExecutionRunId(), runId, "the history records the run's own ID");
      int expected = Rollover.windowsBeforeRollover(10, runId);
      assertTrue(expected >= 8 && expected <= 10, "run " + (i + 1) + ": " + expected);
      assertTrue(rollovers.get(i).startsWith("continuing as new after " + expected + " windows"), rollovers.get(i));
    }
    for (WorkflowExecutionHistory run : runs) {
      WorkflowReplayer.replayWorkflowExecution(run, ReleaseWorkflowImpl.class);
    }
  }

  @Test
  void runsStartedTogetherContinueAsNewAtDifferentWindows() {
    java.util.Set<Integer> lengths = new java.util.TreeSet<>();
    for (int i = 0; i < 1000; i++) {
      String runId = java.util.UUID.nameUUIDFromBytes(("run " + i).getBytes()).toString();
      int n = Rollover.windowsBeforeRollover(500, runId);
      assertTrue(n >= 400 && n <= 500, "between 80 % and all of windowsPerRun: " + n);
      lengths.add(n);
    }
    assertTrue(lengths.size() > 90, "1,000 run IDs spread over the 101 possible lengths: " + lengths.size());
  }

  @Test
  void searchAttributesAndStatusLineShowModelStageAndState() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "rollback-after-approval", 2, 3).build());
    awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);
    var attrs = h.client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(h.client.getOptions().getNamespace())
            .setExecution(WorkflowStub.fromTyped(wf).getExecution()).build())
        .getWorkflowExecutionInfo().getSearchAttributes().getIndexedFieldsMap();
    assertTrue(attrs.get("RipcordState").getData().toStringUtf8().contains("AWAITING_ROLLBACK_APPROVAL"));
    assertTrue(attrs.get("RipcordStage").getData().toStringUtf8().contains("canary"));
    assertTrue(attrs.get("RipcordModel").getData().toStringUtf8().contains("chat"));
    String line = wf.status().line();
    assertTrue(line.startsWith("AWAITING_ROLLBACK_APPROVAL · chat v2 · stage canary (1/2) · candidate 10 %"), line);
    assertTrue(line.contains("waiting for 'rollback' from [safety-lead, on-call]"), line);
    wf.approve(person("alice@example.com", null));
    h.result(wf);
  }

  @Test
  void observationsAreRecordedInHistorySoDecisionsCanBeReproduced() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    ReleaseReport r = h.result(wf);
    // Reads are local activities: each result is a LocalActivity marker of type ReadObservation in the history.
    long reads = h.history(r.releaseId()).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
            && e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")
            && e.getMarkerRecordedEventAttributes().getDetailsMap().get("type").getPayloads(0).getData()
                .toStringUtf8().equals("\"ReadObservation\""))
        .count();
    assertEquals(h.observations.reads(), reads, "every observation read is recorded in the history");
    Observation sample = ScriptedObservations.window(
        new dev.ripcord.workflows.activity.ObservationActivities.ObservationRequest("x", null, List.of(), "canary", 10, 1,
            "a", "b"), 5, 400);
    assertEquals(10_000, sample.candidateTrials());
  }

  @Test
  void aSequentialCriterionOnPushedCountsRollsBackAndExplainsItsEvidence() {
    var base = PolicyBuilder.chat().pushed().build();
    var msprt = new dev.ripcord.workflows.policy.ConditionSpec("hallucination", null, null, 1.0, null, null, null,
        null, null, null, "msprt", null, null, null, null, null);
    var policy = new dev.ripcord.workflows.policy.ReleasePolicy(base.apiVersion(), base.release(), base.router(),
        base.observations(), base.evaluation(), base.stages(), base.signals(),
        List.of(new dev.ripcord.workflows.policy.CriterionSpec("vs-baseline", null, "critical", "rollback", msprt, null)),
        base.governance(), base.rollback(), base.notifications());
    ReleaseWorkflow wf = h.start(policy);
    h.env.sleep(Duration.ofSeconds(5));
    Map<String, Object> healthy = Map.of("signals", Map.of("hallucination",
        Map.of("candidate", Map.of("events", 5, "trials", 10000), "baseline", Map.of("events", 5, "trials", 10000))));
    Map<String, Object> worse = Map.of("signals", Map.of("hallucination",
        Map.of("candidate", Map.of("events", 15, "trials", 10000), "baseline", Map.of("events", 5, "trials", 10000))));
    wf.observe(json(healthy));
    wf.observe(json(healthy));
    h.env.sleep(Duration.ofSeconds(5));
    assertEquals(ReleaseState.ROLLING_OUT, wf.status().state(), "equal arms: nothing fires");
    for (int i = 0; i < 6; i++) {
      wf.observe(json(worse));
    }
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    String trigger = messages(r.audit(), "TRIGGER").get(0);
    assertTrue(trigger.contains("mSPRT log-LR") && trigger.contains(">= 6.91"), trigger);
  }

  private static dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight right(List<String> roles, String deadline,
      String onTimeout, Integer quorum, List<dev.ripcord.workflows.policy.GovernanceSpec.Escalation> escalation) {
    return new dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight(roles, deadline, onTimeout, quorum, escalation);
  }

  @Test
  void resumingAfterAnInvestigationNeedsTheQuorumOfDifferentPeople() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "pause-and-investigate", 2, 3)
        .right("resume", right(List.of("safety-lead", "product-owner"), "4h", "rollback", 2, null)).build());
    awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
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
  void aPerRoleQuorumNeedsEachNamedRoleNotJustEnoughPeople() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().hallucinationLimit(8, "pause-and-investigate", 2, 3)
        .role("safety-lead", "alice@example.com", "sam@example.com")
        .right("resume", new dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight(
            List.of("safety-lead", "product-owner"), "4h", "rollback", 2, null,
            List.of("safety-lead", "product-owner"))).build());
    awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
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
    awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
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
        .right("rollback", right(List.of("safety-lead"), "1h", "continue", null,
            List.of(new dev.ripcord.workflows.policy.GovernanceSpec.Escalation("10m", List.of("on-call"))))).build());
    awaitState(wf, ReleaseState.AWAITING_ROLLBACK_APPROVAL);
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
    awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
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
    awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
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

package dev.ripcord.workflows.release;


import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static dev.ripcord.workflows.testing.ReleaseHarness.person;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.FakeRouter;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import dev.ripcord.workflows.testing.ScriptedObservations;
import io.temporal.api.enums.v1.EventType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stages, bakes and automatic verdicts: promotion, sustained breaches, pauses, pushed and missing data. */
class ReleaseRolloutTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

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
  void aPauseThatLandsWhileTheNextStageIsSetLeavesThatStagePaused() throws Exception {
    FakeRouter.Hold hold = h.router.holdChangeTo(100);
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    for (int i = 0; i < 400 && hold.reached().getCount() > 0; i++) {
      // The canary bakes: time skips only while the test sleeps, in steps well under the router call's 20 s timeout.
      h.env.sleep(Duration.ofSeconds(5));
    }
    hold.awaitReached(); // canary baked: the release is inside the router call that sets the 'full' stage
    wf.pause(person("bob@example.com", "product-owner"));
    String id = io.temporal.client.WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();
    for (int i = 0; i < 300 && !signalHandled(h.history(id)); i++) {
      Thread.sleep(100); // the pause is judged (its workflow task completes) while the router call is still in
    }
    assertTrue(signalHandled(h.history(id)), "the pause was handled while the router call was in");
    assertEquals(ReleaseState.PAUSED, wf.status().state(), "the status says at once what the pause asked for");
    hold.release().countDown();
    h.env.sleep(Duration.ofMinutes(30));

    ReleaseStatus s = wf.status();
    assertEquals("full", s.stage());
    assertEquals(ReleaseState.PAUSED, s.state(), "entered 'full', and paused there: " + s.line());
    assertEquals(List.of("paused at 10 %"), messages(wf.audit(), "APPROVAL"));
    assertTrue(h.notifier.events().contains("paused"), "people are told: " + h.notifier.events());
    wf.resume(person("alice@example.com", null));
    assertEquals(ReleaseState.COMPLETED, h.result(wf).state());
  }

  private static boolean signalHandled(io.temporal.common.WorkflowExecutionHistory history) {
    boolean signalled = false;
    for (var e : history.getEvents()) {
      signalled |= e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED;
      if (signalled && e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theReleaseRecordsItsOwnHashOfThePolicyNotTheOneItsStarterGave() {
    ReleasePolicy p = PolicyBuilder.chat().build();
    ReleaseWorkflow wf = h.client.newWorkflowStub(ReleaseWorkflow.class, io.temporal.client.WorkflowOptions
        .newBuilder().setWorkflowId(p.releaseId()).setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
    io.temporal.client.WorkflowClient.start(wf::run, ReleaseInput.start(p, "sha256:forged"));
    ReleaseReport r = h.result(wf);

    String own = dev.ripcord.workflows.policy.PolicyLoader.hash(p);
    assertEquals(own, r.policyHash());
    assertTrue(messages(r.audit(), "STATE").get(0).contains("under policy " + own), r.audit().get(0).message());
    assertTrue(messages(r.audit(), "STATE").stream().anyMatch(m -> m.contains("the starter gave the policy hash"
        + " sha256:forged, but the policy this release runs hashes to " + own)), r.audit().toString());
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
    h.awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION);
    ReleaseStatus s = wf.status();
    assertEquals("canary", s.stage(), "never promoted on no data");
    assertTrue(s.lastExplanation().contains("no conclusive data"), s.lastExplanation());
    wf.rollback(person("alice@example.com", null));
    assertEquals(ReleaseState.ROLLED_BACK, h.result(wf).state());
  }

  @Test
  void promotionGateWaitsForTheProductOwner() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().gatedStage("canary", 10, "10m").stage("full", 100, "10m").build());
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    assertEquals(10, h.router.weight());
    wf.approve(person("bob@example.com", null));
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.COMPLETED, r.state());
    assertEquals(List.of(10, 100), h.router.effectiveWeights());
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
    // The arms split as the router's 10 % says (a 50 : 50 split would be a sample ratio mismatch).
    Map<String, Object> healthy = Map.of("signals", Map.of("hallucination",
        Map.of("candidate", Map.of("events", 5, "trials", 10000), "baseline", Map.of("events", 45, "trials", 90000))));
    Map<String, Object> worse = Map.of("signals", Map.of("hallucination",
        Map.of("candidate", Map.of("events", 15, "trials", 10000), "baseline", Map.of("events", 45, "trials", 90000))));
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
}

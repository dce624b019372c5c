package dev.ripcord.workflows.release;

import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.approval.RereleaseRequest;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.RawValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static dev.ripcord.workflows.testing.ReleaseHarness.person;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decisions that reach a run before its first workflow task (sent while every worker is down or busy, or in the moment
 * after a continue-as-new) are judged by the same rules as later ones: a valid one counts once the run has started,
 * a refused one is audited, and no workflow task fails. The release can always still be rolled back.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a workflow task failing on every retry would otherwise hang the test
class ReleaseEarlyDecisionsTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  private static ReleasePolicy policy() {
    return PolicyBuilder.chat().right("rerelease", List.of("safety-lead"), "1h", null).build();
  }

  @Test
  void aPauseSentBeforeTheFirstTaskPausesTheReleaseOnceItStarts() {
    ReleaseWorkflow wf = h.startWithSignal(policy(), "pause", person("bob@example.com", "product-owner"));
    h.env.sleep(Duration.ofMinutes(20)); // twice the canary's bake: paused, it is not promoted
    assertEquals(ReleaseState.PAUSED, wf.status().state(), wf.status().line());
    assertEquals(10, h.router.weight());
    assertTrue(h.notifier.events().contains("paused"), "people are told: " + h.notifier.events());

    wf.rollback(person("carol@example.com", null));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(10, 0), h.router.effectiveWeights());
    assertTrue(messages(r.audit(), "APPROVAL").contains("paused at 10 %"), r.audit().toString());
    assertFirstTaskHeld(r.releaseId(), "pause");
  }

  @Test
  void aRollbackSentBeforeTheFirstTaskRollsTheReleaseBack() {
    ReleaseWorkflow wf = h.startWithSignal(policy(), "rollback", person("carol@example.com", null));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertEquals(0, h.router.weight());
    assertTrue(messages(r.audit(), "APPROVAL").contains("requested rollback"), r.audit().toString());
    assertFirstTaskHeld(r.releaseId(), "rollback");
  }

  /** The three kinds of run a decision can land in front of. */
  enum RunKind { NEW_RELEASE, CONTINUED_AS_NEW, RE_RELEASE }

  private static ReleasePolicy runsPolicy() {
    return PolicyBuilder.chat().right("rerelease", List.of("safety-lead"), "1h", null).windowsPerRun(10)
        .stage("canary", 10, "2h").stage("full", 100, "5m").build();
  }

  /**
   * The input of a run of {@code kind} whose first workflow task has not run yet: a new release's, or the very input a
   * real continue-as-new or re-release wrote (the run that wrote it is then terminated, so a test can start the next
   * one itself with something in front of its first task).
   */
  private ReleaseInput inputOf(RunKind kind, ReleasePolicy p) {
    if (kind == RunKind.NEW_RELEASE) {
      return ReleaseInput.start(p, PolicyLoader.hash(p));
    }
    ReleaseWorkflow first = h.start(p);
    if (kind == RunKind.CONTINUED_AS_NEW) {
      h.env.sleep(Duration.ofMinutes(15)); // ten-window runs: at least one continue-as-new
    } else {
      h.env.sleep(Duration.ofMinutes(2));
      first.rollback(person("carol@example.com", null));
      h.env.sleep(Duration.ofMinutes(5));
      first.rerelease(json(Map.of("by", "alice@example.com", "candidate", "v3")));
      h.env.sleep(Duration.ofMinutes(1));
    }
    List<WorkflowExecutionHistory> runs = h.runs(p.releaseId());
    assertTrue(runs.size() >= 2, kind + ": " + runs.size() + " runs");
    ReleaseInput next = ReleaseHarness.continuedWith(runs.get(runs.size() - 2));
    assertEquals(kind == RunKind.RE_RELEASE, next.rerelease() != null, kind.toString());
    h.terminateWhenIdle(p.releaseId(), "replaced by the same input, with a decision in front of it");
    return next;
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> kindsAndSignals() {
    return java.util.Arrays.stream(RunKind.values()).flatMap(k -> java.util.stream.Stream.of("approve", "reject",
        "pause", "resume", "rollback", "investigate", "observe", "alert", "acknowledge", "rerelease", "paws")
        .map(signal -> org.junit.jupiter.params.provider.Arguments.of(k, signal)));
  }

  /**
   * Each signal name, and one the release does not know, sent before the first task of each kind of run: judged by
   * the rules of a later one, audited, no workflow task failed, and a rollback still works.
   */
  @ParameterizedTest(name = "{1} before the first task of a {0} run")
  @org.junit.jupiter.params.provider.MethodSource("kindsAndSignals")
  void everySignalSentBeforeTheFirstTaskIsJudgedAndARollbackStillWorks(RunKind kind, String signal) {
    Map<String, RawValue> payloads = Map.ofEntries(
        Map.entry("approve", person("alice@example.com", null)),
        Map.entry("reject", person("alice@example.com", null)),
        Map.entry("pause", person("bob@example.com", null)),
        Map.entry("resume", person("alice@example.com", null)),
        Map.entry("rollback", person("carol@example.com", null)),
        Map.entry("investigate", json(Map.of("by", "alice@example.com", "outcome", "continue"))),
        Map.entry("observe", json(Map.of("signals", Map.of("hallucination", Map.of("candidate",
            Map.of("events", 1, "trials", 1000)))))),
        Map.entry("alert", json(Map.of("alertname", "ModelSafetySpike", "status", "firing"))),
        Map.entry("acknowledge", json(Map.of("by", "alice@example.com", "step", "legal-review"))),
        Map.entry("rerelease", json(Map.of("by", "alice@example.com", "candidate", "v3"))),
        Map.entry("paws", person("carol@example.com", null)));
    Map<String, String> judged = Map.ofEntries(
        Map.entry("approve", "approve refused: nothing is waiting for a decision (state ROLLING_OUT)"),
        Map.entry("reject", "reject refused: nothing is waiting for a decision (state ROLLING_OUT)"),
        Map.entry("pause", "paused at 10 %"),
        Map.entry("resume", "resume refused: the release is not paused"),
        Map.entry("rollback", "requested rollback"),
        Map.entry("investigate", "investigate refused: no investigation is open (state ROLLING_OUT)"),
        Map.entry("observe", "observation refused: this release reads observations from 'scripted'"),
        Map.entry("alert", "refused: the policy has no rule for it"),
        Map.entry("acknowledge", "acknowledge refused: step 'legal-review' is not in the playbook"),
        Map.entry("rerelease", "rerelease refused: only a rolled-back release can be re-released; this one is"
            + " ROLLING_OUT"),
        Map.entry("paws", "unknown signal 'paws' refused"));
    ReleasePolicy p = runsPolicy();
    ReleaseWorkflow wf = h.startWithSignal(p.releaseId(), inputOf(kind, p), signal, payloads.get(signal));
    h.env.sleep(Duration.ofMinutes(2));
    List<AuditEntry> audit = wf.audit();
    assertTrue(audit.stream().anyMatch(e -> e.message().contains(judged.get(signal))), signal + ": " + audit);

    if (!signal.equals("rollback")) {
      wf.rollback(person("carol@example.com", "on-call"));
    }
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertEquals(0, h.router.weight());
    assertFirstTaskHeld(r.releaseId(), signal);
  }

  @ParameterizedTest(name = "before the first task of a {0} run")
  @org.junit.jupiter.params.provider.EnumSource(RunKind.class)
  void aDecisionUpdateSentWithTheStartIsAnsweredOnceTheReleaseHasStarted(RunKind kind) {
    ReleasePolicy p = runsPolicy();
    DecisionAnswer a = h.startWithUpdate(p.releaseId(), inputOf(kind, p),
        wf -> wf.decide(new HumanDecision("pause", "bob@example.com", "product-owner", "hold it", null)),
        DecisionAnswer.class);

    assertTrue(a.accepted(), a.toString());
    assertEquals(ReleaseState.PAUSED, a.state(), "answered once the release is rolling out");
    ReleaseWorkflow wf = h.client.newWorkflowStub(ReleaseWorkflow.class, p.releaseId());
    DecisionAnswer rollback = wf.decide(new HumanDecision("rollback", "carol@example.com", null, null, null));
    assertTrue(rollback.accepted(), rollback.toString());
    assertEquals(ReleaseState.ROLLED_BACK, h.result(wf).state());
    assertFirstTaskClean(h.history(p.releaseId()));
  }

  @ParameterizedTest(name = "before the first task of a {0} run")
  @org.junit.jupiter.params.provider.EnumSource(RunKind.class)
  void aRereleaseUpdateSentWithTheStartIsRefusedWithItsReason(RunKind kind) {
    ReleasePolicy p = runsPolicy();
    DecisionAnswer a = h.startWithUpdate(p.releaseId(), inputOf(kind, p),
        wf -> wf.requestRerelease(new RereleaseRequest("alice@example.com", null, "v3", null, null, null)),
        DecisionAnswer.class);

    assertFalse(a.accepted(), a.toString());
    assertTrue(a.reason().contains("only a rolled-back release can be re-released"), a.reason());
    ReleaseWorkflow wf = h.client.newWorkflowStub(ReleaseWorkflow.class, p.releaseId());
    wf.rollback(person("carol@example.com", null));
    assertEquals(ReleaseState.ROLLED_BACK, h.result(wf).state());
    assertFirstTaskClean(h.history(p.releaseId()));
  }

  @Test
  void aRollbackBeforeTheFirstTaskOfARunContinuedAsNewIsJudgedOnTheCarriedState() {
    ReleasePolicy p = runsPolicy();
    // The run that continued is replaced by one started from the very same input, with a rollback before its first
    // workflow task: the moment a decision lands in production right after a continue-as-new.
    ReleaseInput carried = inputOf(RunKind.CONTINUED_AS_NEW, p);
    assertEquals(ReleaseState.ROLLING_OUT, carried.carried().state());

    ReleaseWorkflow next = h.startWithSignal(p.releaseId(), carried, "rollback", person("carol@example.com", null));
    ReleaseReport r = h.result(next);

    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertEquals(List.of(10, 0), h.router.effectiveWeights(), "stage weight once, then the rollback");
    assertTrue(r.audit().stream().anyMatch(e -> e.message().contains("continuing as new")), "carried log");
    assertFirstTaskHeld(p.releaseId(), "rollback");
  }

  @Test
  void aPauseBeforeTheFirstTaskOfAReReleaseRunCountsOnceItRollsOut() {
    ReleasePolicy p = runsPolicy();
    ReleaseInput rerelease = inputOf(RunKind.RE_RELEASE, p);
    assertEquals("v3", rerelease.policy().release().candidate());

    ReleaseWorkflow next = h.startWithSignal(p.releaseId(), rerelease, "pause", person("bob@example.com", null));
    h.env.sleep(Duration.ofMinutes(20));
    assertEquals(ReleaseState.PAUSED, next.status().state(), next.status().line());
    next.rollback(person("carol@example.com", null));
    ReleaseReport r = h.result(next);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertTrue(r.audit().stream().anyMatch(e -> e.message().startsWith("re-release 1 of ")), "the re-release run");
    assertFirstTaskHeld(p.releaseId(), "pause");
  }

  @Test
  void aRunStartedWithoutAPolicyFailsAtOnceAndAnEarlyDecisionFailsNoTask() {
    ReleaseWorkflow wf = h.startWithSignal("release-none", new ReleaseInput(null, null, null), "rollback",
        person("carol@example.com", null));
    var failed = org.junit.jupiter.api.Assertions.assertThrows(io.temporal.client.WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(ReleaseReport.class));
    var cause = (io.temporal.failure.ApplicationFailure) failed.getCause();
    assertEquals("InvalidPolicy", cause.getType());
    assertTrue(cause.getOriginalMessage().contains("ripcord release start --policy FILE"), cause.getOriginalMessage());
    assertFirstTaskClean(h.history("release-none"));
  }

  /**
   * The signal really was in front of the first workflow task of the run the test started (the first of the chain its
   * continue-as-news made), and no workflow task failed.
   */
  private void assertFirstTaskHeld(String releaseId, String signal) {
    List<WorkflowExecutionHistory> runs = h.runs(releaseId);
    runs.forEach(ReleaseEarlyDecisionsTest::assertFirstTaskClean);
    assertEquals(List.of(signal), ReleaseHarness.signalsBeforeFirstTask(runs.get(0)), "sent before the first task");
  }

  private static void assertFirstTaskClean(WorkflowExecutionHistory run) {
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(run.getEvents()), "no workflow task failed");
  }
}

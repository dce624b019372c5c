package dev.ripcord.workflows.release;

import com.google.protobuf.ByteString;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.audit.AuditText;
import dev.ripcord.workflows.audit.CarriedLog;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.FirstTaskGate;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.RawValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a sender sends, a release can still be rolled back: oversized fields, payloads over the size limit,
 * other encodings, duplicate keys and deep nesting, for every signal name and one the release does not know, are
 * refused and audited in bounded entries; the runs continue as new with a small input; a rollback then works.
 */
class ReleaseInputFloodTest {
  private static final String BIG = "x".repeat(100_000);
  private static final String HUGE = "y".repeat(190_000);
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  @Test
  void aFloodOfOversizedRefusedSignalsNeverStopsARollback() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().alert("ModelSafetySpike", "rollback").windowsPerRun(10)
        .stage("canary", 10, "2h").stage("full", 100, "5m").build());
    h.env.sleep(Duration.ofMinutes(2));
    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    List<String> names = new ArrayList<>(List.of("approve", "reject", "pause", "resume", "rollback", "investigate",
        "observe", "alert", "acknowledge", "rerelease", "no-such-signal"));
    int sent = 0;
    for (String name : names) {
      Map<String, Object> fields = new LinkedHashMap<>();
      for (String f : List.of("by", "step", "outcome", "alertname", "comment", "candidate", "t", "stage")) {
        fields.put(f, BIG.substring(0, 9_000));
      }
      fields.put("status", "firing");
      fields.put(BIG.substring(0, 20_000), 1); // an unknown key as long as a novel's chapter
      for (RawValue payload : List.of(json(fields), json(Map.of("by", HUGE)), binary(HUGE), raw(
          "{\"by\":\"mallory@evil.example\",\"by\":\"carol@example.com\",\"alertname\":\"ModelSafetySpike\","
              + "\"status\":\"firing\",\"step\":\"s\"}"), raw("[".repeat(2_000) + "]".repeat(2_000)),
          raw("{\"by\": \"carol@example.com\"} {\"by\": \"carol@example.com\"}"))) {
        stub.signal(name, payload);
        sent++;
      }
    }
    for (int i = 0; i < 400; i++) { // enough refusals to need bounding at the roll-over
      stub.signal("no-such-signal", json(Map.of("n", i)));
      sent++;
    }
    h.env.sleep(Duration.ofMinutes(25)); // ten-window runs: continue as new at least twice
    assertEquals(ReleaseState.ROLLING_OUT, wf.status().state(), "nothing that was sent changed the release");
    assertEquals(10, h.router.weight());

    wf.rollback(json(Map.of("by", "carol@example.com", "comment", "rollback after the flood")));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertEquals(List.of(10, 0), h.router.effectiveWeights());
    List<WorkflowExecutionHistory> runs = h.runs(r.releaseId());
    assertTrue(runs.size() >= 3, "continued as new: " + runs.size() + " runs");
    for (WorkflowExecutionHistory run : runs) {
      // (UNHANDLED_COMMAND is allowed: here, continuing as new when Temporal suggested it mid-flood.)
      assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(run.getEvents()), "no workflow task failed");
      for (HistoryEvent e : run.getEvents()) {
        if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) {
          int bytes = e.getWorkflowExecutionContinuedAsNewEventAttributes().getInput().getSerializedSize();
          assertTrue(bytes < 600 * 1024, "continue-as-new carries " + bytes + " bytes");
        }
      }
    }
    // The first run holds every refusal; the audit the last run reports is bounded and points at the rest.
    long refused = runs.get(0).getEvents().stream().filter(e -> e.getEventType()
        == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).count();
    assertEquals(sent, refused, "every signal reached the workflow");
    List<AuditEntry> audit = r.audit();
    assertTrue(audit.size() <= CarriedLog.MAX_ENTRIES + 30, "bounded: " + audit.size());
    assertEquals(CarriedLog.EARLIER, audit.get(0).kind(), audit.get(0).toString());
    assertTrue(audit.get(0).message().contains("earlier runs"), audit.get(0).message());
    assertTrue(audit.get(0).message().startsWith("entries 1–" + (audit.get(1).seq() - 1) + " "), audit.get(0)
        + " / " + audit.get(1));
    for (int i = 2; i < audit.size(); i++) {
      assertEquals(audit.get(i - 1).seq() + 1, audit.get(i).seq(), "entry numbers run on across runs");
    }
    for (AuditEntry e : audit) {
      assertTrue(e.message().length() <= AuditText.MAX_MESSAGE, "bounded message: " + e.message().length());
      assertTrue(e.actor() == null || e.actor().length() <= AuditText.MAX_NAME, "bounded actor");
    }
    assertTrue(audit.stream().anyMatch(e -> e.kind().equals("APPROVAL") && "carol@example.com".equals(e.actor())
        && e.message().contains("requested rollback")), "the rollback counts");
  }

  @Test
  void decisionsLandingRightAfterAContinueAsNewAreJudgedInTheNewRunAmidAFlood() throws Exception {
    FirstTaskGate gate = new FirstTaskGate();
    try (ReleaseHarness held = new ReleaseHarness(null, gate)) {
      ReleasePolicy p = PolicyBuilder.chat().windowsPerRun(10).stage("canary", 10, "2h").stage("full", 100, "5m")
          .build();
      ReleaseWorkflow wf = held.start(p);
      held.env.sleep(Duration.ofSeconds(30)); // the first run is under way, on the worker's sticky queue
      String firstRun = held.history(p.releaseId()).getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
          .getOriginalExecutionRunId();
      String next = awaitContinuedRun(held, gate, p.releaseId(), firstRun);
      // The moment after the continue-as-new, before the new run's first workflow task: a flood of malformed
      // signals of every name, and among them the decisions that must count.
      WorkflowStub release = held.client.newUntypedWorkflowStub(p.releaseId());
      List<String> sent = new ArrayList<>();
      for (String name : List.of("approve", "reject", "pause", "resume", "rollback", "investigate", "observe",
          "alert", "acknowledge", "rerelease", "no-such-signal")) {
        release.signal(name, json(Map.of("by", BIG.substring(0, 9_000), "step", "s", "alertname", "A")));
        sent.add(name);
      }
      release.signal("pause", ReleaseHarness.person("bob@example.com", "product-owner"));
      release.signal("approve", ReleaseHarness.person("alice@example.com", null)); // nothing waits: refused
      release.signal("resume", ReleaseHarness.person("alice@example.com", null));
      release.signal("pause", ReleaseHarness.person("carol@example.com", null));
      sent.addAll(List.of("pause", "approve", "resume", "pause"));
      gate.open();
      held.env.sleep(Duration.ofMinutes(1));

      WorkflowExecutionHistory run = held.client.fetchHistory(p.releaseId(), next);
      assertEquals(sent, ReleaseHarness.signalsBeforeFirstTask(run), "all in front of the run's first task");
      assertEquals(ReleaseState.PAUSED, wf.status().state(), wf.status().line());
      List<String> approvals = ReleaseHarness.messages(wf.audit(), "APPROVAL");
      assertTrue(approvals.containsAll(List.of("paused at 10 %", "resumed")), approvals.toString());
      assertTrue(ReleaseHarness.messages(wf.audit(), "REFUSED").stream().anyMatch(m -> m.contains(
          "approve refused: nothing is waiting for a decision (state PAUSED)")), wf.audit().toString());

      wf.rollback(ReleaseHarness.person("carol@example.com", null));
      ReleaseReport r = held.result(wf);
      assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
      assertEquals(List.of(10, 0), held.router.effectiveWeights());
      for (WorkflowExecutionHistory h : held.runs(p.releaseId())) {
        assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(h.getEvents()), "no workflow task failed");
      }
    }
  }

  /**
   * Advances the release's clock to a minute before its first run continues as new (after the window count its run
   * ID gives, {@link Rollover#windowsBeforeRollover}) with the gate open, closes the gate, then steps until the next
   * run exists; returns its run ID. The gate closes only for that last minute: while it is closed, any workflow task
   * that reaches the normal queue (the new run's first, or one of the old run's whose sticky queue timed out) waits
   * unpolled and stops the test server's clock from skipping, so a long sleep with the gate closed could run in real
   * time (CI once spent 721 s there, and 9 minutes in another run, its thread dump showing the test in this sleep).
   */
  static String awaitContinuedRun(ReleaseHarness h, FirstTaskGate gate, String releaseId, String firstRun) {
    long started = com.google.protobuf.util.Timestamps.toMillis(h.client.fetchHistory(releaseId, firstRun)
        .getEvents().get(0).getEventTime());
    long rollover = started + Duration.ofMinutes(Rollover.windowsBeforeRollover(10, firstRun)).toMillis();
    long untilAMinuteBefore = rollover - Duration.ofMinutes(1).toMillis() - h.env.currentTimeMillis();
    if (untilAMinuteBefore > 0) {
      h.env.sleep(Duration.ofMillis(untilAMinuteBefore));
    }
    gate.close();
    for (int step = 0; step < 100; step++) {
      h.env.sleep(Duration.ofSeconds(3));
      String run = h.client.newUntypedWorkflowStub(releaseId).describe().getExecution().getRunId();
      if (!run.equals(firstRun)) {
        return run;
      }
    }
    throw new AssertionError("no continue-as-new within 5 minutes of the expected window");
  }

  @Test
  void aRolledBackReleaseFloodedWhileItWaitsForAReReleaseStillCloses() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().right("rerelease", List.of("safety-lead"), "1h", null).build());
    h.env.sleep(Duration.ofMinutes(2));
    wf.rollback(json(Map.of("by", "carol@example.com")));
    h.env.sleep(Duration.ofMinutes(5));
    assertEquals(ReleaseState.ROLLED_BACK, wf.status().state());
    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    RawValue payload = json(Map.of("note", BIG.substring(0, 1_000)));
    for (int i = 0; i < 5_000; i++) { // ~2.5 MB of refusals: more than Temporal takes as one result
      stub.signal("no-such-signal", payload);
    }
    assertTrue(wf.audit().size() <= CarriedLog.MAX_IN_RUN, "the run's log is bounded: " + wf.audit().size());
    ReleaseReport r = h.result(wf); // the re-release window closes after 1 h

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertTrue(r.audit().size() <= CarriedLog.MAX_IN_RUN, "bounded: " + r.audit().size());
    assertTrue(r.audit().get(r.audit().size() - 1).message().contains("the release closes rolled back"),
        r.audit().get(r.audit().size() - 1).toString());
    HistoryEvent completed = h.history(r.releaseId()).getLastEvent();
    assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, completed.getEventType());
    int bytes = completed.getWorkflowExecutionCompletedEventAttributes().getResult().getSerializedSize();
    assertTrue(bytes < 1024 * 1024, "result of " + bytes + " bytes");
  }

  @Test
  void everyKindOfUnreadablePayloadIsAuditedWithItsReason() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    h.env.sleep(Duration.ofMinutes(2));
    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    stub.signal("pause", raw("{\"by\":\"mallory@evil.example\",\"by\":\"carol@example.com\"}"));
    stub.signal("pause", binary("{\"by\": \"carol@example.com\"}"));
    stub.signal("pause", raw("[".repeat(2_000) + "]".repeat(2_000)));
    stub.signal("pause", json(Map.of("by", HUGE)));
    stub.signal("paws", json(Map.of("by", "carol@example.com")));
    h.env.sleep(Duration.ofMinutes(1));
    assertEquals(ReleaseState.ROLLING_OUT, wf.status().state(), "the duplicate 'by' did not pause the release");
    wf.rollback(json(Map.of("by", "carol@example.com")));
    ReleaseReport r = h.result(wf);

    List<String> refused = r.audit().stream().filter(e -> e.kind().equals("REFUSED")).map(AuditEntry::message)
        .toList();
    assertEquals(5, refused.size(), refused.toString());
    assertTrue(refused.get(0).contains("Duplicate field 'by'"), refused.get(0));
    assertTrue(refused.get(1).contains("encoded as 'binary/plain'"), refused.get(1));
    assertTrue(refused.get(2).contains("nesting depth"), refused.get(2));
    assertTrue(refused.get(3).contains("larger than the 131072-byte limit"), refused.get(3));
    assertTrue(refused.get(4).contains("unknown signal 'paws' refused"), refused.get(4));
    assertTrue(r.audit().stream().noneMatch(e -> "mallory@evil.example".equals(e.actor())));
  }

  private static RawValue raw(String json) {
    return new RawValue(Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8)).build());
  }

  private static RawValue binary(String text) {
    return new RawValue(Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("binary/plain"))
        .setData(ByteString.copyFrom(text, StandardCharsets.UTF_8)).build());
  }
}

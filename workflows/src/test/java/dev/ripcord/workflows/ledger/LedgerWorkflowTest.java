package dev.ripcord.workflows.ledger;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ledger workflow: labels checked against the release, refusals recorded, the latest label counted. */
class LedgerWorkflowTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  @Test
  void labelsAreCheckedRecordedAndCountedAndARefusalNeverFailsTheLedger() throws Exception {
    h.releaseFacts.add("release-chat-v2", "ROLLED_BACK", List.of("hallucination-limit"), 42L);
    h.releaseFacts.add("release-chat-v3", "COMPLETED", List.of(), null);
    h.releaseFacts.add("release-chat-v4", "RUNNING", List.of(), null);
    WorkflowStub stub = h.client.newUntypedWorkflowStub("AccuracyLedger", WorkflowOptions.newBuilder()
        .setWorkflowId(LedgerWorkflow.ID).setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
    stub.signalWithStart("label", new Object[] {json(Map.of("releaseId", "release-chat-v2", "outcome",
        "rollback-was-right", "by", "carol@example.com"))}, new Object[] {null});
    LedgerWorkflow ledger = h.client.newWorkflowStub(LedgerWorkflow.class, LedgerWorkflow.ID);
    ledger.label(json(Map.of("releaseId", "release-chat-v2", "outcome", "false-rollback", "by",
        "alice@example.com", "comment", "the judge was down; the spike was its timeouts")));
    ledger.label(json(Map.of("releaseId", "release-chat-v3", "outcome", "missed-incident", "by",
        "mallory@example.com")));
    ledger.label(json(Map.of("releaseId", "release-chat-v3", "outcome", "missed-incident", "by",
        "alice@example.com", "foundAt", "2026-12-01T18:15:00Z")));
    ledger.label(json(Map.of("releaseId", "release-chat-v4", "outcome", "false-rollback", "by",
        "alice@example.com")));
    ledger.label(json(Map.of("releaseId", "release-nope", "outcome", "false-rollback", "by", "alice@example.com")));
    ledger.label(json(Map.of("releaseId", "release-chat-v2", "outcome", "maybe", "by", "alice@example.com")));
    h.env.sleep(Duration.ofSeconds(5));

    List<String> log = ledger.log();
    assertEquals(7, log.size(), log.toString());
    assertTrue(log.get(0).contains("LABELLED carol@example.com: release-chat-v2 (chat, fired [hallucination-limit]) is"
        + " rollback-was-right"), log.toString());
    assertTrue(log.get(1).contains("is false-rollback, replacing rollback-was-right by carol@example.com"), log.get(1));
    assertTrue(log.get(2).contains("REFUSED mallory@example.com: label of release-chat-v3 refused:"), log.get(2));
    assertTrue(log.get(4).contains("REFUSED") && log.get(4).contains("has not ended"), log.get(4));
    assertTrue(log.get(5).contains("no release release-nope in this namespace"), log.get(5));
    assertTrue(log.get(6).contains("REFUSED malformed label: 'outcome' must be one of"), log.get(6));

    AccuracyLedger.Accuracy a = ledger.accuracy("chat", null);
    assertEquals(2, a.releases());
    var all = a.rows().stream().filter(r -> r.criterion().equals(AccuracyLedger.ALL)).findFirst().orElseThrow();
    assertEquals(1, all.falseRollbacks());
    assertEquals(1, all.missedIncidents());
    assertEquals(0, all.rightRollbacks(), "the later label replaced the earlier");
    assertEquals(42L, all.badOutputs());
    var history = h.history(LedgerWorkflow.ID);
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(history.getEvents()));
    io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(history, LedgerWorkflowImpl.class);
    String dir = System.getProperty("ripcord.recordHistories");
    if (dir != null) {
      java.nio.file.Files.writeString(java.nio.file.Path.of(dir, "ledger-labels-checked.json"), history.toJson(true));
    }
  }
}

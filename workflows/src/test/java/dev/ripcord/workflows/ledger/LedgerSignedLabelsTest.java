package dev.ripcord.workflows.ledger;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.FakeIssuer;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Labels of a release that verifies identity: only with a token from its issuer, whose person is the labeller (and
 * must hold the rollback right); a token labels once and never after deciding elsewhere; the ledger keeps no token.
 */
class LedgerSignedLabelsTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  private String token(String email) {
    long now = h.env.currentTimeMillis();
    return h.issuer.token(email, now, c -> c.expirationTime(new Date(now + 3_600_000)));
  }

  @Test
  void aLabellersTokenNamesThemWhileTypedForeignAndReusedTokensAreRefused() throws Exception {
    ReleaseFacts plain = h.releaseFacts.add("release-chat-v2", "ROLLED_BACK", List.of("hallucination-limit"), 42L);
    h.releaseFacts.releases.put("release-chat-v2", new ReleaseFacts(plain.releaseId(), plain.policy(),
        plain.policyHash(), plain.state(), plain.fired(), plain.startedAt(), plain.exposedAt(), plain.triggeredAt(),
        plain.mitigatedAt(), plain.badOutputs(), plain.labellers(), true, FakeIssuer.verified()));
    h.releaseFacts.add("release-chat-v3", "COMPLETED", List.of(), null); // declared identity
    WorkflowStub stub = h.client.newUntypedWorkflowStub("AccuracyLedger", WorkflowOptions.newBuilder()
        .setWorkflowId(LedgerWorkflow.ID).setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
    stub.signalWithStart("label", new Object[] {json(Map.of("releaseId", "release-chat-v2", "outcome",
        "false-rollback", "by", "alice@example.com"))}, new Object[] {null});
    LedgerWorkflow ledger = h.client.newWorkflowStub(LedgerWorkflow.class, LedgerWorkflow.ID);
    String alices = token("alice@example.com");
    ledger.label(json(Map.of("releaseId", "release-chat-v2", "outcome", "false-rollback", "token",
        token("bob@example.com"))));
    ledger.label(json(Map.of("releaseId", "release-chat-v2", "outcome", "false-rollback", "token", alices,
        "comment", "the judge was down")));
    ledger.label(json(Map.of("releaseId", "release-chat-v2", "outcome", "rollback-was-right", "token", alices)));
    ledger.label(json(Map.of("releaseId", "release-chat-v3", "outcome", "incident-prevented", "token",
        token("alice@example.com"))));
    ledger.label(json(Map.of("releaseId", "release-chat-v2", "outcome", "false-rollback", "token",
        h.issuer.token("alice@example.com", h.env.currentTimeMillis(), c -> c.audience("billing")))));
    h.env.sleep(Duration.ofSeconds(10));

    List<String> log = ledger.log();
    assertEquals(6, log.size(), log.toString());
    assertTrue(log.get(0).contains("REFUSED alice@example.com: label of release-chat-v2 refused: release"
        + " release-chat-v2 verifies identity; a typed name does not count"), log.get(0));
    assertTrue(log.get(1).contains("REFUSED bob@example.com: label of release-chat-v2 refused: bob@example.com may"
        + " not label"), log.get(1));
    assertTrue(log.get(2).contains("LABELLED alice@example.com: release-chat-v2") && log.get(2).contains(
        "the judge was down"), log.get(2));
    assertTrue(log.get(3).contains("already labelled once"), log.get(3));
    assertTrue(log.get(4).contains("release-chat-v3 does not verify identity"), log.get(4));
    assertTrue(log.get(5).contains("token is for audience [billing]"), log.get(5));
    assertEquals("alice@example.com", ledger.entries().get(0).by());
    assertFalse(ledger.entries().toString().contains("eyJ"), "the ledger keeps no token");
    assertEquals(List.of("ripcord-accuracy-ledger", "ripcord-accuracy-ledger"), h.spentTokens.claims.stream()
        .map(c -> c.releaseId()).toList(), "bob's and alice's tokens were claimed, the refused ones before were not");
    var history = h.history(LedgerWorkflow.ID);
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(history.getEvents()));
    io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(history, LedgerWorkflowImpl.class);
    String dir = System.getProperty("ripcord.recordHistories");
    if (dir != null) {
      java.nio.file.Files.writeString(java.nio.file.Path.of(dir, "ledger-signed-labels.json"), history.toJson(true));
    }
  }
}

package dev.ripcord.activities.temporal.codec;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.release.ReleaseWorkflowImpl;
import dev.ripcord.workflows.testing.FakeIssuer;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A release that recorded what its tokens proved replays with every token redacted; one from before that marker
 * does not, and {@link TokenRedaction#replayable} says which is which.
 */
class RedactedReplayTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  @Test
  void aRedactedHistoryOfTodaysReleaseReplaysAndAnOlderOneIsToldApart() throws Exception {
    long now = h.env.currentTimeMillis();
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().identity(FakeIssuer.verified()).gatedStage("canary", 10, "10m")
        .stage("full", 100, "10m").build(), null,
        h.issuer.token("bob@example.com", now, c -> c.expirationTime(new Date(now + 3_600_000))));
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    wf.approve(json(Map.of("token", h.issuer.token("bob@example.com", h.env.currentTimeMillis()))));
    assertEquals(ReleaseState.COMPLETED, h.result(wf).state());

    WorkflowExecutionHistory full = h.history("release-chat-v2");
    assertTrue(PayloadText.of(full.getHistory()).stream().anyMatch(t -> t.contains("eyJ")));
    WorkflowExecutionHistory redacted = TokenRedaction.of(full);
    assertTrue(PayloadText.of(redacted.getHistory()).stream().noneMatch(t -> t.contains("eyJ")));
    assertTrue(TokenRedaction.replayable(full));
    WorkflowReplayer.replayWorkflowExecution(redacted, ReleaseWorkflowImpl.class);
    String dir = System.getProperty("ripcord.recordHistories");
    if (dir != null) { // stored with the release's histories: it must keep replaying without its tokens
      Files.writeString(java.nio.file.Path.of(dir, "verification-recorded-redacted.json"), redacted.toJson(true));
    }

    WorkflowExecutionHistory old = WorkflowExecutionHistory.fromJson(Files.readString(HistoryPayloadsTest.STORED
        .resolve("verified-tokens-decide.json")));
    assertFalse(TokenRedaction.replayable(old), "verified its tokens again on replay");
    assertThrows(Exception.class, () -> WorkflowReplayer.replayWorkflowExecution(TokenRedaction.of(old),
        ReleaseWorkflowImpl.class));
    assertTrue(TokenRedaction.replayable(WorkflowExecutionHistory.fromJson(Files.readString(
        HistoryPayloadsTest.STORED.resolve("demo-automatic-rollback.json")))), "no token at all");
  }
}

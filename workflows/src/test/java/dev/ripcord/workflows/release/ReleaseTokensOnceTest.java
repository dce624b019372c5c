package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.FakeIssuer;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A verified token decides in one release only: the first release it is presented to claims it in the namespace's
 * record of spent tokens, and the token that started a release decides nothing more. Refusals are audited; no
 * workflow task fails.
 */
class ReleaseTokensOnceTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  private ReleaseWorkflow gated(String model) {
    return h.start(PolicyBuilder.chat().model(model).identity(FakeIssuer.verified()).gatedStage("canary", 10, "10m")
        .stage("full", 100, "10m").build());
  }

  private String token(String email) {
    return h.issuer.token(email, h.env.currentTimeMillis());
  }

  @Test
  void aTokenThatDecidedInOneReleaseIsRefusedInAnother() {
    ReleaseWorkflow a = gated("chat-a");
    ReleaseWorkflow b = gated("chat-b");
    h.awaitState(a, ReleaseState.AWAITING_PROMOTION);
    h.awaitState(b, ReleaseState.AWAITING_PROMOTION);
    String bobs = token("bob@example.com");

    a.approve(json(Map.of("token", bobs, "comment", "evals look fine")));
    h.awaitState(a, ReleaseState.ROLLING_OUT);
    b.approve(json(Map.of("token", bobs, "comment", "copied from the other release")));
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(ReleaseState.AWAITING_PROMOTION, b.status().state(), "the copied token decided nothing");
    List<String> refused = messages(b.audit(), "REFUSED");
    assertEquals(1, refused.size(), refused.toString());
    assertTrue(refused.get(0).contains("was first presented to release release-chat-a-v2 (approve, ")
        && refused.get(0).contains("a token decides in one release only"), refused.get(0));

    b.approve(json(Map.of("token", token("bob@example.com"))));
    assertEquals(ReleaseState.COMPLETED, h.result(b).state(), "a fresh token decides");
    assertEquals(ReleaseState.COMPLETED, h.result(a).state());
    assertEquals(List.of("release-chat-a-v2", "release-chat-b-v2", "release-chat-b-v2"),
        h.spentTokens.claims.stream().map(c -> c.releaseId()).toList());
    for (String id : List.of("release-chat-a-v2", "release-chat-b-v2")) {
      assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(h.history(id).getEvents()));
    }
  }

  @Test
  void theTokenThatStartedAReleaseDecidesNothingInIt() {
    long now = h.env.currentTimeMillis(); // valid for an hour: still valid when the stage asks for its approval
    String start = h.issuer.token("bob@example.com", now, c -> c.expirationTime(new java.util.Date(now + 3_600_000)));
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().identity(FakeIssuer.verified()).gatedStage("canary", 10, "10m")
        .stage("full", 100, "10m").build(), null, start);
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    assertEquals("bob@example.com", wf.status().releasedBy());
    wf.approve(json(Map.of("token", start)));
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(ReleaseState.AWAITING_PROMOTION, wf.status().state());
    assertTrue(messages(wf.audit(), "REFUSED").get(0).contains("already counted once in this release"),
        messages(wf.audit(), "REFUSED").toString());
    wf.approve(json(Map.of("token", token("bob@example.com"))));
    assertEquals(ReleaseState.COMPLETED, h.result(wf).state());
    assertEquals("release start", h.spentTokens.claims.get(0).decision());
  }

  @Test
  void anUnreachableRecordRefusesTheDecisionWhichCanBeSentAgain() {
    ReleaseWorkflow wf = gated("chat-c");
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    String bobs = token("bob@example.com");
    h.spentTokens.unreachable = true;
    wf.approve(json(Map.of("token", bobs)));
    h.env.sleep(Duration.ofMinutes(1));
    assertEquals(ReleaseState.AWAITING_PROMOTION, wf.status().state());
    String refusal = messages(wf.audit(), "REFUSED").get(0);
    assertTrue(refusal.contains("record of spent tokens (ripcord-spent-tokens) could not be reached")
        && refusal.contains("send the decision again"), refusal);
    h.spentTokens.unreachable = false;
    wf.approve(json(Map.of("token", bobs)));
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.COMPLETED, r.state(), r.audit().toString());
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(h.history(r.releaseId()).getEvents()));
  }
}

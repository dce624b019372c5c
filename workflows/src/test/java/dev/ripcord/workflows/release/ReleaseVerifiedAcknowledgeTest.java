package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.policy.PlaybookSpec;
import dev.ripcord.workflows.policy.PlaybookSpec.Step;
import dev.ripcord.workflows.testing.FakeIssuer;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Under verified identity a playbook step is acknowledged as every decision is taken: only with a token, whose
 * person is the owner; a typed name is refused and audited, and the token counts once.
 */
class ReleaseVerifiedAcknowledgeTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  private static final PlaybookSpec PLAYBOOK = new PlaybookSpec(null, List.of(
      new Step("ack", "acknowledge", null, List.of("on-call"), "1h", null, null, null, null, null, null)));

  private String token(String email) {
    long now = h.env.currentTimeMillis();
    return h.issuer.token(email, now, c -> c.expirationTime(new Date(now + 3_600_000)));
  }

  @Test
  void anOwnersTokenClosesTheStepWhileATypedNameOrAReusedTokenDoesNot() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().identity(FakeIssuer.verified()).build().withPlaybook(PLAYBOOK));
    h.env.sleep(Duration.ofMinutes(6));
    assertEquals(ReleaseState.ROLLED_BACK, wf.status().state());

    wf.acknowledge(json(Map.of("by", "carol@example.com", "step", "ack")));
    String bobs = token("bob@example.com");
    wf.acknowledge(json(Map.of("token", bobs, "step", "ack"))); // product owner: not an owner of the step
    String carols = token("carol@example.com");
    wf.acknowledge(json(Map.of("token", carols, "step", "ack", "comment", "customers told")));
    wf.acknowledge(json(Map.of("token", carols, "step", "ack")));
    ReleaseReport r = h.result(wf);

    List<String> refused = messages(r.audit(), "REFUSED");
    assertEquals(3, refused.size(), refused.toString());
    // Each token waits for its claim, so the two token refusals may come in either order.
    assertTrue(refused.get(0).startsWith("acknowledge refused: no token: under governance.identity.mode verified"),
        refused.get(0));
    // Bob's token is refused as not an owner's, or, when carol's claim came back first, because the step is done.
    assertTrue(refused.stream().anyMatch(m -> m.startsWith("acknowledge of 'ack' refused: ")
        || m.equals("acknowledge refused: step 'ack' is done; open steps: []")), refused.toString());
    assertTrue(refused.stream().anyMatch(m -> m.contains("already counted once in this release")), refused.toString());
    AuditEntry done = r.audit().stream().filter(e -> e.kind().equals("PLAYBOOK") && e.message().contains("'ack' done"))
        .findFirst().orElseThrow();
    assertEquals("carol@example.com", done.actor(), "the token's person, not a typed name");
    assertTrue(messages(r.audit(), "IDENTITY").stream().anyMatch(m -> m.startsWith("acknowledge of 'ack': verified")));
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(h.history(r.releaseId()).getEvents()));
  }

  @Test
  void underDeclaredIdentityATypedOwnerStillAcknowledgesAndATokenIsRefused() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build().withPlaybook(PLAYBOOK));
    h.env.sleep(Duration.ofMinutes(6));
    wf.acknowledge(json(Map.of("by", "carol@example.com", "step", "ack", "token", "eyJ.x.y")));
    wf.acknowledge(json(Map.of("by", "carol@example.com", "step", "ack")));
    ReleaseReport r = h.result(wf);
    List<String> refused = messages(r.audit(), "REFUSED");
    assertEquals(1, refused.size(), refused.toString());
    assertTrue(refused.get(0).contains("a token only counts under governance.identity.mode: verified"),
        refused.get(0));
    assertEquals(ReleaseState.ROLLED_BACK, r.state());
  }
}

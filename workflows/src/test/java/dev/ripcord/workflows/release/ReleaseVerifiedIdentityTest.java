package dev.ripcord.workflows.release;

import com.nimbusds.jose.util.Base64URL;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.testing.FakeIssuer;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static dev.ripcord.workflows.testing.ReleaseHarness.person;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verified identity: under {@code governance.identity.mode: verified} a decision counts only with a valid token from
 * the trusted issuer, and the person is the token's email, never a typed name. Everything refused is audited, and no
 * workflow task fails.
 */
class ReleaseVerifiedIdentityTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  private PolicyBuilder twoGates() {
    return PolicyBuilder.chat().identity(FakeIssuer.verified()).gatedStage("canary", 10, "10m")
        .gatedStage("full", 100, "10m");
  }

  private String token(String email) {
    return h.issuer.token(email, h.env.currentTimeMillis());
  }

  private static List<String> refusals(ReleaseWorkflow wf) {
    return messages(wf.audit(), "REFUSED");
  }

  @Test
  void aTokenDecidesAndTheAuditNamesItsPersonWhileATypedNameIsRefused() {
    ReleaseWorkflow wf = h.start(twoGates().build());
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    wf.approve(person("bob@example.com", null));
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(ReleaseState.AWAITING_PROMOTION, wf.status().state(), "a typed name counts for nothing");
    assertTrue(refusals(wf).get(0).startsWith("approve refused: no token: under governance.identity.mode verified"),
        refusals(wf).toString());

    wf.approve(json(Map.of("token", token("bob@example.com"), "comment", "evals look fine")));
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    assertEquals("full", wf.status().stage());
    wf.decide(new HumanDecision("approve", null, null, null, null, null, token("bob@example.com")));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state());
    List<AuditEntry> approvals = r.audit().stream().filter(e -> e.kind().equals("APPROVAL")).toList();
    assertEquals(List.of("bob@example.com", "bob@example.com"), approvals.stream().map(AuditEntry::actor).toList());
    assertTrue(approvals.get(0).message().contains("evals look fine"), approvals.get(0).message());
    List<String> verified = messages(r.audit(), "IDENTITY");
    assertTrue(verified.get(0).startsWith("decisions count only with a token from " + FakeIssuer.ISSUER), verified
        .toString());
    assertTrue(verified.get(1).startsWith("read the issuer's keys from " + FakeIssuer.JWKS + " (the release"
        + " starts): [k1]"), verified.get(1));
    assertTrue(verified.stream().filter(m -> m.startsWith("approve: verified (token ")).count() == 2, verified
        .toString());
    assertEquals(1, h.issuer.reads.get(), "the keys were read once, at the start");
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(h.history(r.releaseId()).getEvents()));
  }

  @Test
  void expiredForeignForgedAndReusedTokensAreRefusedAndAudited() {
    ReleaseWorkflow wf = h.start(twoGates().build());
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    long now = h.env.currentTimeMillis();
    wf.approve(json(Map.of("token", h.issuer.token("bob@example.com", now - 600_000))));
    wf.approve(json(Map.of("token", h.issuer.token("bob@example.com", now, c -> c.audience("billing")))));
    wf.approve(json(Map.of("token", FakeIssuer.sign(FakeIssuer.newKey("elsewhere"), "bob@example.com", now,
        c -> c.issuer("https://login.test/realms/elsewhere")))));
    String[] parts = token("alice@example.com").split("\\.");
    String edited = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
        .replace("alice@example.com", "bob@example.com");
    wf.approve(json(Map.of("token", parts[0] + "." + Base64URL.encode(edited) + "." + parts[2])));
    wf.approve(json(Map.of("token", token("alice@example.com"), "by", "bob@example.com")));
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(ReleaseState.AWAITING_PROMOTION, wf.status().state());
    assertEquals("canary", wf.status().stage());

    String bobs = h.issuer.token("bob@example.com", now, c -> c.expirationTime(new Date(now + 3_600_000)));
    wf.approve(json(Map.of("token", bobs)));
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals("full", wf.status().stage());
    wf.approve(json(Map.of("token", bobs)));
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals("full", wf.status().stage(), "a token decides once");

    // A token naming an unknown key waits in its handler for the keys to be read, so it may be judged after later
    // ones: each refusal is looked for, not its place.
    List<String> refused = refusals(wf);
    assertEquals(6, refused.size(), refused.toString());
    for (String expected : List.of(
        "approve refused: token expired at .* \\(30\\d s ago\\); get a new one \\(the token claims bob@example.com, not"
            + " verified\\)",
        "approve refused: token is for audience \\[billing\\], not 'ripcord' .*",
        "approve refused: token names key 'elsewhere', which the issuer's key set \\(1 key\\(s\\)\\) does not hold.*",
        "approve refused: signature does not verify with the issuer's key 'k1'.*\\(the token claims bob@example.com,"
            + " not verified\\)",
        "approve refused: 'by' says bob@example.com but the token is alice@example.com's: under verified identity the"
            + " token names the person; leave 'by' out",
        "approve refused: this token \\(id .*\\) already counted once in this release \\(presented with a decision,"
            + " taken or refused\\); every decision needs a fresh token from .*")) {
      assertTrue(refused.stream().anyMatch(m -> m.matches(expected)), expected + " in " + refused);
    }
    assertTrue(wf.audit().stream().filter(e -> e.kind().equals("REFUSED")).allMatch(e -> e.actor() == null),
        "a refused token is nobody's decision");
    assertEquals(2, h.issuer.reads.get(), "the unknown key read the keys once more, no more");

    wf.approve(json(Map.of("token", token("bob@example.com"))));
    assertEquals(ReleaseState.COMPLETED, h.result(wf).state());
    assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(h.history(wf.status().releaseId()).getEvents()));
  }

  @Test
  void aRotatedKeyIsReadAgainWhenATokenNamesItAndAtMostOnceAMinute() {
    ReleaseWorkflow wf = h.start(twoGates().build());
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    h.issuer.rotate("k2");
    wf.approve(json(Map.of("token", token("bob@example.com"))));
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals("full", wf.status().stage(), "signed with the new key, read in the signal's handler");
    assertEquals(2, h.issuer.reads.get());
    assertTrue(messages(wf.audit(), "IDENTITY").contains("read the issuer's keys from " + FakeIssuer.JWKS
        + " (a token names key 'k2'): [k2]"), messages(wf.audit(), "IDENTITY").toString());

    h.issuer.rotate("k3");
    String foreign = FakeIssuer.sign(FakeIssuer.newKey("zz"), "bob@example.com", h.env.currentTimeMillis(), c -> {});
    wf.approve(json(Map.of("token", foreign)));
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(3, h.issuer.reads.get(), "an unknown key reads the keys again (and finds k3, not zz)");
    wf.approve(json(Map.of("token", FakeIssuer.sign(FakeIssuer.newKey("zz2"), "bob@example.com",
        h.env.currentTimeMillis(), c -> {}))));
    h.env.sleep(Duration.ofSeconds(1));
    assertEquals(3, h.issuer.reads.get(), "within a minute of the last read, an unknown key reads nothing");
    assertEquals("full", wf.status().stage());
    wf.approve(json(Map.of("token", token("bob@example.com"))));
    assertEquals(ReleaseState.COMPLETED, h.result(wf).state(), "k3 was read with the foreign token's re-read");
    assertEquals(3, h.issuer.reads.get());
  }

  @Test
  void theReleaserIsWhomTheStartTokenNamesAndIsKeptFromTheirOwnPromotion() {
    PolicyBuilder p = PolicyBuilder.chat().identity(FakeIssuer.verified())
        .role("product-owner", "bob@example.com", "erin@example.com").gatedStage("canary", 10, "10m")
        .stage("full", 100, "10m").right("promote", new DecisionRight(List.of("product-owner"), "2h", "hold", null,
            null, null, null, List.of(DecisionRight.RELEASER)));
    ReleaseWorkflow wf = h.start(p.build(), null, token("bob@example.com"));
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    assertEquals("bob@example.com", wf.status().releasedBy());
    wf.approve(json(Map.of("token", token("bob@example.com"))));
    h.env.sleep(Duration.ofSeconds(1));
    assertTrue(refusals(wf).get(0).startsWith("approve refused: bob@example.com started this release and may not"
        + " approve its promotion"), refusals(wf).toString());
    wf.approve(json(Map.of("token", token("erin@example.com"))));
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.COMPLETED, r.state());
    assertTrue(messages(r.audit(), "IDENTITY").stream().anyMatch(m -> m.startsWith("started the release, verified")));
  }

  @Test
  void aSeparatedPolicyWithoutAStartTokenMayNotStartAndNothingMoves() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().identity(FakeIssuer.verified()).gatedStage("canary", 10, "10m")
        .right("promote", new DecisionRight(List.of("product-owner"), "2h", "hold", null, null, null, null,
            List.of(DecisionRight.RELEASER))).build(), "bob@example.com", null);
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> h.result(wf));
    ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals("Unverified", f.getType());
    assertTrue(f.getOriginalMessage().contains("must be started with a token") && f.getOriginalMessage()
        .contains("the typed name 'bob@example.com' does not count"), f.getOriginalMessage());
    assertEquals(List.of(), h.router.calls());
  }

  @Test
  void aStartTokenThatDoesNotVerifyRefusesTheStart() {
    ReleaseWorkflow wf = h.start(twoGates().build(), null, h.issuer.token("bob@example.com",
        h.env.currentTimeMillis(), c -> c.expirationTime(new Date(0))));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(ReleaseReport.class));
    assertTrue(e.getCause().getMessage().contains("who started the release is not verified: token expired"),
        e.getCause().getMessage());
    assertEquals(List.of(), h.router.calls());
  }

  @Test
  void underDeclaredIdentityATokenFieldIsRefusedAsBefore() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().gatedStage("canary", 10, "10m").build());
    h.awaitState(wf, ReleaseState.AWAITING_PROMOTION);
    wf.approve(json(Map.of("by", "bob@example.com", "token", "x.y.z")));
    DecisionAnswer a = wf.decide(new HumanDecision("approve", "bob@example.com", null, null, null, null, "x.y.z"));
    assertFalse(a.accepted());
    assertTrue(a.reason().startsWith("a token only counts under governance.identity.mode: verified"), a.reason());
    // The signal and the update may land in one workflow task in either order; each is refused for its reason.
    assertTrue(refusals(wf).stream().anyMatch(x -> x.contains("unknown field 'token' (fields are by, role, comment)")),
        refusals(wf).toString());
    assertNull(wf.status().releasedBy());
    wf.approve(person("bob@example.com", null));
    assertEquals(ReleaseState.COMPLETED, h.result(wf).state());
  }
}

package dev.ripcord.workflows.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.policy.GovernanceSpec;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may take which decision, in which role, without Temporal. */
class DecisionRightsTest {
  private static final GovernanceSpec G = new GovernanceSpec(
      Map.of("safety-lead", List.of("alice"), "on-call", List.of("carol", "dave"), "product-owner", List.of("dave")),
      Map.of("rollback", new DecisionRight(List.of("safety-lead", "on-call"), "30m", "rollback"),
          "promote", new DecisionRight(List.of("product-owner"), "2h", "hold")));

  private static HumanDecision by(String who, String role) {
    return new HumanDecision("approve", who, role, null, null);
  }

  @Test
  void aRoleHolderMayAndTheRoleIsTheFirstTheRightAllows() {
    DecisionRights.Check c = DecisionRights.check(G, "rollback", by("carol", null));
    assertTrue(c.allowed());
    assertEquals("on-call", c.role());
    assertEquals("product-owner", DecisionRights.check(G, "promote", by("dave", null)).role(),
        "dave is on call too, but only the product owner may promote");
  }

  @Test
  void everyRefusalSaysWhy() {
    assertEquals("mallory holds no role in this release's policy",
        DecisionRights.check(G, "rollback", by("mallory", null)).refusal());
    assertEquals("carol does not hold the role 'safety-lead' (holds [on-call])",
        DecisionRights.check(G, "rollback", by("carol", "safety-lead")).refusal());
    assertEquals("role 'on-call' may not promote; the policy allows [product-owner]",
        DecisionRights.check(G, "promote", by("carol", "on-call")).refusal());
    assertEquals("carol holds [on-call], but 'promote' needs one of [product-owner]",
        DecisionRights.check(G, "promote", by("carol", null)).refusal());
    DecisionRights.Check none = DecisionRights.check(G, "rerelease", by("alice", null));
    assertFalse(none.allowed());
    assertNull(none.role());
    assertEquals("the policy grants no one the 'rerelease' decision", none.refusal());
  }

  @Test
  void anEscalationWidensWhoMayDecide() {
    assertFalse(DecisionRights.check(G, "promote", by("alice", null)).allowed());
    assertTrue(DecisionRights.check(G, "promote", List.of("product-owner", "safety-lead"), by("alice", null))
        .allowed());
  }

  private static GovernanceSpec separated() {
    List<String> releaser = List.of(DecisionRight.RELEASER);
    return new GovernanceSpec(Map.of("product-owner", List.of("bob"), "on-call", List.of("carol")), Map.of(
        "promote", new DecisionRight(List.of("product-owner"), "2h", "hold", null, null, null, null, releaser),
        "rollback", new DecisionRight(List.of("on-call", "product-owner"), "30m", "rollback", null, null, null, null,
            releaser),
        "resume", new DecisionRight(List.of("product-owner"), "4h", "rollback", null, null, null, null, releaser),
        "rerelease", new DecisionRight(List.of("product-owner"), "7d", null, null, null, null, null, releaser)));
  }

  @Test
  void theReleaserIsKeptFromTheRiskySideOfEachRightThatSaysSo() {
    GovernanceSpec g = separated();
    assertTrue(DecisionRights.releaserRefusal(g, "promote", "approve", "bob", "bob").startsWith("bob started this"
        + " release and may not approve its promotion (governance.decisions.promote.notBy: [releaser])"));
    assertTrue(DecisionRights.releaserRefusal(g, "rollback", "reject", "bob", "bob").contains("refuse its rollback"));
    assertTrue(DecisionRights.releaserRefusal(g, "resume", "approve", "bob", "bob").contains("resume it after"));
    assertTrue(DecisionRights.releaserRefusal(g, "rerelease", "rerelease", "bob", "bob").contains("re-release it"));
  }

  @Test
  void theSafeSideSomeoneElseOrAnUnsaidReleaserAreNotKept() {
    GovernanceSpec g = separated();
    assertNull(DecisionRights.releaserRefusal(g, "rollback", "approve", "bob", "bob"), "approving a rollback is safe");
    assertNull(DecisionRights.releaserRefusal(g, "rollback", "rollback", "bob", "bob"), "asking for one too");
    assertNull(DecisionRights.releaserRefusal(g, "promote", "reject", "bob", "bob"),
        "rejecting a promotion rolls back");
    assertNull(DecisionRights.releaserRefusal(g, "promote", "approve", "carol", "bob"));
    assertNull(DecisionRights.releaserRefusal(g, "promote", "approve", "bob", null), "nobody said who started it");
    assertNull(DecisionRights.releaserRefusal(G, "promote", "approve", "bob", "bob"), "a right without notBy");
  }
}

package dev.ripcord.workflows.approval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ripcord.workflows.approval.RereleaseRequest;
import dev.ripcord.workflows.policy.PolicyGate;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a re-release may change, judged without Temporal. */
class RereleaseRulesTest {
  private final ReleasePolicy rolledBack = PolicyBuilder.chat().build(); // candidate v2, baseline v1, eval-12

  private static RereleaseRequest ask(String candidate, String evalReport, ObjectNode policy) {
    return new RereleaseRequest("alice@example.com", null, candidate, evalReport, null, policy);
  }

  private RereleaseRules.Ruling rule(RereleaseRequest q) {
    return RereleaseRules.rule(rolledBack, q, new PolicyGate.Rules(() -> {
      throw new AssertionError("a release started today is never judged by the rules before strict-policy");
    }, () -> false));
  }

  @Test
  void aFixedCandidateRollsOutUnderTheSameRules() {
    RereleaseRules.Ruling j = rule(ask("v3", null, null));
    assertNull(j.refusal());
    assertEquals("v3", j.next().release().candidate());
    assertTrue(j.newCandidate());
    assertFalse(j.revised());
    assertEquals(PolicyLoader.hash(j.next()), j.nextHash());
  }

  @Test
  void theSameCandidateNeedsANewEvalReport() {
    assertTrue(rule(ask("v2", null, null)).refusal().contains("name the fixed candidate or a new eval report"));
    assertTrue(rule(ask(null, "eval-12", null)).refusal().contains("with eval report eval-12"));
    RereleaseRules.Ruling j = rule(ask(null, "eval-13", null));
    assertNull(j.refusal());
    assertEquals("v2", j.next().release().candidate());
    assertTrue(j.newReport());
  }

  @Test
  void theBaselineIsNotAFix() {
    assertTrue(rule(ask("v1", null, null)).refusal().contains("is the baseline"));
  }

  @Test
  void aRevisedPolicyMayChangeTheRulesButNotWhatIsReleased() {
    ReleasePolicy tightened = PolicyBuilder.chat().hallucinationLimit(6, "rollback", 1, 1).build();
    RereleaseRules.Ruling j = rule(ask("v3", null, ReleaseHarness.JSON.valueToTree(tightened)));
    assertNull(j.refusal());
    assertTrue(j.revised());

    ObjectNode otherBaseline = ReleaseHarness.JSON.valueToTree(tightened);
    ((ObjectNode) otherBaseline.get("release")).put("baseline", "v0");
    assertTrue(rule(ask("v3", null, otherBaseline)).refusal()
        .contains("revised policy changes release.baseline (v1 → v0)"));

    ObjectNode noStages = ReleaseHarness.JSON.valueToTree(tightened);
    noStages.putArray("stages");
    assertTrue(rule(ask("v3", null, noStages)).refusal().startsWith("revised policy: "));
  }
}

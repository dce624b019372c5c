package dev.ripcord.workflows.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.policy.GovernanceSpec;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.policy.GovernanceSpec.Escalation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gates' rules, without Temporal: quorum, per-role quorum, deadlines and their defaults, escalation. */
class GatesTest {
  private static final long T0 = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;

  private static GovernanceSpec governance(DecisionRight rollback) {
    return new GovernanceSpec(Map.of(
        "oncall", List.of("ann", "bob"),
        "safety-lead", List.of("sam"),
        "product-owner", List.of("pat", "bob")),
        Map.of("rollback", rollback, "promote", new DecisionRight(List.of("product-owner"), "30m", "continue"),
            "resume", new DecisionRight(List.of("oncall"), "10m", "hold")));
  }

  private static final DecisionRight QUORUM_TWO = new DecisionRight(List.of("oncall", "safety-lead",
      "product-owner"), "30m", "rollback", 2, List.of(new Escalation("10m", List.of("safety-lead"))),
      List.of("safety-lead"));

  @Test
  void anOpenDecisionHasItsDeadlineInWorkflowTimeAndTheRightsQuorum() {
    OpenDecision o = Gates.ask("rollback", QUORUM_TWO, T0, "why", List.of("c"));
    assertEquals("2026-12-01T10:00:00Z", o.requestedAt());
    assertEquals("2026-12-01T10:30:00Z", o.deadline());
    assertEquals(2, o.quorum());
    assertEquals(List.of(), o.approvalsSoFar());
    assertNull(Gates.ask("rollback", new DecisionRight(List.of("oncall"), null, "hold"), T0, "", List.of())
        .deadline());
  }

  @Test
  void approveAndRejectAnswerWhateverIsOpenAnInvestigationOnlyAResume() {
    OpenDecision rollback = Gates.ask("rollback", QUORUM_TWO, T0, "", List.of());
    OpenDecision resume = Gates.ask("resume", governance(QUORUM_TWO).right("resume"), T0, "", List.of());
    assertEquals("rollback", DecisionKind.APPROVE.rightAddressed(rollback));
    assertEquals("rollback", DecisionKind.REJECT.rightAddressed(rollback));
    assertNull(DecisionKind.APPROVE.rightAddressed(null));
    assertNull(DecisionKind.INVESTIGATE.rightAddressed(rollback));
    assertEquals("resume", DecisionKind.INVESTIGATE.rightAddressed(resume));
    assertEquals("pause", DecisionKind.PAUSE.rightAddressed(null));
    assertEquals("approve", DecisionKind.INVESTIGATE.effective("continue", true));
    assertEquals("reject", DecisionKind.INVESTIGATE.effective("rollback", true));
    assertEquals("hold", DecisionKind.INVESTIGATE.effective("hold", true));
    assertEquals("approve", DecisionKind.RESUME.effective(null, true));
    assertEquals("resume", DecisionKind.RESUME.effective(null, false));
  }

  @Test
  void aQuorumNeedsDifferentPeopleAndEveryRequiredRole() {
    GovernanceSpec g = governance(QUORUM_TWO);
    OpenDecision o = Gates.ask("rollback", QUORUM_TWO, T0, "", List.of());
    Gates.Approval first = Gates.approve(o, g, "ann", null, "oncall");
    assertNull(first.refusal());
    assertFalse(first.reached());
    assertEquals(List.of("safety-lead"), first.missing());

    Gates.Approval again = Gates.approve(first.open(), g, "ann", null, "oncall");
    assertTrue(again.refusal().contains("already approved"), again.refusal());

    Gates.Approval second = Gates.approve(first.open(), g, "bob", null, "oncall");
    assertEquals(2, second.count());
    assertFalse(second.reached(), "two people, but no safety lead");

    Gates.Approval lead = Gates.approve(first.open(), g, "sam", null, "safety-lead");
    assertTrue(lead.reached());
    assertEquals(List.of("ann", "sam"), lead.open().approvalsSoFar());
    assertEquals(List.of("oncall", "safety-lead"), lead.open().rolesSoFar());
  }

  @Test
  void aPersonWhoNamesNoRoleCountsInARequiredRoleTheyHold() {
    DecisionRight right = new DecisionRight(List.of("oncall", "product-owner"), null, "hold", 2, null,
        List.of("product-owner"));
    GovernanceSpec g = governance(right);
    OpenDecision o = Gates.ask("rollback", right, T0, "", List.of());
    // bob is on call and a product owner; the check allowed him as on call, the missing role is product owner.
    assertEquals("product-owner", Gates.approve(o, g, "bob", null, "oncall").role());
    assertEquals("oncall", Gates.approve(o, g, "bob", "oncall", "oncall").role(), "a named role is kept");
  }

  @Test
  void answersSettleAsTheRightsQuestion() {
    OpenDecision o = Gates.ask("rollback", QUORUM_TWO, T0, "", List.of());
    assertInstanceOf(Settlement.Open.class, Gates.settle(o, null, null, T0 + MINUTE));
    assertEquals(new Settlement.Granted("ann + sam", false), Gates.settle(o, "approve", "ann + sam", T0));
    assertEquals(new Settlement.Refused("bob", false), Gates.settle(o, "reject", "bob", T0));
    assertEquals(new Settlement.Held("bob", false), Gates.settle(o, "hold", "bob", T0));
  }

  @Test
  void aPassedDeadlineAppliesOnTimeoutAsWhatTheReleaseDoes() {
    GovernanceSpec g = governance(QUORUM_TWO);
    long late = T0 + 31 * MINUTE;
    // onTimeout: rollback grants a rollback ...
    assertEquals(new Settlement.Granted(Gates.DEADLINE, true),
        Gates.settle(Gates.ask("rollback", QUORUM_TWO, T0, "", List.of()), null, null, late));
    // ... and refuses a promotion; continue does the opposite; hold holds.
    DecisionRight promoteOrRollBack = new DecisionRight(List.of("product-owner"), "30m", "rollback");
    assertEquals(new Settlement.Refused(Gates.DEADLINE, true),
        Gates.settle(Gates.ask("promote", promoteOrRollBack, T0, "", List.of()), null, null, late));
    assertEquals(new Settlement.Granted(Gates.DEADLINE, true),
        Gates.settle(Gates.ask("promote", g.right("promote"), T0, "", List.of()), null, null, late));
    DecisionRight rollbackOrContinue = new DecisionRight(List.of("oncall"), "30m", "continue");
    assertEquals(new Settlement.Refused(Gates.DEADLINE, true),
        Gates.settle(Gates.ask("rollback", rollbackOrContinue, T0, "", List.of()), null, null, late));
    assertEquals(new Settlement.Held(Gates.DEADLINE, true),
        Gates.settle(Gates.ask("resume", g.right("resume"), T0, "", List.of()), null, null, late));
    assertFalse(Gates.deadlinePassed(Gates.ask("resume", g.right("resume"), T0, "", List.of()), T0 + 9 * MINUTE));
  }

  @Test
  void escalationWidensTheRolesOnceEachStepIsDue() {
    GovernanceSpec g = governance(QUORUM_TWO);
    DecisionRight narrow = new DecisionRight(List.of("oncall"), "30m", "rollback", 1,
        List.of(new Escalation("10m", List.of("safety-lead")), new Escalation("20m", List.of("product-owner"))));
    GovernanceSpec chain = new GovernanceSpec(g.roles(), Map.of("rollback", narrow));
    OpenDecision o = Gates.ask("rollback", narrow, T0, "", List.of());
    assertEquals(T0 + 10 * MINUTE, Gates.nextEscalationAt(o, chain, false));
    assertEquals(0, Gates.nextEscalationAt(o, chain, true), "an answered decision does not escalate");

    Gates.Escalated first = Gates.escalate(o, chain);
    assertEquals(List.of("oncall", "safety-lead"), first.open().roles());
    assertEquals(T0 + 20 * MINUTE, Gates.nextEscalationAt(first.open(), chain, false));
    Gates.Escalated second = Gates.escalate(first.open(), chain);
    assertEquals(List.of("oncall", "safety-lead", "product-owner"), second.open().roles());
    assertEquals(0, Gates.nextEscalationAt(second.open(), chain, false), "the chain is done");
  }

  @Test
  void aDecisionHeldAgainAndAgainKeepsItsFirstReasonWithoutGrowing() {
    String reason = "rollback of [utility-drift]: utility 0.741 vs baseline 0.800";
    String asked = reason;
    for (int i = 0; i < 17; i++) {
      asked = Gates.askedAgain(new Settlement.Held(Gates.DEADLINE, true), asked);
    }
    assertEquals("still waiting (deadline passed, policy says hold): " + reason, asked);
    asked = Gates.askedAgain(new Settlement.Held("alice@example.com", false), asked);
    assertEquals("held by alice@example.com: " + reason, asked);
    assertEquals("still waiting (deadline passed, policy says hold): " + reason,
        Gates.askedAgain(new Settlement.Held(Gates.DEADLINE, true), asked));
  }
}

package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.policy.GovernanceSpec.Unsafe;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rollback that waits for people keeps a deadline that rolls back, unless the policy says why not. */
class FailSafeChecksTest {
  private static List<String> problems(DecisionRight rollback) {
    return FailSafeChecks.problems(PolicyBuilder.chat().right("rollback", rollback).build()).stream()
        .map(PolicyProblem::toString).toList();
  }

  private static DecisionRight right(String deadline, String onTimeout, Unsafe unsafe) {
    return new DecisionRight(List.of("on-call"), deadline, onTimeout, null, null, null, unsafe);
  }

  @Test
  void aDeadlineThatRollsBackIsTheDefaultAndNeedsNoReason() {
    assertEquals(List.of(), problems(right("15m", "rollback", null)));
    assertEquals(List.of(), FailSafeChecks.waivers(PolicyBuilder.chat().build()));
  }

  @Test
  void noDeadlineOrAnotherDefaultIsRefusedWithTheFix() {
    List<String> none = problems(right(null, null, null));
    assertEquals(1, none.size(), none.toString());
    assertTrue(none.get(0).startsWith("$.governance.decisions.rollback.deadline: is required")
        && none.get(0).contains("unsafe: {reason: ...}"), none.get(0));
    for (String other : List.of("continue", "hold")) {
      List<String> p = problems(right("15m", other, null));
      assertTrue(p.size() == 1 && p.get(0).startsWith("$.governance.decisions.rollback.onTimeout: '" + other
          + "' leaves the candidate exposed") && p.get(0).contains("write onTimeout: rollback"), p.toString());
    }
  }

  @Test
  void aStatedReasonWaivesTheDefaultAndIsShown() {
    Unsafe why = new Unsafe("the rollback is a manual migration");
    assertEquals(List.of(), problems(right("15m", "hold", why)));
    assertEquals(List.of("rollback approval without a deadline (unsafe: the rollback is a manual migration)"),
        FailSafeChecks.waivers(PolicyBuilder.chat().right("rollback", right(null, null, why)).build()));
  }

  @Test
  void aWaiverMustSayWhyAndMustWaiveSomething() {
    List<String> blank = problems(right(null, null, new Unsafe(" ")));
    assertTrue(blank.size() == 1 && blank.get(0).startsWith("$.governance.decisions.rollback.unsafe.reason: is"
        + " required"), blank.toString());
    List<String> needless = problems(right("15m", "rollback", new Unsafe("just in case")));
    assertTrue(needless.size() == 1 && needless.get(0).startsWith("$.governance.decisions.rollback.unsafe: waives"
        + " nothing"), needless.toString());
  }

  @Test
  void theValidatorAppliesTheseRulesToEveryPolicyItChecks() {
    assertTrue(PolicyValidator.validate(PolicyBuilder.chat().right("rollback", right(null, null, null)).build())
        .stream().anyMatch(p -> p.path().equals("$.governance.decisions.rollback.deadline")));
  }
}

package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which rules a release judges its policy by, and that each "started before" is asked only when its rules object. */
class PolicyGateTest {
  private final AtomicInteger asked = new AtomicInteger();

  private PolicyGate.Rules rules(boolean beforeFailSafe) {
    return new PolicyGate.Rules(() -> {
      throw new AssertionError("these policies keep the ranges of strict-policy");
    }, () -> {
      asked.incrementAndGet();
      return beforeFailSafe;
    });
  }

  private static final ReleasePolicy UNSAFE = PolicyBuilder.chat()
      .right("rollback", new DecisionRight(List.of("on-call"), null, null)).build();

  @Test
  void aReleaseStartedBeforeTheFailSafeRulesKeepsItsPolicy() {
    assertEquals(List.of(), PolicyGate.problems(UNSAFE, rules(true)));
    assertEquals(1, asked.get());
  }

  @Test
  void aReleaseStartedSinceIsRefused() {
    assertTrue(PolicyGate.problems(UNSAFE, rules(false)).stream()
        .anyMatch(p -> p.path().equals("$.governance.decisions.rollback.deadline")));
  }

  @Test
  void aJudgedSignalFromPrometheusIsRefusedOnlyForAReleaseStartedSinceTheSourceFitRule() {
    ReleasePolicy judged = PolicyBuilder.chat().source("prometheus")
        .judge(new dev.ripcord.workflows.policy.JudgeSpec("grounding-judge", "gj-4", null, null, null)).build();
    AtomicInteger askedFit = new AtomicInteger();
    java.util.function.Function<Boolean, PolicyGate.Rules> fit = before -> new PolicyGate.Rules(() -> false,
        () -> false, () -> false, () -> {
          askedFit.incrementAndGet();
          return before;
        });
    assertTrue(PolicyGate.problems(judged, fit.apply(false)).stream()
        .anyMatch(p -> p.path().equals("$.signals[0].judge")));
    assertTrue(PolicyGate.problems(judged, fit.apply(true)).stream()
        .noneMatch(p -> p.path().equals("$.signals[0].judge")), "a release started before keeps its policy");
    assertEquals(2, askedFit.get());
    PolicyGate.problems(PolicyBuilder.chat().source("prometheus").build(), fit.apply(false));
    assertEquals(2, askedFit.get(), "no marker for a policy the rule does not object to");
  }

  @Test
  void aFailSafePolicyNeverAsks() {
    assertEquals(List.of(), PolicyGate.problems(PolicyBuilder.chat().build(), rules(false)));
    assertEquals(0, asked.get(), "no marker for a policy the rules do not object to");
  }
}

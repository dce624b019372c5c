package dev.ripcord.workflows.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.workflows.decision.CriterionResult.Status;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.CriterionSpec;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine alone: no Temporal, milliseconds per test. */
class CriteriaEngineTest {
  private final CriteriaEngine engine = new CriteriaEngine();

  private static Observation obs(long halluc, long trials, long baseHalluc, Double latency) {
    Map<String, SignalReading> s = new LinkedHashMap<>();
    s.put("hallucination", new SignalReading(Arm.counts(halluc, trials), Arm.counts(baseHalluc, 10_000), null));
    if (latency != null) {
      s.put("latency_p99_ms", new SignalReading(Arm.value(latency), null, null));
    }
    return new Observation("t", null, "canary", s, "test", null);
  }

  private static ReleasePolicy with(CriterionSpec... criteria) {
    ReleasePolicy p = PolicyBuilder.chat().build();
    return new ReleasePolicy(p.apiVersion(), p.release(), p.router(), p.observations(), p.evaluation(), p.stages(),
        p.signals(), List.of(criteria), p.governance(), p.rollback(), p.notifications());
  }

  private static ConditionSpec leaf(String signal, Double above, Double ratioAbove) {
    return new ConditionSpec(signal, above, null, ratioAbove, null, 1000L, null, null, null, null);
  }

  private List<Decision> run(ReleasePolicy p, Observation... windows) {
    EngineState s = engine.start(p);
    List<Decision> out = new java.util.ArrayList<>();
    for (Observation o : windows) {
      Evaluation e = engine.evaluate(p, s, o);
      s = e.state();
      out.add(e.decision());
    }
    return out;
  }

  @Test
  void aBreachMustBeSustainedMOfNBeforeItFires() {
    ReleasePolicy p = PolicyBuilder.chat().build(); // hallucination > 8/10k, 2 of 3
    List<Decision> d = run(p, obs(20, 10_000, 5, null), obs(5, 10_000, 5, null), obs(5, 10_000, 5, null),
        obs(20, 10_000, 5, null), obs(20, 10_000, 5, null));
    assertEquals(List.of("hallucination-limit"), d.get(0).pending());
    assertEquals(Verdict.CONTINUE, d.get(0).verdict());
    assertEquals(Verdict.CONTINUE, d.get(3).verdict(), "1 of the last 3 after the earlier spike aged out");
    assertEquals(Verdict.ROLLBACK, d.get(4).verdict());
    assertTrue(d.get(4).explanation().contains("hallucination 20.0/10k > 8.0/10k in 2 of last 3 windows"),
        d.get(4).explanation());
  }

  @Test
  void tooFewSamplesIsInconclusiveNeverHealthyAndTooManyInARowFiresTheFallback() {
    ReleasePolicy p = PolicyBuilder.chat().inconclusive(3, "pause-and-investigate").build();
    List<Decision> d = run(p, obs(0, 200, 5, null), obs(0, 200, 5, null), obs(0, 200, 5, null));
    assertEquals(Status.INCONCLUSIVE, d.get(0).results().get(0).status());
    assertTrue(d.get(0).explanation().contains("only 200 of 1000 samples"), d.get(0).explanation());
    assertEquals(Verdict.PAUSE_AND_INVESTIGATE, d.get(2).verdict());
    assertTrue(d.get(2).explanation().contains("no conclusive data"));
  }

  @Test
  void comparesTheCandidateWithTheConcurrentBaseline() {
    ReleasePolicy p = with(new CriterionSpec("worse-than-baseline", null, null, "rollback",
        leaf("hallucination", null, 1.5), null));
    assertEquals(Verdict.CONTINUE, run(p, obs(12, 10_000, 10, null)).get(0).verdict(), "1.2x is within 1.5x");
    Decision d = run(p, obs(30, 10_000, 10, null)).get(0);
    assertEquals(Verdict.ROLLBACK, d.verdict());
    assertTrue(d.explanation().contains("vs baseline 10.0/10k, ratio 2.90 > 1.50"), d.explanation());
  }

  @Test
  void compositesNeedTheirFactors() {
    ConditionSpec latency = leaf("latency_p99_ms", 1000.0, null);
    ConditionSpec halluc = leaf("hallucination", 8.0, null);
    ReleasePolicy all = with(new CriterionSpec("both", null, null, "rollback",
        new ConditionSpec(null, null, null, null, null, null, List.of(latency, halluc), null, null, null), null));
    ReleasePolicy atLeast = with(new CriterionSpec("two-of", null, null, "rollback-after-approval",
        new ConditionSpec(null, null, null, null, null, null, null, null, 2,
            List.of(latency, halluc, leaf("hallucination", null, 1.5))), null));
    assertEquals(Verdict.CONTINUE, run(all, obs(20, 10_000, 5, 500.0)).get(0).verdict());
    assertEquals(Verdict.ROLLBACK, run(all, obs(20, 10_000, 5, 1500.0)).get(0).verdict());
    assertEquals(Verdict.ROLLBACK_AFTER_APPROVAL, run(atLeast, obs(20, 10_000, 5, 500.0)).get(0).verdict(),
        "the absolute and the relative hallucination limits are two factors");
    assertEquals(Verdict.CONTINUE, run(atLeast, obs(5, 10_000, 5, 1500.0)).get(0).verdict());
    Decision missing = run(all, obs(20, 10_000, 5, null)).get(0);
    assertEquals(Status.INCONCLUSIVE, missing.results().get(0).status(), "a missing factor is not a healthy one");
  }

  @Test
  void theMostSevereFiredActionWins() {
    ReleasePolicy p = with(
        new CriterionSpec("alert", null, null, "alert-only", leaf("latency_p99_ms", 100.0, null), null),
        new CriterionSpec("hard", null, null, "rollback", leaf("hallucination", 8.0, null), null),
        new CriterionSpec("soft", null, null, "rollback-after-approval", leaf("hallucination", 4.0, null), null));
    Decision d = run(p, obs(20, 10_000, 5, 500.0)).get(0);
    assertEquals(Verdict.ROLLBACK, d.verdict());
    assertEquals(List.of("alert", "hard", "soft"), d.fired());
  }

  @Test
  void isDeterministicAndItsStateSurvivesSerialisation() throws Exception {
    ReleasePolicy p = PolicyBuilder.chat().build();
    ObjectMapper json = new ObjectMapper();
    EngineState s = engine.start(p);
    Evaluation first = engine.evaluate(p, s, obs(20, 10_000, 5, null));
    EngineState copy = json.readValue(json.writeValueAsString(first.state()), EngineState.class);
    assertEquals(first.state(), copy);
    Evaluation a = engine.evaluate(p, first.state(), obs(20, 10_000, 5, null));
    Evaluation b = engine.evaluate(p, copy, obs(20, 10_000, 5, null));
    assertEquals(a, b);
    assertEquals(Verdict.ROLLBACK, b.decision().verdict());
    assertEquals(Verdict.CONTINUE, engine.evaluate(p, engine.forget(b.state(), List.of("hallucination-limit")),
        obs(20, 10_000, 5, null)).decision().verdict(), "forgetting resets the sustain window");
  }
}

package dev.ripcord.workflows.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.workflows.decision.CriterionResult.Status;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.stats.SequentialTest;
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

  private List<WindowVerdict> run(ReleasePolicy p, Observation... windows) {
    EngineState s = engine.start(p);
    List<WindowVerdict> out = new java.util.ArrayList<>();
    for (Observation o : windows) {
      Evaluation e = engine.evaluate(p, s, o);
      s = e.state();
      out.add(e.verdict());
    }
    return out;
  }

  @Test
  void aBreachMustBeSustainedMOfNBeforeItFires() {
    ReleasePolicy p = PolicyBuilder.chat().build(); // hallucination > 8/10k, 2 of 3
    List<WindowVerdict> d = run(p, obs(20, 10_000, 5, null), obs(5, 10_000, 5, null), obs(5, 10_000, 5, null),
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
    List<WindowVerdict> d = run(p, obs(0, 200, 5, null), obs(0, 200, 5, null), obs(0, 200, 5, null));
    assertEquals(Status.INCONCLUSIVE, d.get(0).results().get(0).status());
    assertTrue(d.get(0).explanation().contains("only 200 of 1000 samples"), d.get(0).explanation());
    assertEquals(Verdict.PAUSE_AND_INVESTIGATE, d.get(2).verdict());
    assertTrue(d.get(2).explanation().contains("no conclusive data"));
  }

  /** 4 of every 5 windows without enough data: never 5 in a row, 16 of 20 over the span. */
  private static Observation[] missingFourOfFive(int windows) {
    Observation[] w = new Observation[windows];
    for (int i = 0; i < windows; i++) {
      w[i] = i % 5 == 4 ? obs(5, 10_000, 5, null) : obs(0, 200, 5, null);
    }
    return w;
  }

  @Test
  void evidenceMissingInMostWindowsFiresTheFallbackOverTheSpanNotOnlyInARow() {
    ReleasePolicy p = PolicyBuilder.chat().build(); // maxInconclusive 5 (default), span 20 (default)
    List<WindowVerdict> d = run(p, missingFourOfFive(20));
    int first = -1;
    for (int i = 0; i < d.size() && first < 0; i++) {
      first = d.get(i).verdict() == Verdict.PAUSE_AND_INVESTIGATE ? i + 1 : -1;
    }
    assertEquals(11, first, "windows 1-4 come before any evidence; then 6-9 and 11 are the 5th of the span");
    assertTrue(d.get(10).explanation().contains("no conclusive data") && d.get(10).explanation().contains("5 of the"
        + " last 7 windows inconclusive, limit 5 reached"), d.get(10).explanation());
  }

  @Test
  void beforeTheSpanRuleOnlyARunCountedAndTheRuleIsAskedOnlyWhereItDecides() {
    ReleasePolicy p = PolicyBuilder.chat().build();
    EngineState s = engine.start(p);
    int asked = 0;
    for (Observation o : missingFourOfFive(20)) {
      int[] n = {0};
      Evaluation e = engine.evaluate(p, s, o, () -> {
        n[0]++;
        return false; // a release started before the rule
      });
      asked += n[0];
      s = e.state();
      assertEquals(Verdict.CONTINUE, e.verdict().verdict(), "never 5 in a row");
    }
    assertEquals(8, asked, "asked only in the inconclusive windows once 5 of them were in the span (windows 11-14,"
        + " 16-19)");
  }

  @Test
  void anExplicitSpanCountsOverThatManyWindows() {
    ReleasePolicy base = PolicyBuilder.chat().build();
    var e = base.evaluation();
    ReleasePolicy p = new ReleasePolicy(base.apiVersion(), base.release(), base.router(), base.observations(),
        new dev.ripcord.workflows.policy.EvaluationSpec(e.interval(), 5, e.onInconclusive(), e.windowsPerRun(), null,
            null, 5, null), base.stages(), base.signals(), base.criteria(), base.governance(), base.rollback(),
        base.notifications());
    List<WindowVerdict> d = run(p, missingFourOfFive(20));
    assertTrue(d.stream().allMatch(x -> x.verdict() == Verdict.CONTINUE), "a span of 5 never holds 5 inconclusive");
  }

  @Test
  void comparesTheCandidateWithTheConcurrentBaseline() {
    ReleasePolicy p = with(new CriterionSpec("worse-than-baseline", null, null, "rollback",
        leaf("hallucination", null, 1.5), null));
    assertEquals(Verdict.CONTINUE, run(p, obs(12, 10_000, 10, null)).get(0).verdict(), "1.2x is within 1.5x");
    WindowVerdict d = run(p, obs(30, 10_000, 10, null)).get(0);
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
    WindowVerdict missing = run(all, obs(20, 10_000, 5, null)).get(0);
    assertEquals(Status.INCONCLUSIVE, missing.results().get(0).status(), "a missing factor is not a healthy one");
    assertEquals(List.of("when.allOf[1]"), missing.results().get(0).measures().stream().map(Measure::path).toList(),
        "the factor that had data keeps its number; the missing one has none");
  }

  @Test
  void eachResultCarriesEveryLeafsNumberAndWindowsRecordedWithoutThemStillRead() throws Exception {
    ConditionSpec latency = leaf("latency_p99_ms", 1000.0, null);
    ConditionSpec halluc = leaf("hallucination", 8.0, null);
    ReleasePolicy any = with(new CriterionSpec("either", null, null, "rollback",
        new ConditionSpec(null, null, null, null, null, null, null, List.of(latency, halluc), null, null), null));
    CriterionResult r = run(any, obs(20, 10_000, 5, 500.0)).get(0).results().get(0);
    assertEquals(Status.FIRED, r.status());
    assertEquals(List.of(new Measure("when.anyOf[0]", "latency_p99_ms", "value", 500.0, ">", 1000.0, 500.0, null, null),
        new Measure("when.anyOf[1]", "hallucination", "value", 20.0, ">", 8.0, 20.0, null, null)), r.measures());
    assertEquals(List.of(false, true), r.measures().stream().map(Measure::beyond).toList());
    ObjectMapper json = new ObjectMapper();
    assertEquals(r, json.readValue(json.writeValueAsString(r), CriterionResult.class));
    CriterionResult before = json.readValue("{\"criterion\":\"either\",\"status\":\"OK\",\"action\":\"rollback\","
        + "\"explanation\":\"latency_p99_ms 500 <= 1000\"}", CriterionResult.class);
    assertEquals(null, before.measures());
    assertFalse(json.writeValueAsString(before).contains("measures"), "nothing is added to what older windows wrote");
  }

  @Test
  void theMostSevereFiredActionWins() {
    ReleasePolicy p = with(
        new CriterionSpec("alert", null, null, "alert-only", leaf("latency_p99_ms", 100.0, null), null),
        new CriterionSpec("hard", null, null, "rollback", leaf("hallucination", 8.0, null), null),
        new CriterionSpec("soft", null, null, "rollback-after-approval", leaf("hallucination", 4.0, null), null));
    WindowVerdict d = run(p, obs(20, 10_000, 5, 500.0)).get(0);
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
    assertEquals(Verdict.ROLLBACK, b.verdict().verdict());
    assertEquals(Verdict.CONTINUE, engine.evaluate(p, engine.forget(b.state(), List.of("hallucination-limit")),
        obs(20, 10_000, 5, null)).verdict().verdict(), "forgetting resets the sustain window");
  }

  private static ConditionSpec seq(String test, Double above, Double ratioAbove) {
    return new ConditionSpec("hallucination", above, null, ratioAbove, null, null, null, null, null, null,
        test, null, null, null, null, null);
  }

  private static Observation arms(long xc, long nc, long xb, long nb) {
    return new Observation("t", null, "canary", Map.of("hallucination",
        new SignalReading(Arm.counts(xc, nc), Arm.counts(xb, nb), null)), "test", null);
  }

  @Test
  void theArithmeticTheWorkflowChoosesReachesTheSequentialTests() {
    ConditionSpec cusum = new ConditionSpec("hallucination", null, null, 1.0, null, null, null, null, null, null,
        "cusum", null, 2.0, null, null, null);
    ReleasePolicy p = with(new CriterionSpec("cusum", null, null, "rollback", cusum,
        new dev.ripcord.workflows.policy.SustainSpec(3, null)));
    assertTrue(CriteriaEngine.usesSequentialTests(p));
    assertFalse(CriteriaEngine.usesSequentialTests(with(new CriterionSpec("limit", null, null, "rollback",
        leaf("hallucination", 0.01, null), null))));
    // Mild excess below the cap, then a 2-window spike at the cap: V2 counts the spike at half while it is shorter
    // than the sustain span, so its statistic stays below V1's.
    long[][] windows = {{20, 10}, {20, 10}, {20, 10}, {60, 20}, {60, 20}};
    double[] statistic = new double[2];
    SequentialTest.Rules[] forms = {SequentialTest.Rules.V1, SequentialTest.Rules.V2};
    for (int f = 0; f < 2; f++) {
      EngineState s = engine.start(p);
      WindowVerdict last = null;
      for (long[] w : windows) {
        Evaluation e = engine.evaluate(p, s, arms(w[0], 10_000, w[1], 10_000), () -> true, forms[f]);
        s = e.state();
        last = e.verdict();
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("log-LR (-?[0-9.]+)").matcher(last.explanation());
      assertTrue(m.find(), last.explanation());
      statistic[f] = Double.parseDouble(m.group(1));
    }
    assertTrue(statistic[1] < statistic[0] - 1, "V1 " + statistic[0] + ", V2 " + statistic[1]);
  }

  @Test
  void mixtureSprtFiresOnADoubledRateAndExplainsItsNumbers() {
    ReleasePolicy p = with(new CriterionSpec("msprt", null, null, "rollback", seq("msprt", null, 1.0), null));
    List<WindowVerdict> d = new java.util.ArrayList<>();
    EngineState s = engine.start(p);
    for (int w = 0; w < 30 && (d.isEmpty() || d.get(d.size() - 1).verdict() == Verdict.CONTINUE); w++) {
      Evaluation e = engine.evaluate(p, s, arms(10, 1_000, 95, 19_000)); // 1 % vs 0.5 %
      s = e.state();
      d.add(e.verdict());
    }
    WindowVerdict last = d.get(d.size() - 1);
    assertEquals(Verdict.ROLLBACK, last.verdict(), last.explanation());
    assertTrue(last.explanation().contains("mSPRT log-LR") && last.explanation().contains("α=1.0e-03"),
        last.explanation());
    assertTrue(d.size() <= 10, "a doubling at 10 events a window is found within 10 windows: " + d.size());
  }

  @Test
  void mixtureSprtIgnoresASpikeBothArmsShare() {
    ReleasePolicy p = with(new CriterionSpec("msprt", null, null, "rollback", seq("msprt", null, 1.0), null));
    EngineState s = engine.start(p);
    for (int w = 0; w < 100; w++) {
      long shared = w % 10 == 0 ? 30 : 5; // every 10th window both arms spike 6x
      Evaluation e = engine.evaluate(p, s, arms(shared, 1_000, shared * 19, 19_000));
      s = e.state();
      assertEquals(Verdict.CONTINUE, e.verdict().verdict(), "window " + w + ": " + e.verdict().explanation());
    }
  }

  @Test
  void sprtAgainstALimitAndCusumForLateChanges() {
    ReleasePolicy sprt = with(new CriterionSpec("sprt", null, null, "rollback", seq("sprt", 50.0, null), null));
    ReleasePolicy cusum = with(new CriterionSpec("cusum", null, null, "rollback", seq("cusum", 50.0, null), null));
    // 0.3 % for 200 windows (well under a 0.5 % limit), then 1 %: the CUSUM forgets the good past, the SPRT cannot.
    EngineState a = engine.start(sprt);
    EngineState b = engine.start(cusum);
    int sprtAt = -1;
    int cusumAt = -1;
    for (int w = 0; w < 400 && (sprtAt < 0 || cusumAt < 0); w++) {
      long events = w < 200 ? 3 : 10;
      Evaluation ea = engine.evaluate(sprt, a, arms(events, 1_000, 5, 1_000));
      Evaluation eb = engine.evaluate(cusum, b, arms(events, 1_000, 5, 1_000));
      a = ea.state();
      b = eb.state();
      if (sprtAt < 0 && ea.verdict().verdict() == Verdict.ROLLBACK) {
        sprtAt = w;
      }
      if (cusumAt < 0 && eb.verdict().verdict() == Verdict.ROLLBACK) {
        cusumAt = w;
      }
    }
    assertTrue(cusumAt >= 200 && cusumAt < 230, "cusum detects the change quickly: " + cusumAt);
    assertTrue(sprtAt < 0 || sprtAt > cusumAt, "the plain SPRT is slower after a long good run: " + sprtAt);
  }

  @Test
  void theBudgetIsSplitAcrossSequentialTestsThatAct() {
    ReleasePolicy p = with(
        new CriterionSpec("a", null, null, "rollback", seq("msprt", null, 1.0), null),
        new CriterionSpec("b", null, null, "rollback-after-approval", seq("sprt", 50.0, null), null),
        new CriterionSpec("c", null, null, "alert-only", seq("cusum", 50.0, null), null));
    Allocation alloc = Allocation.of(p);
    assertEquals(0.0005, alloc.alpha("a", "when"), 1e-12);
    assertEquals(0.0005, alloc.alpha("b", "when"), 1e-12);
    assertEquals(0.0005, alloc.alpha("c", "when"), 1e-12, "the dry run sees what it would have done");
  }

  @Test
  void confidenceBoundMustClearTheLimit() {
    ConditionSpec c = new ConditionSpec("hallucination", 8.0, null, null, null, 1000L, null, null, null, null,
        null, null, null, 0.999, null, null);
    ReleasePolicy p = with(new CriterionSpec("bound", null, null, "rollback", c, null));
    assertEquals(Verdict.CONTINUE, run(p, obs(11, 10_000, 5, null)).get(0).verdict(),
        "11/10k has a lower 99.9 % bound under 8/10k");
    WindowVerdict d = run(p, obs(30, 10_000, 5, null)).get(0);
    assertEquals(Verdict.ROLLBACK, d.verdict());
    assertTrue(d.explanation().contains("lower 99.9 % bound"), d.explanation());
  }

  @Test
  void worstSliceAgainstTheRestPausesForAnInvestigation() {
    ConditionSpec c = new ConditionSpec("hallucination", null, null, null, null, 500L, null, null, null, null,
        null, null, null, null, 1.5, "rest");
    ReleasePolicy p = with(new CriterionSpec("fairness", null, null, "pause-and-investigate", c, null));
    Observation o = new Observation("t", null, "canary", Map.of("hallucination", new SignalReading(
        Arm.counts(20, 10_000), null, Map.of(
            "lang=en", new SignalReading(Arm.counts(5, 7_000), null, null),
            "lang=es", new SignalReading(Arm.counts(15, 3_000), null, null)))), "test", null);
    WindowVerdict d = run(p, o).get(0);
    assertEquals(Verdict.PAUSE_AND_INVESTIGATE, d.verdict(), d.explanation());
    assertTrue(d.explanation().contains("worst slice lang=es 50.0/10k vs other slices 7.1/10k"), d.explanation());
  }

  @Test
  void aSustainDurationMeansThatManyConsecutiveWindows() {
    ReleasePolicy p = with(new CriterionSpec("slow", null, null, "rollback", leaf("latency_p99_ms", 1000.0, null),
        new dev.ripcord.workflows.policy.SustainSpec(null, null, "3m")));
    List<WindowVerdict> d = run(p, obs(5, 10_000, 5, 1500.0), obs(5, 10_000, 5, 1500.0), obs(5, 10_000, 5, 1500.0));
    assertEquals(Verdict.CONTINUE, d.get(1).verdict(), "two minutes of 1m windows is not yet three");
    assertEquals(Verdict.ROLLBACK, d.get(2).verdict());
    assertTrue(d.get(2).explanation().contains("in 3 of last 3 windows"), d.get(2).explanation());
  }

  @Test
  void underASustainRuleASpikeLeavesNothingBehindButASustainedShiftFires() {
    ConditionSpec c = new ConditionSpec(null, null, null, null, null, null, null,
        List.of(seq("msprt", null, 1.0), seq("cusum", null, 1.0)), null, null);
    ReleasePolicy p = with(new CriterionSpec("sustained", null, null, "rollback", c,
        new dev.ripcord.workflows.policy.SustainSpec(3, null)));
    EngineState s = engine.start(p);
    // Two windows of a 5x candidate-only spike at high volume, then the arms are equal again for a long while.
    for (int w = 0; w < 200; w++) {
      boolean spike = w == 30 || w == 31;
      Evaluation e = engine.evaluate(p, s, arms(spike ? 125 : 25, 5_000, 25, 5_000));
      s = e.state();
      assertEquals(Verdict.CONTINUE, e.verdict().verdict(), "window " + w + ": " + e.verdict().explanation());
    }
    // A sustained 2x shift later in the release: the CUSUM fires on its third window, the evidence of three windows.
    int firedAt = -1;
    for (int w = 0; w < 10 && firedAt < 0; w++) {
      Evaluation e = engine.evaluate(p, s, arms(50, 5_000, 25, 5_000));
      s = e.state();
      if (e.verdict().verdict() == Verdict.ROLLBACK) {
        firedAt = w;
      }
    }
    assertEquals(2, firedAt, "fires at the third window of the shift");
  }

  @Test
  void comparisonsWithTheBaselineDoNotApplyWhereTheCandidateTakesAllTraffic() {
    ReleasePolicy p = with(new CriterionSpec("vs-baseline", null, null, "rollback", seq("msprt", null, 1.0), null));
    // The default test policy's last stage, "full", sends 100 % to the candidate: no baseline traffic exists there.
    Observation full = new Observation("t", null, "full", Map.of("hallucination",
        new SignalReading(Arm.counts(5, 10_000), Arm.counts(0, 0), null)), "test", null);
    EngineState s = engine.start(p);
    for (int w = 0; w < 10; w++) {
      Evaluation e = engine.evaluate(p, s, full);
      s = e.state();
      assertEquals(Status.OK, e.verdict().results().get(0).status(), e.verdict().explanation());
    }
    assertTrue(engine.evaluate(p, s, full).verdict().explanation().contains("not applicable at 100 %"));
    Observation canaryWithoutBaseline = new Observation("t", null, "canary", full.signals(), "test", null);
    assertEquals(Status.INCONCLUSIVE, engine.evaluate(p, engine.start(p), canaryWithoutBaseline).verdict()
        .results().get(0).status(), "at 10 % a missing baseline is still missing data");
  }
}

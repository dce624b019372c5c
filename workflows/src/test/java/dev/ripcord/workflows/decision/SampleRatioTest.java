package dev.ripcord.workflows.decision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sample-ratio guard: a right split rarely flagged however long it runs, a wrong one found, arms sized right. */
class SampleRatioTest {
  static Observation window(long candidate, long baseline) {
    return new Observation("2026-12-01T10:00:00Z", null, "canary", Map.of("hallucination",
        new SignalReading(Arm.counts(0, candidate), Arm.counts(0, baseline), null)), "test", null);
  }

  /** The first window (of {@code windows} of {@code perWindow} outputs) at which a stage served at {@code share} is flagged. */
  private static int firstFlag(long seed, double share, int windows, int perWindow) {
    return firstFlag(seed, 10, share, 0, windows, perWindow);
  }

  /**
   * The first window at which a stage at {@code weight} %, really served at {@code share}, is flagged with
   * {@code tolerance}; -1 if none.
   */
  static int firstFlag(long seed, int weight, double share, double tolerance, int windows, int perWindow) {
    SplittableRandom rnd = new SplittableRandom(seed);
    SampleRatio.State s = null;
    for (int w = 1; w <= windows; w++) {
      long c = 0;
      for (int i = 0; i < perWindow; i++) {
        c += rnd.nextDouble() < share ? 1 : 0;
      }
      s = SampleRatio.observe(s, "canary", weight, false, window(c, perWindow - c), 1e-3, tolerance);
      if (s.mismatch() != null) {
        return w;
      }
    }
    return -1;
  }

  @Test
  void logGammaIsExactEnoughForTheBayesFactor() {
    assertEquals(0, SampleRatio.logGamma(1), 1e-12);
    assertEquals(Math.log(24), SampleRatio.logGamma(5), 1e-12);
    assertEquals(0.5 * Math.log(Math.PI), SampleRatio.logGamma(0.5), 1e-12);
    assertEquals(860.5822035097825, SampleRatio.logGamma(200.5), 1e-9); // Python's math.lgamma
    assertEquals(12815508.713800672, SampleRatio.logGamma(1e6 + 0.3), 1e-6);
  }

  @Test
  void aRightSplitIsRarelyFlaggedHoweverLongTheStageRuns() {
    int flagged = 0;
    for (long seed = 0; seed < 300; seed++) {
      if (firstFlag(seed, 0.10, 120, 500) > 0) {
        flagged++;
      }
    }
    assertTrue(flagged <= 3, flagged + " of 300 right splits flagged at α = 1e-3");
  }

  @Test
  void tenPercentServedAsEightIsFound() {
    for (long seed = 0; seed < 20; seed++) {
      int w = firstFlag(seed, 0.08, 120, 2_000);
      assertTrue(w > 0 && w <= 30, "seed " + seed + ": found at window " + w);
    }
  }

  @Test
  void theMismatchSaysItsNumbersAndAnotherStageStartsAfresh() {
    SampleRatio.State s = SampleRatio.observe(null, "canary", 10, false, window(700, 19_300), 1e-3);
    assertNotNull(s.mismatch());
    assertTrue(s.mismatch().startsWith("sample ratio mismatch: candidate 3.5 % of 20,000 outputs this stage, router"
        + " weight 10 %"), s.mismatch());
    SampleRatio.State next = SampleRatio.observe(s, "half", 50, false, window(500, 500), 1e-3);
    assertNull(next.mismatch());
    assertEquals(1_000, next.candidate() + next.baseline());
    assertNull(SampleRatio.observe(s, "full", 100, false, window(1, 1), 1e-3), "no split at 100 %");
    assertNull(SampleRatio.observe(s, "canary", 10, true, window(1, 1), 1e-3), "mirrored requests are no split");
  }

  @Test
  void theArmsAreSizedByTheLargestSignalThatObservesBoth() {
    Observation o = new Observation("t", null, "canary", Map.of(
        "hallucination", new SignalReading(Arm.counts(1, 100), Arm.counts(1, 900), null),
        "utility", new SignalReading(Arm.mean(0.8, 40, 0.2), Arm.mean(0.8, 360, 0.2), null),
        "latency", new SignalReading(Arm.buckets(Map.of("250", 150L, "+Inf", 200L)), Arm.value(300), null)),
        "test", null);
    assertArrayEquals(new long[] {100, 900}, SampleRatio.sizes(o));
  }

  @Test
  void aBacktestPausesAtTheMismatchAndStopsComparingTheArms() {
    dev.ripcord.workflows.policy.ReleasePolicy base = dev.ripcord.workflows.testing.PolicyBuilder.chat().build();
    var msprt = new dev.ripcord.workflows.policy.ConditionSpec("hallucination", null, null, 1.0, null, null, null,
        null, null, null, "msprt", null, null, null, null, null);
    var policy = new dev.ripcord.workflows.policy.ReleasePolicy(base.apiVersion(), base.release(), base.router(),
        base.observations(), base.evaluation(), base.stages(), base.signals(), java.util.List.of(
        new dev.ripcord.workflows.policy.CriterionSpec("vs-baseline", null, "critical", "rollback", msprt, null)),
        base.governance(), base.rollback(), base.notifications());
    java.util.List<Observation> windows = new java.util.ArrayList<>();
    for (int w = 0; w < 30; w++) { // canary at 10 %, but the candidate gets 5 % of the outputs
      windows.add(new Observation("t" + w, null, "canary", Map.of("hallucination",
          new SignalReading(Arm.counts(10, 500), Arm.counts(50, 9_500), null)), "backtest", null));
    }
    Backtest.Result result = Backtest.run(policy, windows);
    Backtest.Summary s = result.summary();
    assertEquals("pause-and-investigate", s.firstAction());
    assertEquals(java.util.List.of(SampleRatio.NAME), s.firstActionCriteria());
    assertTrue(s.sampleRatio().contains("candidate 5.0 %") && s.sampleRatio().contains("router weight 10 %"),
        s.sampleRatio());
    // The biased comparison (the candidate looks 4x worse) is never judged: each window says why, and the criterion
    // acts only through the inconclusive rules, as on any stage whose evidence does not count.
    assertTrue(result.decisions().stream().allMatch(d -> d.explanation().contains("hallucination: sample ratio"
        + " mismatch") && !d.explanation().contains("log-LR")), result.decisions().get(0).explanation());
  }

  /**
   * Sticky routing at 10 %: users split 10 : 90, but one heavy user on the candidate makes its outputs 20 %. Counted by
   * units, the split is right; counted by outputs, it would be flagged.
   */
  @Test
  void whereWindowsCarryUnitsTheSplitIsTestedOnUnitsNotOnClusteredOutputs() {
    SampleRatio.State byUnits = null;
    SampleRatio.State byOutputs = null;
    for (int w = 1; w <= 30; w++) {
      long users = 100L * w; // users seen since the stage began
      Arm cand = Arm.counts(0, 2_000).withUnits(users, 0, 4e6 * w * w, 0);
      Arm base = Arm.counts(0, 8_000).withUnits(9 * users, 0, 1e6 * w * w, 0);
      Observation o = new Observation("t", null, "canary", Map.of("flagged", new SignalReading(cand, base, null)),
          "test", null);
      byUnits = SampleRatio.observe(byUnits, "canary", 10, false, o, 1e-3);
      byOutputs = SampleRatio.observe(byOutputs, "canary", 10, false, window(2_000, 8_000), 1e-3);
    }
    assertNull(byUnits.mismatch(), "10 : 90 by users");
    assertEquals(3_000, byUnits.candidate(), "the last window's units, not a sum");
    assertEquals(27_000, byUnits.baseline());
    assertEquals(Boolean.TRUE, byUnits.units());
    assertNotNull(byOutputs.mismatch());
    SampleRatio.State skewed = null;
    for (int w = 1; w <= 30 && (skewed == null || skewed.mismatch() == null); w++) {
      Observation o = new Observation("t", null, "canary", Map.of("flagged", new SignalReading(
          Arm.counts(0, 1_000).withUnits(60L * w, 0, 0, 0), Arm.counts(0, 9_000).withUnits(940L * w, 0, 0, 0),
          null)), "test", null);
      skewed = SampleRatio.observe(skewed, "canary", 10, false, o, 1e-3);
    }
    assertTrue(skewed.mismatch().contains("candidate 6.0 % of") && skewed.mismatch().contains("units this stage"),
        skewed.mismatch());
  }
}

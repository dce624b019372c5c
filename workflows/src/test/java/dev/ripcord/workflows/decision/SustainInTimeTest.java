package dev.ripcord.workflows.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.decision.stats.SequentialTest.Kind;
import dev.ripcord.workflows.decision.stats.SequentialTest.Rules;
import dev.ripcord.workflows.decision.stats.SustainClock.Moment;
import dev.ripcord.workflows.testing.Draws;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sustain in time (arithmetic v8): windows read once an interval are judged exactly as by window counting, evidence
 * pushed faster than the interval shares one interval's cap, so a spike shorter than the sustain span cannot act
 * however many batches carry it, and evidence expires after n intervals of time, not n batches.
 */
class SustainInTimeTest {
  private static final long MINUTE = 60_000;
  private static final long T0 = Instant.parse("2026-12-08T10:00:00Z").toEpochMilli();

  private static SequentialTest test(Kind kind, Rules rules) {
    return new SequentialTest(kind, true, 1.0, 2.0, 1e-3, 1_000, 3, 5, rules);
  }

  /** One push of {@code outputs} per arm at 0.5 % on the baseline and {@code factor} times that on the candidate. */
  private static long[] push(SplittableRandom rnd, long outputs, double factor) {
    return new long[] {Draws.poisson(rnd, outputs * 0.005 * factor), outputs, Draws.poisson(rnd, outputs * 0.005),
        outputs};
  }

  @Test
  void windowsReadOnceAnIntervalAreJudgedExactlyAsByWindowCounting() {
    for (Kind kind : new Kind[] {Kind.MSPRT, Kind.CUSUM}) {
      for (long seed = 1; seed <= 20; seed++) {
        SplittableRandom rnd = new SplittableRandom(seed);
        SequentialTest windows = test(kind, Rules.V7);
        SequentialTest time = test(kind, Rules.V8);
        double[] a = new double[windows.stateSize()];
        double[] b = new double[time.stateSize()];
        long t = T0;
        for (int w = 0; w < 200; w++) {
          long[] x = push(rnd, 2_000, w > 100 && seed % 2 == 0 ? 1.6 : 1.0);
          long late = (long) (rnd.nextDouble() * 0.03 * MINUTE); // a timer a moment late
          t += MINUTE;
          double sa = windows.update(a, x[0], x[1], x[2], x[3]);
          double sb = time.update(b, x[0], x[1], x[2], x[3], new Moment(t + late, t + late - MINUTE, MINUTE));
          assertEquals(sa, sb, 1e-9, kind + " seed " + seed + " window " + w);
        }
      }
    }
  }

  /** The first push at which the statistic crosses, its seconds after the first, or -1. */
  private static long crossing(SequentialTest t, long everySeconds, int pushes, double factor, long spikeFrom,
      long spikeSeconds, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] s = new double[t.stateSize()];
    for (int i = 0; i < pushes; i++) {
      long at = i * everySeconds;
      boolean spiking = at >= spikeFrom && at < spikeFrom + spikeSeconds;
      long[] x = push(rnd, 20_000 * everySeconds / 60, spiking ? factor : 1.0);
      double stat = t.update(s, x[0], x[1], x[2], x[3], new Moment(T0 + at * 1000, -1, MINUTE));
      if (stat >= t.threshold()) {
        return at;
      }
    }
    return -1;
  }

  @Test
  void evidencePushedEveryTenSecondsNeedsTheSustainSpanInTimeNotInBatches() {
    // A candidate five times as bad from the first push, 20,000 outputs a minute, sustain 3 of 5 intervals of 1 min.
    long byBatches = crossing(test(Kind.MSPRT, Rules.V7), 10, 60, 5.0, 0, 600, 7);
    long inTime = crossing(test(Kind.MSPRT, Rules.V8), 10, 60, 5.0, 0, 600, 7);
    assertEquals(20, byBatches, "three batches of 10 s each at the cap");
    assertTrue(inTime >= 120 && inTime <= 180, "three intervals of one minute: " + inTime + " s");
  }

  @Test
  void aSpikeShorterThanTheSustainSpanDoesNotActHoweverManyBatchesCarryIt() {
    int byBatches = 0;
    int inTime = 0;
    for (long seed = 1; seed <= 40; seed++) {
      // 100 s of a candidate ten times as bad, pushed every 5 s, starting anywhere in an interval.
      long from = 300 + seed * 7 % 60;
      byBatches += crossing(test(Kind.CUSUM, Rules.V7), 5, 240, 10.0, from, 100, seed) >= 0 ? 1 : 0;
      inTime += crossing(test(Kind.CUSUM, Rules.V8), 5, 240, 10.0, from, 100, seed) >= 0 ? 1 : 0;
    }
    assertEquals(0, inTime, "spikes of 100 s against a sustain span of 3 min acted");
    assertTrue(byBatches >= 38, "counted in batches, three 5-second batches of the spike act: " + byBatches);
  }

  @Test
  void evidenceAtTheCapExpiresNIntervalsAfterItArrivedHoweverFewBatchesCome() {
    SequentialTest t = test(Kind.CUSUM, Rules.V8);
    double[] s = new double[t.stateSize()];
    // Two intervals at the cap, then nothing for ten minutes: both expire before the third arrives.
    t.update(s, 60, 10_000, 10, 10_000, new Moment(T0, -1, MINUTE));
    double two = t.update(s, 60, 10_000, 10, 10_000, new Moment(T0 + MINUTE, -1, MINUTE));
    double after = t.update(s, 60, 10_000, 10, 10_000, new Moment(T0 + 12 * MINUTE, -1, MINUTE));
    assertTrue(after < t.threshold(), "three intervals at the cap, but ten minutes apart: " + after);
    assertTrue(after <= two, "the first two expired: " + after + " after " + two);
  }

  @Test
  void aBatchWithItsOwnStartCountsTheTimeItCovers() {
    SequentialTest t = test(Kind.CUSUM, Rules.V8);
    double[] whole = new double[t.stateSize()];
    double[] part = new double[t.stateSize()];
    double w = t.update(whole, 60, 10_000, 10, 10_000, new Moment(T0 + MINUTE, T0, MINUTE));
    double p = t.update(part, 60, 10_000, 10, 10_000, new Moment(T0 + MINUTE, T0 + MINUTE - 15_000, MINUTE));
    assertEquals(w / 4, p, 1e-9, "a 15-second batch reaches a quarter of an interval's cap");
  }

  @Test
  void aCriterionSustainedForATimeCountsIntervalsNotPushes() {
    var base = PolicyBuilder.chat().build();
    var p = new dev.ripcord.workflows.policy.ReleasePolicy(base.apiVersion(), base.release(), base.router(),
        base.observations(), base.evaluation(), base.stages(), base.signals(), java.util.List.of(
            new dev.ripcord.workflows.policy.CriterionSpec("hallucination-limit", null, "critical", "rollback",
                new dev.ripcord.workflows.policy.ConditionSpec("hallucination", 8.0, null, null, null, 1000L, null,
                    null, null, null), new dev.ripcord.workflows.policy.SustainSpec(null, null, "2m"))),
        base.governance(), base.rollback(), base.notifications()); // above 8/10k for 2 minutes, at a 1m interval
    CriteriaEngine engine = new CriteriaEngine();
    EngineState byWindows = engine.start(p);
    EngineState inTime = engine.start(p);
    Verdict firstByWindows = null;
    Verdict firstInTime = null;
    for (int i = 0; i < 3; i++) { // three breaching pushes ten seconds apart, within one interval
      Observation o = new Observation(Instant.ofEpochMilli(T0 + i * 10_000L).toString(), null, "canary",
          Map.of("hallucination", new SignalReading(Arm.counts(20, 10_000), Arm.counts(5, 10_000), null)), "push",
          null);
      Evaluation a = engine.evaluate(p, byWindows, o, () -> true, Rules.V7, null);
      Evaluation b = engine.evaluate(p, inTime, o, () -> true, Rules.V8, null);
      byWindows = a.state();
      inTime = b.state();
      firstByWindows = i == 1 ? a.verdict().verdict() : firstByWindows;
      firstInTime = b.verdict().verdict();
      if (i == 2) {
        assertTrue(b.verdict().explanation().contains("in 1 of last 1 intervals (needs 2 of 2)"),
            b.verdict().explanation());
      }
    }
    assertEquals(Verdict.ROLLBACK, firstByWindows, "two pushes are two windows under v7");
    assertEquals(Verdict.CONTINUE, firstInTime, "three pushes within a minute are one interval");
    Observation next = new Observation(Instant.ofEpochMilli(T0 + MINUTE).toString(), null, "canary",
        Map.of("hallucination", new SignalReading(Arm.counts(20, 10_000), Arm.counts(5, 10_000), null)), "push", null);
    assertEquals(Verdict.ROLLBACK, engine.evaluate(p, inTime, next, () -> true, Rules.V8, null).verdict().verdict(),
        "a second interval breaching");
  }
}

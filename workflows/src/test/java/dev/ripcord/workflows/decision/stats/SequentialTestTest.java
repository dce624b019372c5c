package dev.ripcord.workflows.decision.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.decision.stats.SequentialTest.Kind;
import dev.ripcord.workflows.decision.stats.SequentialTest.Rules;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The two arithmetic forms of the sequential tests, without Temporal: what V2 changes and what it keeps. */
class SequentialTestTest {
  private static final long N = 10_000;

  /** CUSUM against the baseline: r0 = 1, alternative 2x, α = 0.001, horizon 60 windows, sustain 3 of 3. */
  private static SequentialTest cusum(Rules rules) {
    return new SequentialTest(Kind.CUSUM, true, 1.0, 2.0, 0.001, 60, 3, 3, rules);
  }

  /** Feeds (candidate, baseline) event pairs at N trials an arm and returns the window the test first crosses, or 0. */
  private static int crossing(SequentialTest test, long[][] windows) {
    double[] state = new double[test.stateSize()];
    for (int w = 0; w < windows.length; w++) {
      if (test.update(state, windows[w][0], N, windows[w][1], N) >= test.threshold()) {
        return w + 1;
      }
    }
    return 0;
  }

  @Test
  void aV1StateKeepsTheLayoutRecordedReleasesHaveAndV2AppendsTheDispersionSums() {
    // One sum, a ring of 3 capped windows and its position: the layout V1 always had.
    assertEquals(5, cusum(Rules.V1).stateSize());
    assertEquals(5 + Dispersion.SIZE, cusum(Rules.V2).stateSize());
    // Against a limit there is no split to be overdispersed: V2 adds nothing.
    SequentialTest limit = new SequentialTest(Kind.SPRT, false, 0.01, 2.0, 0.001, 60, 3, 3, Rules.V2);
    assertEquals(5, limit.stateSize());
    // The constructors without rules are V1: the form releases that started before V2 are replayed with.
    assertEquals(5, new SequentialTest(Kind.CUSUM, true, 1.0, 2.0, 0.001, 60, 3).stateSize());
  }

  @Test
  void aSustainedShiftCrossesAfterTheSustainSpanUnderBothForms() {
    long[][] shift = {{200, 100}, {200, 100}, {200, 100}, {200, 100}};
    assertEquals(3, crossing(cusum(Rules.V1), shift));
    assertEquals(3, crossing(cusum(Rules.V2), shift));
  }

  @Test
  void aSpikeShorterThanTheSustainSpanOnTopOfNoiseFoolsV1ButNotV2() {
    // Three windows of a mild excess build evidence below the cap (about half the threshold), then two windows of a
    // 3x spike reach the cap: under V1 that is enough to cross; under V2 the spike counts half while it is shorter
    // than the sustain span.
    long[][] blip = {{20, 10}, {20, 10}, {20, 10}, {60, 20}, {60, 20}};
    assertEquals(5, crossing(cusum(Rules.V1), blip));
    assertEquals(0, crossing(cusum(Rules.V2), blip));
    // A third window at the cap is no longer a blip: it counts in full and V2 crosses.
    long[][] sustained = {{20, 10}, {20, 10}, {20, 10}, {60, 20}, {60, 20}, {60, 20}};
    assertEquals(6, crossing(cusum(Rules.V2), sustained));
  }

  @Test
  void withoutASustainRuleNeitherFormCapsOrGuards() {
    SequentialTest v1 = new SequentialTest(Kind.CUSUM, true, 1.0, 2.0, 0.001, 60, 1, 1, Rules.V1);
    SequentialTest v2 = new SequentialTest(Kind.CUSUM, true, 1.0, 2.0, 0.001, 60, 1, 1, Rules.V2);
    long[][] once = {{90, 20}};
    assertEquals(1, crossing(v1, once));
    assertEquals(1, crossing(v2, once));
  }

  @Test
  void binomialSplitsAreJudgedWithoutADispersionDiscount() {
    SplittableRandom rnd = new SplittableRandom(11);
    int discounted = 0;
    int runs = 400;
    for (int run = 0; run < runs; run++) {
      double phi = dispersionAfter(rnd, 30, 0.0);
      if (phi > 1.5) {
        discounted++;
      }
    }
    // The estimate must exceed 1 by a standard error before it counts, and 1.5 takes about three: rare.
    assertTrue(discounted < runs / 50, "binomial runs with dispersion above 1.5: " + discounted + " of " + runs);
  }

  @Test
  void candidateOnlyVariationBetweenWindowsIsMeasuredAsDispersion() {
    SplittableRandom rnd = new SplittableRandom(12);
    double sum = 0;
    int runs = 100;
    for (int run = 0; run < runs; run++) {
      sum += dispersionAfter(rnd, 30, 0.2);
    }
    // The candidate's rate moves ±20 % from window to window at 400 events a window; binomial counts would give 1.
    assertTrue(sum / runs > 2.5, "mean dispersion " + sum / runs);
  }

  @Test
  void overdispersedHealthyReleasesCrossFarLessOftenUnderV2() {
    int v1 = 0;
    int v2 = 0;
    SplittableRandom rnd = new SplittableRandom(13);
    for (int run = 0; run < 300; run++) {
      long[][] windows = new long[60][];
      for (int w = 0; w < windows.length; w++) {
        windows[w] = split(rnd, 400, 0.5 * (1 + 0.25 * (rnd.nextBoolean() ? 1 : -1)));
      }
      v1 += crossing(cusum(Rules.V1), windows) > 0 ? 1 : 0;
      v2 += crossing(cusum(Rules.V2), windows) > 0 ? 1 : 0;
    }
    assertTrue(v1 >= 30, "the exact-binomial form should be fooled by candidate-only variation: " + v1);
    assertTrue(v2 * 5 <= v1, "V2 " + v2 + " against V1 " + v1);
  }

  /** The dispersion after {@code windows} windows of 400 events whose candidate share moves by ±{@code swing}. */
  private static double dispersionAfter(SplittableRandom rnd, int windows, double swing) {
    SequentialTest test = cusum(Rules.V2);
    double[] state = new double[test.stateSize()];
    for (int w = 0; w < windows; w++) {
      double share = 0.5 * (1 + swing * (rnd.nextBoolean() ? 1 : -1));
      long[] x = split(rnd, 400, share);
      test.update(state, x[0], N, x[1], N);
    }
    return test.dispersion(state);
  }

  /** {@code total} events split between candidate and baseline, each the candidate's with probability share. */
  static long[] split(SplittableRandom rnd, int total, double share) {
    long xc = 0;
    for (int i = 0; i < total; i++) {
      xc += rnd.nextDouble() < share ? 1 : 0;
    }
    return new long[] {xc, total - xc};
  }

  @Test
  void everyArithmeticAReleaseCanBePinnedToHasOneNameAndTodaysIsTheLast() {
    for (var e : SequentialTest.Rules.NAMED.entrySet()) {
      org.junit.jupiter.api.Assertions.assertEquals(e.getKey(), e.getValue().name(), "names round-trip");
    }
    org.junit.jupiter.api.Assertions.assertEquals("v8", SequentialTest.Rules.CURRENT.name());
    org.junit.jupiter.api.Assertions.assertEquals(SequentialTest.Rules.NAMED.size(),
        new java.util.HashSet<>(SequentialTest.Rules.NAMED.values()).size(), "no two names for one arithmetic");
    org.junit.jupiter.api.Assertions.assertNull(new SequentialTest.Rules(false, true, false).name(),
        "a combination no release is pinned to has no name");
  }
}

package dev.ripcord.workflows.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.decision.stats.Stats;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Known values from the literature and the properties the engine relies on. */
class StatsTest {

  @Test
  void normalQuantileMatchesTables() {
    assertEquals(1.959963984540054, Stats.normalQuantile(0.975), 1e-8);
    assertEquals(3.090232306167813, Stats.normalQuantile(0.999), 1e-8);
    assertEquals(-2.326347874040841, Stats.normalQuantile(0.01), 1e-8);
    assertEquals(0.0, Stats.normalQuantile(0.5), 1e-12);
  }

  @Test
  void wilsonBoundsMatchAWorkedExample() {
    // 10 events in 100 trials, 95 % two-sided: Wilson interval [0.0552, 0.1744] (Newcombe 1998, method 3).
    double z = Stats.normalQuantile(0.975);
    assertEquals(0.0552, Stats.wilson(10, 100, z, true), 1e-4);
    assertEquals(0.1744, Stats.wilson(10, 100, z, false), 1e-4);
    assertEquals(0.0, Stats.wilson(0, 100, z, true), 1e-12);
  }

  @Test
  void wilsonLowerBoundRisesWithEvidence() {
    double z = Stats.normalQuantile(0.999);
    double previous = -1;
    for (long n = 1_000; n <= 1_000_000; n *= 10) {
      double lower = Stats.wilson(n / 100, n, z, true); // always a 1 % rate
      assertTrue(lower > previous && lower < 0.01, "n=" + n + " lower=" + lower);
      previous = lower;
    }
  }

  @Test
  void bernoulliLlrIsPositiveAtTheAlternativeAndNegativeAtTheNull() {
    assertTrue(Stats.bernoulliLlr(100, 10_000, 0.005, 0.01) > 0);
    assertTrue(Stats.bernoulliLlr(50, 10_000, 0.005, 0.01) < 0);
    assertEquals(0.0, Stats.bernoulliLlr(0, 0, 0.005, 0.01), 0);
  }

  @Test
  void theEventSplitIgnoresWhatBothArmsShare() {
    // The same 2:1 candidate/baseline rate ratio, at two very different shared rates: the split carries
    // the same evidence per event, and doubling both arms' counts doubles it.
    double low = Stats.splitLlr(20, 10, 10_000, 10_000, 1.0, 2.0);
    double high = Stats.splitLlr(40, 20, 10_000, 10_000, 1.0, 2.0);
    assertEquals(2 * low, high, 1e-9);
    assertEquals(0.0, Stats.splitLlr(0, 0, 10_000, 10_000, 1.0, 2.0), 0);
    assertTrue(Stats.splitLlr(10, 10, 1_000, 1_000, 1.0, 2.0) < 0, "an even split favours the null");
  }

  @Test
  void theMixtureSprtUnderTheNullRarelyCrossesLogOneOverAlpha() {
    // Ville's inequality: P(sup LR >= 1/alpha) <= alpha. 4,000 monitored null sequences of 300 windows each at
    // alpha = 0.05 should cross in well under 5 % (+ sampling slack) of them.
    SplittableRandom rnd = new SplittableRandom(7);
    double threshold = StrictMath.log(1 / 0.05);
    int crossings = 0;
    int runs = 4_000;
    for (int run = 0; run < runs; run++) {
      double[] logs = new double[dev.ripcord.workflows.decision.stats.SequentialTest.GRID.length];
      double[] w = new double[logs.length];
      java.util.Arrays.fill(w, 1.0 / logs.length);
      for (int t = 0; t < 300; t++) {
        long xc = poisson(rnd, 5);
        long xb = poisson(rnd, 5);
        for (int k = 0; k < logs.length; k++) {
          logs[k] += Stats.splitLlr(xc, xb, 1_000, 1_000, 1.0, dev.ripcord.workflows.decision.stats.SequentialTest.GRID[k]);
        }
        if (Stats.logMixture(w, logs) >= threshold) {
          crossings++;
          break;
        }
      }
    }
    assertTrue(crossings < 0.06 * runs, "false alarms " + crossings + " of " + runs);
  }

  private static long poisson(SplittableRandom rnd, double mean) {
    double limit = Math.exp(-mean);
    double p = rnd.nextDouble();
    long k = 0;
    while (p > limit) {
      k++;
      p *= rnd.nextDouble();
    }
    return k;
  }
}

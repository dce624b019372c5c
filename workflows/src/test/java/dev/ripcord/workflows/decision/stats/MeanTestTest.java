package dev.ripcord.workflows.decision.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The always-valid test of means: it rarely fires on identical arms however long it watches, finds a real drop, and
 * its confidence bound agrees with its crossing. Simulated with fixed seeds, so each run checks the same streams.
 */
class MeanTestTest {
  /** A window of {@code n} graded scores in [0, 1] with mean {@code mu} (a Beta-like spread, sd about 0.25). */
  private static MeanTest.Sample window(SplittableRandom rnd, int n, double mu) {
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < n; i++) {
      double x = Math.min(1, Math.max(0, mu + 0.25 * rnd.nextGaussian()));
      sum += x;
      sq += x * x;
    }
    return new MeanTest.Sample(n, sum, sq);
  }

  private static int firstCrossing(long seed, double candidateMean, int windows, double alpha) {
    return firstCrossing(seed, candidateMean, 0.97, windows, alpha);
  }

  private static int firstCrossing(long seed, double candidateMean, double margin, int windows, double alpha) {
    SplittableRandom rnd = new SplittableRandom(seed);
    MeanTest test = new MeanTest(margin, true, alpha);
    double[] state = new double[MeanTest.STATE];
    for (int w = 1; w <= windows; w++) {
      MeanTest.add(state, window(rnd, 50, candidateMean), window(rnd, 450, 0.8));
      MeanTest.Result r = test.evaluate(state);
      if (r != null && r.crossed()) {
        return w;
      }
    }
    return -1;
  }

  @Test
  void identicalArmsRarelyCrossHoweverLongTheyAreWatched() {
    int crossed = 0;
    for (long seed = 0; seed < 200; seed++) {
      if (firstCrossing(seed, 0.8, 240, 0.01) > 0) {
        crossed++;
      }
    }
    // α = 1 %, and a margin of 0.97 below identical arms: far fewer than 1 % of 200 (a binomial 2 would be 1 %).
    assertTrue(crossed <= 2, crossed + " of 200 healthy releases crossed");
  }

  @Test
  void atTheMarginItselfItCrossesAboutAsOftenAsItsBudgetAllows() {
    int crossed = 0;
    for (long seed = 1_000; seed < 1_200; seed++) {
      if (firstCrossing(seed, 0.8, 1.0, 240, 0.05) > 0) {
        crossed++;
      }
    }
    // Under H0's boundary Ville allows 5 % (10 of 200); a test that ignored its variance would cross far more.
    assertTrue(crossed <= 18, crossed + " of 200 releases at the margin crossed at α = 5 %");
  }

  @Test
  void aCandidateEightPercentWorseIsFoundWithinAnHour() {
    for (long seed = 0; seed < 20; seed++) {
      int w = firstCrossing(seed, 0.8 * 0.92, 60, 1e-3);
      assertTrue(w > 0, "seed " + seed + ": an 8 % drop against a 3 % margin is found within 60 windows");
    }
  }

  @Test
  void theBoundOnTheWorseSideAgreesWithTheCrossing() {
    MeanTest test = new MeanTest(0.97, true, 1e-3);
    double[] s = new double[MeanTest.STATE];
    MeanTest.add(s, MeanTest.Sample.of(1_840, 0.741, 0.25), MeanTest.Sample.of(16_560, 0.8, 0.25));
    MeanTest.Result r = test.evaluate(s);
    assertEquals(0.741 / 0.8, r.ratio(), 1e-9);
    assertTrue(r.crossed() == (r.bound() < 0.97), r.toString());
    assertTrue(r.crossed(), "0.926 of the baseline on 1,840 scores is surely below 0.97: " + r);
    assertTrue(r.bound() > r.ratio() && r.bound() < 0.97, r.toString());
  }

  @Test
  void tooLittleDataOrANonPositiveBaselineSaysNothing() {
    MeanTest test = new MeanTest(1.0, true, 1e-3);
    double[] s = new double[MeanTest.STATE];
    MeanTest.add(s, MeanTest.Sample.of(1, 0.5, 0.1), MeanTest.Sample.of(100, 0.5, 0.1));
    assertNull(test.evaluate(s));
    double[] zero = new double[MeanTest.STATE];
    MeanTest.add(zero, MeanTest.Sample.of(100, 0.5, 0.1), MeanTest.Sample.of(100, 0.0, 0.1));
    assertNull(test.evaluate(zero));
    assertFalse(new MeanTest(1.0, false, 1e-3).evaluate(new double[] {100, 50, 30, 100, 50, 30}).crossed());
  }
}
